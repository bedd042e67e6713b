#pragma once
// Where an absolute https URL points, in the pieces the client needs: the host to connect to,
// send in SNI and match against the server certificate, the port, the Host field value and
// the request target. Internal to core/http; Boost.URL does the parsing.

#include <string>

#include "core/util/result.hpp"

namespace tether::http::detail {

struct https_url {
  std::string host;         // IPv6 without brackets, as connect() and the IP check want it
  std::string port;         // "443" when the URL has none
  std::string host_header;  // RFC 9110 7.2: host and port as written in the URL
  std::string target;       // RFC 9112 3.2.1 origin-form: path ("/" if empty) and query
};

result<https_url> parse_https_url(const std::string& url);

}  // namespace tether::http::detail
