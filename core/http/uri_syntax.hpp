#pragma once
// Absolute URIs (RFC 3986 4.3) read strictly. Boost.URL does the parsing; this adds the rules
// Boost.URL 1.81 does not enforce, so that every reader of a URL (the HTTPS client, the DPoP
// htu comparison, the runner's target loader) refuses the same texts:
//  - RFC 3986 3.3: after an authority the path is empty or starts with "/". Boost.URL 1.81 ends
//    the authority at the first character that cannot continue it, so "https://h:8443x/y" reads
//    as port 8443 with path "x/y" instead of being refused.
//  - RFC 3986 3.2.3 and RFC 9110 4.2.2: a port is digits, and a TCP port is 1 to 65535
//    (port_number() wraps larger values).

#include <string>
#include <string_view>

#include <boost/url/url_view.hpp>

#include "core/util/result.hpp"

namespace tether::http {

struct uri_rules {
  // RFC 3986 6.2.3 makes "https://h:/" the same as "https://h/": allowed where URIs are
  // compared (htu), refused where one is connected to.
  bool empty_port_allowed = false;
};

// The parsed URI (a view into `text`), or error "uri.syntax" whose message quotes the text.
result<boost::urls::url_view> parse_absolute_uri(std::string_view text, uri_rules rules = {});

// parse_absolute_uri, an https scheme and a host: what an input file must give for a server the
// runner connects to. Error "uri.syntax".
status check_https_url(std::string_view text);

}  // namespace tether::http
