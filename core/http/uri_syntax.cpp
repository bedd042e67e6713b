#include "core/http/uri_syntax.hpp"

#include <boost/url/parse.hpp>

namespace tether::http {
namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text.substr(0, 200)) + "'"; }

// The authority as written: from after "//" to the next "/", "?" or "#" (RFC 3986 3.2).
std::string_view written_authority(std::string_view text) {
  const std::size_t start = text.find("//");
  if (start == std::string_view::npos) return {};
  const std::size_t end = text.find_first_of("/?#", start + 2);
  return text.substr(start + 2, end == std::string_view::npos ? std::string_view::npos : end - start - 2);
}

// The port as written after the host, when the authority has one ("8443x" for "h:8443x").
std::string_view written_port(std::string_view authority, std::string_view host) {
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.substr(0, host.size()) != host) return {};
  authority.remove_prefix(host.size());
  if (authority.empty() || authority.front() != ':') return {};
  return authority.substr(1);
}

bool port_in_range(std::string_view port) {
  if (port.empty()) return false;
  unsigned long value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned long>(c - '0');
    if (value > 65535) return false;
  }
  return value >= 1;
}

}  // namespace

result<boost::urls::url_view> parse_absolute_uri(std::string_view text, uri_rules rules) {
  auto u = boost::urls::parse_uri(boost::urls::string_view(text.data(), text.size()));
  if (!u) return make_error("uri.syntax", quoted(text) + " is not an absolute URI: " + u.error().message());
  if (!u->has_authority()) return *u;
  const std::string_view path(u->encoded_path().data(), u->encoded_path().size());
  if (!path.empty() && path.front() != '/') {
    const std::string_view authority = written_authority(text);
    const std::string_view host(u->encoded_host().data(), u->encoded_host().size());
    if (u->has_port() || !written_port(authority, host).empty())
      return make_error("uri.syntax", quoted(text) + " has port '" + std::string(written_port(authority, host)) +
                                          "', not 1 to 65535");
    return make_error("uri.syntax", quoted(text) + " has the authority '" + std::string(authority) +
                                        "', which is not [userinfo@]host[:port] (RFC 3986 3.2)");
  }
  if (u->has_port()) {
    const std::string_view port(u->port().data(), u->port().size());
    if (!(port.empty() && rules.empty_port_allowed) && !port_in_range(port))
      return make_error("uri.syntax", quoted(text) + " has port '" + std::string(port) + "', not 1 to 65535");
  }
  return *u;
}

status check_https_url(std::string_view text) {
  auto u = parse_absolute_uri(text);
  if (!u) return u.err();
  if (u->scheme_id() != boost::urls::scheme::https) return make_error("uri.syntax", "not an https URL");
  if (u->encoded_host().empty()) return make_error("uri.syntax", "the URL has no host");
  return {};
}

}  // namespace tether::http
