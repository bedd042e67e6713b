#pragma once
// Is the presenter the holder the token is bound to? The token's cnf decides what must be
// proven: x5t#S256 (RFC 8705 3) against the client certificate, jkt (RFC 9449 6, 7.1) against
// the DPoP proof. The scheme rules of RFC 9449 7.1/7.2 (no DPoP-bound token as a bearer token,
// no unbound token under the DPoP scheme) and cnf_policy for tokens with both members are
// applied here. Every check is done on every request: nothing here is cached.
//
// Order: the certificate (stateless) before the proof, whose check consumes the jti in the
// replay cache, so that a request refused for its certificate does not burn the proof.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "mocks/rs/cert_source.hpp"
#include "mocks/rs/challenge.hpp"
#include "mocks/rs/dpop_check.hpp"
#include "mocks/rs/presentation.hpp"
#include "mocks/rs/rs_config.hpp"
#include "mocks/rs/token_cache.hpp"

namespace tether::rs {

struct binding_outcome {
  std::optional<rejection> refused;
  // Per cnf member: "verified", "mismatch", "missing" or "not_checked" (docs/mock-events.md).
  nlohmann::json binding = nlohmann::json::object();
  std::optional<dpop_outcome> proof;  // when a proof was examined (its event member on demand)
  std::vector<std::string> knobs;
  bool ok() const { return !refused.has_value(); }
};

struct request_facts {
  const http::request& request;
  std::string url;       // absolute URI of the request without query (htu comparison)
  std::string cert_mode; // the listener's client_cert_mode, for the reason sentence
  int64_t now;           // clock_offset_s applied
};

binding_outcome check_binding(const validated_token& token, const presentation& p,
                              const observed_cert& cert, dpop_checker& proofs,
                              const request_facts& facts, const rs_config& config);

}  // namespace tether::rs
