#include "mocks/rs/dpop_check.hpp"

#include <array>

#include "core/dpop/htu.hpp"
#include "core/dpop/proof_builder.hpp"
#include "core/jose/jws.hpp"

namespace tether::rs {

namespace {

using nlohmann::json;
using dpop::proof_check;

// skip_iat_check: a window of a century is "no window" without overflowing iat + max_age.
constexpr int64_t century_s = 100LL * 365 * 24 * 3600;

// The claims of a proof as sent, unverified: only to describe the request with the proof's own
// htm/htu when a skip knob asks for that. The verifier judges everything else.
json peek_claims(const std::vector<std::string>& headers) {
  if (headers.size() != 1) return nullptr;
  auto jws = jose::parse_compact(headers.front());
  if (!jws) return nullptr;
  auto claims = jose::parse_json_object(jws->payload_bytes);
  return claims ? *claims : json(nullptr);
}

std::string text_member(const json& object, const char* name) {
  if (!object.is_object()) return "";
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

const char* section_of(proof_check check) {
  switch (check) {
    case proof_check::missing: return "RFC 9449 7.1";
    case proof_check::multiple: return "RFC 9449 4.3 (1)";
    case proof_check::malformed: return "RFC 9449 4.3 (2)";
    case proof_check::missing_claim: return "RFC 9449 4.3 (3)";
    case proof_check::bad_typ: return "RFC 9449 4.3 (4)";
    case proof_check::bad_alg: return "RFC 9449 4.3 (5)";
    case proof_check::bad_jwk: return "RFC 9449 4.3 (5)";
    case proof_check::bad_signature: return "RFC 9449 4.3 (6)";
    case proof_check::private_key: return "RFC 9449 4.3 (7)";
    case proof_check::htm_mismatch: return "RFC 9449 4.3 (8)";
    case proof_check::htu_mismatch: return "RFC 9449 4.3 (9)";
    case proof_check::nonce_missing: return "RFC 9449 4.3 (10), 9, 11.3";
    case proof_check::nonce_invalid: return "RFC 9449 4.3 (10), 9";
    case proof_check::iat_too_old: return "RFC 9449 4.3 (11), 11.1";
    case proof_check::iat_in_future: return "RFC 9449 4.3 (11), 11.1";
    case proof_check::ath_missing: return "RFC 9449 4.3 (12), 7";
    case proof_check::ath_mismatch: return "RFC 9449 4.3 (12)";
    case proof_check::key_mismatch: return "RFC 9449 4.3 (12), 6";
    case proof_check::replayed: return "RFC 9449 11.1";
    case proof_check::ok: return "";
  }
  return "";
}

bool has_private_members(const json& header) {
  static constexpr std::array<const char*, 7> names{"d", "p", "q", "dp", "dq", "qi", "k"};
  auto jwk = header.find("jwk");
  if (jwk == header.end() || !jwk->is_object()) return false;
  for (const char* n : names)
    if (jwk->contains(n)) return true;
  return false;
}

}  // namespace

json dpop_outcome::event(std::size_t count) const {
  json e = {{"count", count}, {"check", dpop::to_string(verdict.check)}};
  if (!verdict.detail.empty()) e["detail"] = verdict.detail;
  if (verdict.header.is_object()) e["header"] = verdict.header;
  if (verdict.claims.is_object()) e["claims"] = verdict.claims;
  if (!verdict.jkt.empty()) e["jkt"] = verdict.jkt;
  return e;
}

dpop_checker::dpop_checker(const rs_config& config, rs_nonces& nonces, std::size_t replay_capacity)
    : config_(config),
      nonces_(nonces),
      algs_(dpop_alg_list(config)),
      replay_(replay_capacity),
      shadow_replay_(replay_capacity) {}

dpop_outcome dpop_checker::check(const proof_context& proof, int64_t now) {
  dpop::verify_policy policy;
  policy.algs = algs_;
  policy.max_age_s = config_.skip_iat_check ? century_s : config_.dpop_max_age_s;
  policy.max_future_s = config_.skip_iat_check ? century_s : config_.dpop_max_future_s;
  const bool nonce_check = nonces_.required() && !config_.skip_nonce_check;
  policy.require_nonce = nonce_check;
  // Without required nonces a nonce claim is not judged: this RS never issued one.
  policy.nonces = nonce_check ? &nonces_.service() : nullptr;
  // replay_key_whole_proof does its own (wrong) single-use check below, after the verifier.
  policy.replay = config_.no_replay_cache || config_.replay_key_whole_proof ? nullptr : &replay_;
  policy.skip_ath_check = config_.skip_ath_check;
  policy.accept_private_jwk = config_.accept_private_jwk;
  policy.only_present_claims = config_.accept_missing_claims;
  policy.case_insensitive_htu = config_.case_insensitive_htu;
  policy.normalise_htu = config_.htu_comparison != "exact";

  dpop::proof_request request;
  request.dpop_headers = proof.dpop_headers;
  request.method = proof.method;
  request.url = proof.url;
  request.access_token = proof.access_token;
  request.bound_jkt = proof.bound_jkt;
  if (config_.skip_htm_check || config_.skip_htu_check) {
    // Describe the request with the proof's own claims, so that checks (8)/(9) cannot fail.
    json claimed = peek_claims(proof.dpop_headers);
    if (config_.skip_htm_check && !text_member(claimed, "htm").empty())
      request.method = text_member(claimed, "htm");
    if (config_.skip_htu_check && !text_member(claimed, "htu").empty())
      request.url = text_member(claimed, "htu");
  }

  dpop_outcome out;
  out.verdict = dpop::verify_proof(request, policy, now);
  if (!out.ok()) {
    // Exact comparison refused an htu that RFC 3986 normalisation would have matched.
    if (!policy.normalise_htu && out.verdict.check == dpop::proof_check::htu_mismatch &&
        dpop::htu_matches(text_member(peek_claims(proof.dpop_headers), "htu"), proof.url, {true, false}))
      out.knobs.push_back("htu_comparison");
    return out;
  }

  // The proof passed: name each break knob without which it would not have.
  const json& claims = out.verdict.claims;
  const std::string htu = text_member(claims, "htu");
  const dpop::htu_options strict_htu{true, false};
  if (config_.skip_htm_check && text_member(claims, "htm") != proof.method)
    out.knobs.push_back("skip_htm_check");
  if ((config_.skip_htu_check || config_.case_insensitive_htu) &&
      !dpop::htu_matches(htu, proof.url, strict_htu)) {
    if (config_.skip_htu_check) out.knobs.push_back("skip_htu_check");
    else if (config_.case_insensitive_htu) out.knobs.push_back("case_insensitive_htu");
  }
  if (config_.skip_ath_check && text_member(claims, "ath") != dpop::access_token_hash(proof.access_token))
    out.knobs.push_back("skip_ath_check");
  if (config_.accept_private_jwk && has_private_members(out.verdict.header))
    out.knobs.push_back("accept_private_jwk");
  if (config_.accept_missing_claims) {
    bool missing = !out.verdict.header.contains("typ");
    for (const char* name : {"jti", "htm", "htu", "iat"}) missing = missing || !claims.contains(name);
    if (!config_.skip_ath_check && !claims.contains("ath")) missing = true;
    if (missing) out.knobs.push_back("accept_missing_claims");
  }
  const auto iat_it = claims.find("iat");
  const int64_t iat = iat_it != claims.end() && iat_it->is_number_integer() ? iat_it->get<int64_t>() : now;
  if (config_.skip_iat_check &&
      (iat < now - config_.dpop_max_age_s || iat > now + config_.dpop_max_future_s))
    out.knobs.push_back("skip_iat_check");
  static const rs_config defaults{};
  if (!config_.skip_iat_check && iat < now - defaults.dpop_max_age_s) out.knobs.push_back("dpop_max_age_s");
  if (!config_.skip_iat_check && iat > now + defaults.dpop_max_future_s)
    out.knobs.push_back("dpop_max_future_s");
  if (config_.skip_nonce_check && nonces_.required()) {
    const std::string nonce = text_member(claims, "nonce");
    if (nonce.empty() || nonces_.service().verify(nonce, now) != dpop::nonce_service::check::valid)
      out.knobs.push_back("skip_nonce_check");
  }
  auto replay_key = dpop::comparable_htu(htu, {true, config_.case_insensitive_htu});
  const std::string& uri_key = replay_key ? *replay_key : htu;
  const std::string jti = text_member(claims, "jti");
  if (config_.no_replay_cache) {
    if (!shadow_replay_.first_use(jti, uri_key, iat + policy.max_age_s, now))
      out.knobs.push_back("no_replay_cache");
  } else if (config_.replay_key_whole_proof) {
    // The defect: the cache holds the proof's bytes, so only the identical proof is a repeat.
    // The jti goes through the shadow cache, which says when a repeated jti was let through.
    const bool jti_fresh = shadow_replay_.first_use(jti, uri_key, iat + policy.max_age_s, now);
    if (!replay_.first_use(proof.dpop_headers.front(), uri_key, iat + policy.max_age_s, now)) {
      out.verdict.check = dpop::proof_check::replayed;
      out.verdict.detail = "this very proof was already used for this htu";
    } else if (!jti_fresh) {
      out.knobs.push_back("replay_key_whole_proof");
    }
  }
  return out;
}

rejection refusal_for(const dpop::proof_verdict& verdict, const rs_config& config) {
  const std::string section = section_of(verdict.check);
  const std::string detail = verdict.detail;
  static const rs_config defaults{};
  switch (verdict.check) {
    case proof_check::nonce_missing:
    case proof_check::nonce_invalid:
      return use_dpop_nonce(detail, "this resource server requires its own nonce in DPoP proofs: 401 "
                                    "use_dpop_nonce with a fresh DPoP-Nonce (" + section + ")");
    case proof_check::key_mismatch: {
      rejection r = config.key_mismatch_error == "invalid_dpop_proof"
                        ? invalid_dpop_proof(detail, config, "")
                        : invalid_token(detail, mechanism::dpop, "");
      r.reason = "the proof is not signed with the key the token is bound to (" + section +
                 "); key_mismatch_error=" + config.key_mismatch_error;
      if (config.key_mismatch_error != defaults.key_mismatch_error) r.knobs.push_back("key_mismatch_error");
      return r;
    }
    case proof_check::replayed: {
      rejection r = config.replay_error == "invalid_token" ? invalid_token(detail, mechanism::dpop, "")
                                                           : invalid_dpop_proof(detail, config, "");
      r.reason = "the proof's jti was already used for this URI within its window (" + section +
                 "); replay_error=" + config.replay_error;
      if (config.replay_error != defaults.replay_error) r.knobs.push_back("replay_error");
      return r;
    }
    case proof_check::missing: {
      rejection r;
      r.target = mechanism::dpop;
      r.description = detail;
      apply_status_error(r, config.dpop_scheme_without_proof);
      r.reason = "the DPoP scheme was used without a DPoP proof (" + section + ")";
      if (config.dpop_scheme_without_proof != defaults.dpop_scheme_without_proof)
        r.knobs.push_back("dpop_scheme_without_proof");
      return r;
    }
    case proof_check::iat_too_old:
    case proof_check::iat_in_future: {
      rejection r = invalid_dpop_proof(detail, config, "the proof's iat is outside this server's window (" +
                                                           section + "): dpop_max_age_s=" +
                                                           std::to_string(config.dpop_max_age_s) +
                                                           ", dpop_max_future_s=" +
                                                           std::to_string(config.dpop_max_future_s));
      if (verdict.check == proof_check::iat_too_old && config.dpop_max_age_s != defaults.dpop_max_age_s)
        r.knobs.push_back("dpop_max_age_s");
      if (verdict.check == proof_check::iat_in_future && config.dpop_max_future_s != defaults.dpop_max_future_s)
        r.knobs.push_back("dpop_max_future_s");
      return r;
    }
    default:
      return invalid_dpop_proof(detail, config,
                                "the DPoP proof fails a check of " + section + " (" +
                                    dpop::to_string(verdict.check) + ")");
  }
}

}  // namespace tether::rs
