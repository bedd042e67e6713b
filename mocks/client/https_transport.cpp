#include "mocks/client/transport.hpp"

namespace tether::client {

http::exchange_result https_transport::send(const std::string& url, const http::request& req,
                                            const http::client_options& options) {
  return http::send_once(url, req, options);
}

std::vector<http::exchange_result> https_transport::send_concurrently(const std::string& url,
                                                                      std::vector<http::request> reqs,
                                                                      const http::client_options& options) {
  return http::send_concurrently(url, std::move(reqs), options);
}

}  // namespace tether::client
