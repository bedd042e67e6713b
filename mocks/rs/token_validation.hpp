#pragma once
// Is the access token authentic, unexpired and meant for this resource? For JWTs (RFC 9068)
// core/token judges signature, typ, iss, aud and times against the AS's keys; for opaque
// tokens the AS answers through introspection (RFC 7662). The result carries the token's cnf;
// the binding itself is checked elsewhere (binding.hpp) on every request, cached token or not.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "mocks/rs/jwks_source.hpp"
#include "mocks/rs/rs_config.hpp"
#include "mocks/rs/token_cache.hpp"

namespace tether::rs {

// Longer tokens are refused unread: the header limit bounds the Authorization field, this
// bounds a token sent in a 1 MB form body.
inline constexpr std::size_t max_token_bytes = 16 * 1024;

struct token_outcome {
  std::shared_ptr<const validated_token> token;  // set when valid
  std::string check = "ok";   // token_check name, or "too_long", "inactive", "bad_cnf",
                              // "as_unavailable"
  std::string detail;         // one sentence naming the claim or header
  std::string format;         // "jwt" or "introspection"
  bool cached = false;
  bool unavailable = false;   // the AS could not answer: not the client's fault (503)
  nlohmann::json claims;      // what was decoded, even when invalid
  std::vector<std::string> knobs;  // break knobs that let this token through
  bool ok() const { return token != nullptr; }
};

// The AS's answer for one token, or why it could not be had.
using introspect_function = std::function<result<nlohmann::json>(const std::string& token)>;

class token_validator {
 public:
  // keys: for token_format jwt; introspect: for token_format introspection. Either may be
  // null when the other format is configured.
  token_validator(const rs_config& config, std::string issuer, jwks_source* keys,
                  introspect_function introspect);

  // now: seconds since the epoch, already shifted by clock_offset_s.
  token_outcome validate(const std::string& token, int64_t now);

  const token_cache& cache() const { return cache_; }

 private:
  token_outcome validate_jwt(const std::string& token, int64_t now);
  token_outcome validate_introspected(const std::string& token, int64_t now);

  const rs_config& config_;
  std::string issuer_;
  jwks_source* keys_;
  introspect_function introspect_;
  token_cache cache_;
};

// Space-separated scope string (RFC 6749 3.3) of a token's claims or introspection answer.
std::vector<std::string> scopes_of(const nlohmann::json& claims);

}  // namespace tether::rs
