#pragma once
// How the client presented its access token: which method (Authorization header, form body,
// query: RFC 6750 2.1 to 2.3), which scheme, and the DPoP header fields next to it. Everything
// that makes the request itself malformed or ambiguous is refused here, before any token is
// judged: RFC 6750 3.1 invalid_request (more than one method, a repeated parameter, an
// unsupported one) and RFC 9449 7.1/7.2 (two Authorization fields, the DPoP scheme without a
// proof).

#include <string>
#include <variant>
#include <vector>

#include "core/http/message.hpp"
#include "mocks/rs/challenge.hpp"
#include "mocks/rs/rs_config.hpp"

namespace tether::rs {

enum class token_via { header, body, query };
const char* to_string(token_via);

struct presentation {
  token_via via = token_via::header;
  std::string scheme;         // "Bearer" or "DPoP" (canonical); "Bearer" for body and query
  std::string scheme_sent;    // as received ("" for body and query)
  std::string token;
  std::vector<std::string> dpop_headers;  // every DPoP field value, in order
  std::size_t authorization_count = 0;
  bool is_dpop() const { return scheme == "DPoP"; }
};

// Either the presentation, or the refusal of a request that carries no usable credentials
// (401 without error) or is malformed (400 invalid_request, or the dpop_scheme_without_proof
// answer).
using presentation_result = std::variant<presentation, rejection>;

presentation_result read_presentation(const http::request& request, const rs_config& config);

// The path part of an origin-form request target, and the query (without '?'), as received.
std::string target_path(const std::string& target);
std::string target_query(const std::string& target);

}  // namespace tether::rs
