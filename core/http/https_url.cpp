#include "core/http/https_url.hpp"

#include <boost/url/parse.hpp>

namespace tether::http::detail {

result<https_url> parse_https_url(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  if (!u) {
    return make_error("http.url", "'" + url + "' is not an absolute URI: " + u.error().message());
  }
  if (u->scheme_id() != boost::urls::scheme::https) {
    return make_error("http.url", "'" + url + "' is not an https URL");
  }
  https_url out;
  out.host = u->host_address();
  if (out.host.empty()) return make_error("http.url", "'" + url + "' has no host");
  out.port = u->has_port() ? std::string(u->port()) : "443";
  // Checked here: Boost.URL 1.81's port_number() wraps values above 65535 instead of failing.
  unsigned long number = 0;
  for (char c : out.port) number = number > 65535 ? number : number * 10 + static_cast<unsigned long>(c - '0');
  if (out.port.empty() || number == 0 || number > 65535) {
    return make_error("http.url", "'" + url + "' has port '" + out.port + "', not 1 to 65535");
  }
  out.host_header = std::string(u->encoded_host_and_port());
  out.target = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  if (u->has_query()) out.target += "?" + std::string(u->encoded_query());
  return out;
}

}  // namespace tether::http::detail
