#pragma once
// WWW-Authenticate challenges (RFC 9110 11.6.1, 11.2: several challenges in one field, quoted
// strings with backslash escapes, token68) and the Authorization credentials that answer them,
// for the Bearer (RFC 6750 3) and DPoP (RFC 9449 7.1, with algs) schemes. The only place that
// formats or parses either header.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/result.hpp"

namespace tether::http {

// A challenge holds a token68 or auth-params, never both (RFC 9110 11.6.1). A repeated
// param name is kept as received (11.2 forbids it; judging that is the caller's business).
struct challenge {
  std::string scheme;                                        // as received ("DPoP", "bearer")
  std::optional<std::string> token68;
  std::vector<std::pair<std::string, std::string>> params;  // names as received, values unquoted

  // Case-insensitive lookup of an auth-param (RFC 9110 11.2: names are case-insensitive).
  std::optional<std::string> param(std::string_view name) const;
  bool scheme_is(std::string_view name) const;  // case-insensitive
};

// One or more challenges from one or more field values (each value may hold several). Spaces
// and tabs are both taken as whitespace; "DPoP abc=" is a token68 by the ABNF. An error
// names the offset and what was found there; "www_authenticate.empty" when no value holds
// a challenge.
result<std::vector<challenge>> parse_www_authenticate(const std::vector<std::string>& values);
result<std::vector<challenge>> parse_www_authenticate(std::string_view value);

// Quotes every param value (RFC 6750 3 requires quoted-string for its params).
std::string format_challenge(const challenge& c);
std::string format_challenges(const std::vector<challenge>& cs);  // ", "-joined

struct credentials {
  std::string scheme;   // as received
  std::string token;    // the token68
};

// "Scheme token68": exactly one scheme and one token68 (RFC 9110 11.4, RFC 6750 2.1 b64token),
// separated by one or more spaces. Errors: authorization.empty, .scheme, .missing_token,
// .syntax (tab separator, trailing whitespace), .extra_part, .token_charset.
result<credentials> parse_authorization(std::string_view value);

}  // namespace tether::http
