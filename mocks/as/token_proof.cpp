#include "mocks/as/token_proof.hpp"

#include "core/dpop/proof_verifier.hpp"
#include "core/jose/jws.hpp"

namespace tether::as {
namespace {

using dpop::proof_check;

bool is_nonce_check(proof_check c) {
  return c == proof_check::nonce_missing || c == proof_check::nonce_invalid;
}

// The thumbprint of whatever key the first DPoP header names, for accept_invalid_proof: a
// broken proof is bound to the key it claims, if it claims a readable one.
std::optional<std::string> claimed_jkt(const std::vector<std::string>& headers) {
  if (headers.empty()) return std::nullopt;
  auto jws = jose::parse_compact(headers.front());
  if (!jws || !jws->header.contains("jwk")) return std::nullopt;
  auto jkt = jose::thumbprint_of(jws->header["jwk"]);
  if (!jkt) return std::nullopt;
  return *jkt;
}

// The defect of replay_key_whole_proof: the cache is keyed on the proof's bytes, so only the
// identical proof is a repeat. The jti is recorded too, under the endpoint URI as the verifier
// would (the proof has passed the htu check), so that the event can say when a fresh proof
// with a used jti got through because of the knob. Each kind of key has its own prefix, so
// the two never meet in the one cache.
void whole_proof_replay_check(const dpop::proof_request& pr, const dpop::verify_policy& policy,
                              int64_t now, as_state& state, dpop::proof_verdict& v, exchange& x) {
  const int64_t iat = v.claims["iat"].get<int64_t>();
  const std::string jti = v.claims["jti"].get<std::string>();
  const bool jti_fresh = state.replay.first_use("jti:" + jti, pr.url, iat + policy.max_age_s, now);
  if (!state.replay.first_use("proof:" + pr.dpop_headers.front(), pr.url, iat + policy.max_age_s, now)) {
    v.check = proof_check::replayed;
    v.detail = "this very proof was already used for this htu";
  } else if (!jti_fresh) {
    x.used_knob("replay_key_whole_proof");
  }
}

}  // namespace

void add_fresh_nonce(http::response& res, const as_state& state) {
  res.headers.set("DPoP-Nonce", state.nonces.issue(state.now()));
}

proof_outcome check_token_proof(const http::request& req, const std::string& url, as_state& state,
                                exchange& x) {
  proof_outcome out;
  const auto& cfg = state.config;
  dpop::proof_request pr;
  pr.dpop_headers = req.headers.all("DPoP");
  pr.method = req.method;
  pr.url = url;
  if (pr.dpop_headers.empty()) return out;
  out.present = true;

  dpop::verify_policy policy;
  policy.max_age_s = cfg.dpop_max_age_s;
  policy.max_future_s = cfg.dpop_max_future_s;
  policy.require_nonce = cfg.require_nonce;
  policy.nonces = cfg.require_nonce ? &state.nonces : nullptr;  // no nonce handed out: none judged
  // replay_key_whole_proof does its own (wrong) single-use check below, after the verifier.
  policy.replay = cfg.replay_key_whole_proof ? nullptr : &state.replay;
  const int64_t now = state.now();

  dpop::proof_verdict v = dpop::verify_proof(pr, policy, now);
  if (v.ok() && cfg.replay_key_whole_proof) whole_proof_replay_check(pr, policy, now, state, v, x);
  // The knobs run the correct check first, so that the log can say when they changed the answer.
  if (is_nonce_check(v.check) && cfg.skip_nonce_check) {
    x.used_knob("skip_nonce_check");
    policy.require_nonce = false;
    policy.nonces = nullptr;
    v = dpop::verify_proof(pr, policy, now);
  }
  bool accepted = v.ok();
  if (v.check == proof_check::replayed && cfg.no_replay_cache) {
    x.used_knob("no_replay_cache");
    accepted = true;
  }
  if (!accepted && !is_nonce_check(v.check) && cfg.accept_invalid_proof) {
    x.used_knob("accept_invalid_proof");
    accepted = true;
  }

  nlohmann::json event = {{"count", pr.dpop_headers.size()}, {"check", dpop::to_string(v.check)},
                          {"accepted", accepted}};
  if (!v.detail.empty()) event["detail"] = v.detail;
  if (!v.header.is_null()) event["header"] = v.header;
  if (!v.claims.is_null()) event["claims"] = v.claims;
  if (!v.jkt.empty()) event["jkt"] = v.jkt;
  x.event["dpop"] = std::move(event);

  if (accepted) {
    if (!v.jkt.empty()) out.jkt = v.jkt;
    else out.jkt = claimed_jkt(pr.dpop_headers);
    return out;
  }
  if (is_nonce_check(v.check)) {
    // RFC 9449 8: a missing or mismatched nonce gets use_dpop_nonce and the nonce to use.
    out.error = oauth_error{"use_dpop_nonce", v.detail};
    out.wants_nonce = true;
    return out;
  }
  // RFC 9449 5: invalid_dpop_proof; some servers send invalid_request (knob bad_proof_error).
  out.error = oauth_error{cfg.bad_proof_error, v.detail};
  if (cfg.bad_proof_error != as_config{}.bad_proof_error) x.used_knob("bad_proof_error");
  return out;
}

}  // namespace tether::as
