#pragma once
// How the executor reaches the network: an interface, so that the observation building, the
// nonce retry and the replay logic are tested with canned responses and no sockets, and the
// real implementation is core/http's HTTPS client (the only networking in the project).

#include <string>
#include <vector>

#include "core/http/https_client.hpp"

namespace tether::client {

class transport {
 public:
  virtual ~transport() = default;
  virtual http::exchange_result send(const std::string& url, const http::request& req,
                                     const http::client_options& options) = 0;
  // Every request on its own connection, all written at the same moment (replay races).
  virtual std::vector<http::exchange_result> send_concurrently(const std::string& url,
                                                               std::vector<http::request> reqs,
                                                               const http::client_options& options) = 0;
};

// core/http's send_once and send_concurrently.
class https_transport final : public transport {
 public:
  http::exchange_result send(const std::string& url, const http::request& req,
                             const http::client_options& options) override;
  std::vector<http::exchange_result> send_concurrently(const std::string& url, std::vector<http::request> reqs,
                                                       const http::client_options& options) override;
};

}  // namespace tether::client
