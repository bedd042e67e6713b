#pragma once
// Minting access tokens: RFC 9068 JWTs signed with the AS key (core/token) or opaque strings
// kept for introspection (RFC 7662), with the confirmation claim of RFC 8705 3.1 (x5t#S256)
// and RFC 9449 6.1 (jkt), and the token_type the client must see (RFC 9449 5).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tls/certificate.hpp"
#include "core/util/result.hpp"
#include "mocks/as/as_state.hpp"
#include "mocks/as/oauth_response.hpp"

namespace tether::as {

// What a token is bound to. x5t is the thumbprint as the AS writes it (knobs pad_x5t and
// x5t_standard_base64 apply); x5t_correct is the RFC 8705 3.1 value.
struct binding {
  std::optional<std::string> x5t;
  std::optional<std::string> x5t_correct;
  std::optional<std::string> jkt;
  bool any() const { return x5t || jkt; }
};

// RFC 8705 3.1: base64url(SHA-256(DER)), no padding; or the broken forms the knobs ask for.
std::string x5t_as_written(const tls::certificate& cert, const as_config& config, exchange& x);

struct token_spec {
  std::string client_id;
  std::string subject;
  std::string scope;                   // "" for none
  std::vector<std::string> resources;  // RFC 8707; empty: the configured audience
  binding bound;
};

struct issued_token {
  std::string access_token;
  std::string token_type;  // as answered to the client
  nlohmann::json claims;
  nlohmann::json cnf;      // as written (null when none)
};

// Records token_type, cnf and token_format in x.event and the knobs that changed them.
// cfg is state.config, or the token profile the request selected (token_profiles.hpp).
result<issued_token> issue_access_token(const token_spec& spec, as_state& state, const as_config& cfg, exchange& x);

}  // namespace tether::as
