#pragma once
// JWT access tokens (RFC 9068) and their confirmation claim (RFC 7800 3.1, RFC 8705 3.1,
// RFC 9449 6.1): the mock AS issues them here and the mock RS validates them here, so both
// sides agree on one reading of the profile.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/jose/jwk.hpp"
#include "core/util/result.hpp"

namespace tether::token {

// Signs claims as an RFC 9068 token: header typ "at+jwt" (9068 2.1), alg, and kid when the key
// has one. `typ` exists so that a mock can issue a token that breaks 9068 2.1 on purpose.
result<std::string> issue_jwt(const nlohmann::json& claims, const jose::jwk& key, std::string_view alg,
                              std::string_view typ = "at+jwt");

enum class token_check {
  ok,
  malformed,       // not a JWS compact JWT with a JSON object payload
  bad_typ,         // typ is not at+jwt / application/at+jwt (9068 4: MUST check)
  bad_alg,         // none, MAC, or not allowed
  unknown_key,     // no key in the set fits the header
  bad_signature,
  bad_issuer,      // iss differs from the expected issuer (9068 4)
  bad_audience,    // aud does not contain the expected audience (9068 4)
  expired,         // exp in the past (beyond leeway)
  not_yet_valid,   // nbf or iat in the future (beyond leeway)
  missing_claim,   // iss, exp, aud, sub, client_id, iat or jti absent or mistyped (9068 2.2)
};

const char* to_string(token_check);

struct validation_policy {
  std::string issuer;
  std::string audience;
  std::vector<std::string> algs{"ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"};
  int64_t leeway_s = 30;
  bool require_at_jwt_typ = true;
};

struct token_verdict {
  token_check check = token_check::ok;
  std::string detail;      // one sentence naming the claim or header
  nlohmann::json header;
  nlohmann::json claims;
  bool ok() const { return check == token_check::ok; }
};

token_verdict validate_jwt(std::string_view token, const jose::jwk_set& keys,
                           const validation_policy& policy, int64_t now);

// True if the token has the shape of a JWS compact JWT (three base64url parts); used to tell
// JWT access tokens from opaque ones without judging them.
bool looks_like_jwt(std::string_view token);

// The confirmation members the suite understands, read from a token's claims or an
// introspection response (both carry a top-level "cnf" object). Unknown members are kept in
// `raw` and otherwise ignored, as RFC 7800 3.1 requires.
struct confirmation {
  std::optional<std::string> x5t_s256;  // RFC 8705 3.1
  std::optional<std::string> jkt;       // RFC 9449 6.1
  nlohmann::json raw;                   // the cnf object as received (null when absent)
  bool present() const { return !raw.is_null(); }
  bool bound() const { return x5t_s256.has_value() || jkt.has_value(); }
};

// Error when cnf is present but not an object, or when x5t#S256 / jkt are not strings.
result<confirmation> read_confirmation(const nlohmann::json& claims);

}  // namespace tether::token
