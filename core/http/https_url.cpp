#include "core/http/https_url.hpp"

#include "core/http/uri_syntax.hpp"

namespace tether::http::detail {

result<https_url> parse_https_url(const std::string& url) {
  // Strict: a port is 1 to 65535 written in digits and nothing else (core/http/uri_syntax.hpp).
  auto u = parse_absolute_uri(url);
  if (!u) return make_error("http.url", u.err().message);
  if (u->scheme_id() != boost::urls::scheme::https) {
    return make_error("http.url", "'" + url + "' is not an https URL");
  }
  https_url out;
  out.host = u->host_address();
  if (out.host.empty()) return make_error("http.url", "'" + url + "' has no host");
  out.port = u->has_port() ? std::string(u->port()) : "443";
  out.host_header = std::string(u->encoded_host_and_port());
  out.target = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  if (u->has_query()) out.target += "?" + std::string(u->encoded_query());
  return out;
}

}  // namespace tether::http::detail
