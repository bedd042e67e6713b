#pragma once
// The DPoP proof of one resource request, checked by core/dpop's verifier under the policy the
// configuration describes (algs, iat window, clock offset, RS nonces, the jti replay cache), and
// the mapping of each failed check to the refusal this server gives (RFC 9449 7.1, 9, 11.1 and
// the emulation knobs). The break knobs that the verifier does not know (skip_htm_check,
// skip_htu_check, skip_iat_check, skip_nonce_check, no_replay_cache, replay_key_whole_proof)
// are applied here, and each is reported only when it really changed the verdict.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dpop/proof_verifier.hpp"
#include "core/dpop/replay_cache.hpp"
#include "mocks/rs/challenge.hpp"
#include "mocks/rs/rs_config.hpp"
#include "mocks/rs/rs_nonces.hpp"

namespace tether::rs {

struct proof_context {
  std::vector<std::string> dpop_headers;
  std::string method;
  std::string url;                         // absolute URI of this request, without query
  std::string access_token;
  std::optional<std::string> bound_jkt;    // nullopt: the key binding is not compared
};

struct dpop_outcome {
  dpop::proof_verdict verdict;
  std::vector<std::string> knobs;  // break knobs that changed this verdict
  bool ok() const { return verdict.ok(); }
  nlohmann::json event(std::size_t count) const;  // the event log's "dpop" member
};

class dpop_checker {
 public:
  dpop_checker(const rs_config& config, rs_nonces& nonces, std::size_t replay_capacity = 100000);

  // now: this server's time (clock_offset_s applied).
  dpop_outcome check(const proof_context& proof, int64_t now);

  const dpop::replay_cache& replay() const { return replay_; }

 private:
  const rs_config& config_;
  rs_nonces& nonces_;
  std::vector<std::string> algs_;
  dpop::replay_cache replay_;
  // With no_replay_cache or replay_key_whole_proof, the jti still goes through this one so the
  // event log can say when a replay was let through because of the knob.
  dpop::replay_cache shadow_replay_;
};

// The refusal for a failed proof check (9449 7.1 invalid_dpop_proof unless a knob or section 9
// says otherwise).
rejection refusal_for(const dpop::proof_verdict& verdict, const rs_config& config);

}  // namespace tether::rs
