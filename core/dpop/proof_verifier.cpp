// RFC 9449 4.3 checks 1 to 12, then 11.1 replay. 4.3 allows any order; this one follows the
// list, so that the check reported is the first rule the proof breaks and a test can name it.
// Replay comes last, after the signature: a forged proof must not be able to burn a jti that
// the real client has yet to use.

#include "core/dpop/proof_verifier.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>

#include "core/dpop/htu.hpp"
#include "core/dpop/nonce_service.hpp"
#include "core/dpop/proof_builder.hpp"
#include "core/dpop/proof_key_cache.hpp"
#include "core/dpop/replay_cache.hpp"
#include "core/jose/jws.hpp"

namespace tether::dpop {
namespace {

using nlohmann::json;

// A proof with an RSA-4096 key is under 3 KB; anything far larger is not a proof, and refusing
// it before decoding bounds the work an attacker can ask for.
constexpr std::size_t max_proof_size = 16 * 1024;
// 11.1: reject unnecessarily large jti values (the replay cache stores only a hash anyway).
constexpr std::size_t max_jti_size = 512;

// A value from the proof, quoted for a detail sentence: short and printable.
std::string shown(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < 80; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (text.size() > 80) out += "...";
  return out + "\"";
}

const json* member(const json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// 4.2 / 4.3 (3): the header parameters and claims every proof carries, with their JSON types.
// only_present is verify_policy's knob: an absent member (but alg and jwk) passes, a present
// one is still typed.
const char* missing_member(const json& header, const json& claims, std::string& detail,
                           bool only_present) {
  const auto skipped = [&](const json* value) { return value == nullptr && only_present; };
  const json* typ = member(header, "typ");
  if (!skipped(typ) && (typ == nullptr || !typ->is_string())) {
    detail = typ ? "the typ header parameter is not a string" : "the typ header parameter is missing";
    return "typ";
  }
  const json* alg = member(header, "alg");
  if (alg == nullptr || !alg->is_string()) {
    detail = alg ? "the alg header parameter is not a string" : "the alg header parameter is missing";
    return "alg";
  }
  const json* jwk = member(header, "jwk");
  if (jwk == nullptr || !jwk->is_object()) {
    detail = jwk ? "the jwk header parameter is not a JSON object"
                 : "the jwk header parameter is missing";
    return "jwk";
  }
  const json* jti = member(claims, "jti");
  if (!skipped(jti)) {
    if (jti == nullptr || !jti->is_string() || jti->get_ref<const std::string&>().empty()) {
      detail = jti == nullptr      ? "the jti claim is missing"
               : !jti->is_string() ? "the jti claim is not a string"
                                   : "the jti claim is empty";
      return "jti";
    }
    if (jti->get_ref<const std::string&>().size() > max_jti_size) {
      detail = "the jti claim is " + std::to_string(jti->get_ref<const std::string&>().size()) +
               " bytes long; at most " + std::to_string(max_jti_size) + " are accepted (11.1)";
      return "jti";
    }
  }
  for (const char* name : {"htm", "htu"}) {
    const json* value = member(claims, name);
    if (!skipped(value) && (value == nullptr || !value->is_string())) {
      detail = std::string("the ") + name + " claim is " + (value ? "not a string" : "missing");
      return name;
    }
  }
  const json* iat = member(claims, "iat");
  if (!skipped(iat) && (iat == nullptr || !iat->is_number_integer())) {
    detail = iat ? "the iat claim is not an integer (seconds since the epoch)"
                 : "the iat claim is missing";
    return "iat";
  }
  return nullptr;
}

bool has_private_members(const json& jwk_json, const jose::jwk& key) {
  // RFC 7518 6.2.2, 6.3.2, 6.4 and RFC 8037 2: the members that only a private key has. The JSON
  // is checked too, so that a member the key parser ignored still counts.
  static constexpr std::array<const char*, 8> names{"d", "p", "q", "dp", "dq", "qi", "oth", "k"};
  if (key.has_private()) return true;
  for (const char* name : names) {
    if (jwk_json.contains(name)) return true;
  }
  return false;
}

int64_t iat_seconds(const json& iat) {
  if (iat.is_number_unsigned() &&
      iat.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return std::numeric_limits<int64_t>::max();
  }
  return iat.get<int64_t>();
}

// The verdict under construction. The parsed header stays in the compact_jws until the end
// (jose::verify reads it) and is moved into the verdict then, rather than copied up front.
struct verdict_builder {
  proof_verdict v;
  jose::compact_jws* jws = nullptr;

  proof_verdict done() {
    if (jws != nullptr) v.header = std::move(jws->header);
    return std::move(v);
  }
  proof_verdict fail(proof_check check, std::string detail) {
    v.check = check;
    v.detail = std::move(detail);
    return done();
  }
};

}  // namespace

const char* to_string(proof_check check) {
  switch (check) {
    case proof_check::ok: return "ok";
    case proof_check::missing: return "missing";
    case proof_check::multiple: return "multiple";
    case proof_check::malformed: return "malformed";
    case proof_check::missing_claim: return "missing_claim";
    case proof_check::bad_typ: return "bad_typ";
    case proof_check::bad_alg: return "bad_alg";
    case proof_check::bad_jwk: return "bad_jwk";
    case proof_check::bad_signature: return "bad_signature";
    case proof_check::private_key: return "private_key";
    case proof_check::htm_mismatch: return "htm_mismatch";
    case proof_check::htu_mismatch: return "htu_mismatch";
    case proof_check::nonce_missing: return "nonce_missing";
    case proof_check::nonce_invalid: return "nonce_invalid";
    case proof_check::iat_too_old: return "iat_too_old";
    case proof_check::iat_in_future: return "iat_in_future";
    case proof_check::ath_missing: return "ath_missing";
    case proof_check::ath_mismatch: return "ath_mismatch";
    case proof_check::key_mismatch: return "key_mismatch";
    case proof_check::replayed: return "replayed";
  }
  return "unknown";
}

proof_verdict verify_proof(const proof_request& request, const verify_policy& policy,
                           int64_t now) {
  verdict_builder out;

  // (1) exactly one DPoP header field.
  if (request.dpop_headers.empty()) {
    return out.fail(proof_check::missing, "the request has no DPoP header");
  }
  if (request.dpop_headers.size() > 1) {
    return out.fail(proof_check::multiple,
                    "the request has " + std::to_string(request.dpop_headers.size()) +
                        " DPoP header fields; 4.3 allows one");
  }

  // (2) one well-formed JWT: JWS compact serialization with a JSON object as payload.
  const std::string& value = request.dpop_headers.front();
  if (value.size() > max_proof_size) {
    return out.fail(proof_check::malformed, "the DPoP header is " + std::to_string(value.size()) +
                                                " bytes long, too long for a proof");
  }
  auto jws = jose::parse_compact(value);
  if (!jws) {
    return out.fail(proof_check::malformed, "the DPoP header is not a JWT: " + jws.err().message);
  }
  out.jws = &*jws;
  auto claims = jose::parse_json_object(jws->payload_bytes);
  if (!claims) {
    return out.fail(proof_check::malformed,
                    "the DPoP proof payload is not a JSON object: " + claims.err().message);
  }
  out.v.claims = std::move(*claims);
  const json& header = jws->header;
  const json& payload = out.v.claims;

  // (3) required header parameters and claims.
  std::string detail;
  if (missing_member(header, payload, detail, policy.only_present_claims) != nullptr) {
    return out.fail(proof_check::missing_claim, std::move(detail));
  }
  // Past (3) a member is absent only under only_present_claims; it then reads as the value the
  // request gives it, so that its check passes.
  const auto text_or = [](const json& object, const char* name,
                          const std::string& otherwise) -> const std::string& {
    const json* value = member(object, name);
    return value ? value->get_ref<const std::string&>() : otherwise;
  };
  static const std::string dpop_typ = "dpop+jwt";

  // (4) explicit typing (11.5: a JWT of another kind must not pass as a proof).
  const auto& typ = text_or(header, "typ", dpop_typ);
  if (typ != dpop_typ) {
    return out.fail(proof_check::bad_typ,
                    "the typ header parameter is " + shown(typ) + ", not \"dpop+jwt\"");
  }

  // (5) an asymmetric algorithm this server allows, and a jwk that suits it.
  const auto& alg = header["alg"].get_ref<const std::string&>();
  if (alg == "none") {
    return out.fail(proof_check::bad_alg, "the alg header parameter is \"none\"; 4.2 forbids it");
  }
  if (jose::is_known_alg(alg) && !jose::is_asymmetric_alg(alg)) {
    return out.fail(proof_check::bad_alg, "the alg header parameter " + shown(alg) +
                                              " is a MAC algorithm; 4.2 forbids it");
  }
  if (!jose::is_asymmetric_alg(alg)) {
    return out.fail(proof_check::bad_alg, "the alg header parameter " + shown(alg) +
                                              " is not a supported asymmetric JWS algorithm");
  }
  if (std::find(policy.algs.begin(), policy.algs.end(), alg) == policy.algs.end()) {
    return out.fail(proof_check::bad_alg, "the alg header parameter " + shown(alg) +
                                              " is not allowed by this server's policy");
  }
  // The key: from the cache when this exact header was verified before (same bytes, same
  // jwk), otherwise parsed from the jwk header parameter.
  const json& jwk_json = header["jwk"];
  proof_key_cache::entry cached;
  if (policy.keys != nullptr) cached = policy.keys->find(jws->header_bytes);
  std::shared_ptr<const jose::jwk> key = cached.key;
  if (!key) {
    auto parsed = jose::jwk::parse(jwk_json);
    if (!parsed) {
      return out.fail(proof_check::bad_jwk, "the jwk header parameter is not a usable key: " +
                                                parsed.err().message);
    }
    key = std::make_shared<const jose::jwk>(std::move(*parsed));
  }
  if (key->type() == jose::key_type::oct || !key->suits(alg)) {
    return out.fail(proof_check::bad_jwk, std::string("the jwk header parameter (kty ") +
                                              jose::to_string(key->type()) +
                                              ") does not suit alg " + shown(alg));
  }
  if (cached.key) {
    out.v.jkt = cached.jkt;
  } else if (auto jkt = jose::thumbprint_of(jwk_json); jkt) {
    out.v.jkt = std::move(*jkt);
  }

  // (6) the signature, with the key from the proof itself.
  if (auto verified = jose::verify(*jws, *key, alg); !verified) {
    return out.fail(proof_check::bad_signature,
                    "the signature does not verify with the jwk header parameter: " +
                        verified.err().message);
  }

  // (7) the jwk must be public: a client that sends its private key has lost it.
  const bool private_members = has_private_members(jwk_json, *key);
  if (private_members && !policy.accept_private_jwk) {
    return out.fail(proof_check::private_key,
                    "the jwk header parameter contains private key members");
  }
  // Only keys whose holder has just proven possession are remembered.
  if (policy.keys != nullptr && !cached.key && !private_members) {
    policy.keys->store(jws->header_bytes, {key, out.v.jkt});
  }

  // (8) method; RFC 9110 9.1: method names are case-sensitive.
  const auto& htm = text_or(payload, "htm", request.method);
  if (htm != request.method) {
    return out.fail(proof_check::htm_mismatch, "the htm claim " + shown(htm) +
                                                   " does not match the request method " +
                                                   shown(request.method));
  }

  // (9) target URI without query and fragment, normalised per RFC 3986 (4.3, SHOULD).
  const auto& htu = text_or(payload, "htu", request.url);
  const htu_options htu_opts{policy.normalise_htu, policy.case_insensitive_htu};
  auto claimed_uri = comparable_htu(htu, htu_opts);
  // A client usually sends the very string the server sees: then one normalisation serves both.
  auto request_uri = htu == request.url ? claimed_uri : comparable_htu(request.url, htu_opts);
  if (!claimed_uri || !request_uri || *claimed_uri != *request_uri) {
    return out.fail(proof_check::htu_mismatch,
                    "the htu claim " + shown(htu) + " does not match the request URI " +
                        shown(request.url) +
                        (policy.normalise_htu ? " (compared after RFC 3986 normalisation)"
                                              : " (compared as strings)"));
  }

  // (10) nonce: once a server hands out nonces it must not accept proofs without one (11.3).
  const json* nonce = member(payload, "nonce");
  if (nonce == nullptr) {
    if (policy.require_nonce) {
      return out.fail(proof_check::nonce_missing,
                      "the nonce claim is missing and this server requires one");
    }
  } else if (!nonce->is_string()) {
    return out.fail(proof_check::nonce_invalid, "the nonce claim is not a string");
  } else if (policy.nonces != nullptr) {
    const auto& text = nonce->get_ref<const std::string&>();
    switch (policy.nonces->verify(text, now)) {
      case nonce_service::check::valid: break;
      case nonce_service::check::stale:
        return out.fail(proof_check::nonce_invalid, "the nonce claim " + shown(text) +
                                                        " was issued by this server but is stale");
      case nonce_service::check::unknown:
        return out.fail(proof_check::nonce_invalid, "the nonce claim " + shown(text) +
                                                        " was not issued by this server");
    }
  }

  // (11) creation time within the window (11.1), a little future allowed for clock skew. iat
  // is checked even when a nonce carries the server's time: the nonce's own lifetime was checked
  // at (10), and a proof must pass both.
  const json* iat_claim = member(payload, "iat");
  const int64_t iat = iat_claim ? iat_seconds(*iat_claim) : now;
  constexpr int64_t century = int64_t{100} * 365 * 24 * 3600;  // keeps the arithmetic in range
  if (iat < now - policy.max_age_s) {
    const std::string age = iat < now - century ? "more than a century"
                                                : std::to_string(now - iat) + " s";
    return out.fail(proof_check::iat_too_old,
                    "the iat claim " + std::to_string(iat) + " is " + age + " old; at most " +
                        std::to_string(policy.max_age_s) + " s are accepted");
  }
  if (iat > now + policy.max_future_s) {
    const std::string ahead = iat > now + century ? "more than a century"
                                                  : std::to_string(iat - now) + " s";
    return out.fail(proof_check::iat_in_future,
                    "the iat claim " + std::to_string(iat) + " is " + ahead +
                        " in the future; at most " + std::to_string(policy.max_future_s) +
                        " s are accepted");
  }

  // (12) at a resource: ath binds the proof to the token (7), the key binds the token (6).
  if (request.access_token && !policy.skip_ath_check) {
    const json* ath = member(payload, "ath");
    if (ath == nullptr && !policy.only_present_claims) {
      return out.fail(proof_check::ath_missing,
                      "the ath claim is missing although an access token was presented");
    }
    if (ath != nullptr && (!ath->is_string() || ath->get_ref<const std::string&>() !=
                                                    access_token_hash(*request.access_token))) {
      return out.fail(proof_check::ath_mismatch,
                      "the ath claim is not the SHA-256 hash of the presented access token");
    }
  }
  if (request.bound_jkt && *request.bound_jkt != out.v.jkt) {
    return out.fail(proof_check::key_mismatch,
                    "the proof key's thumbprint " + shown(out.v.jkt) +
                        " is not the access token's cnf.jkt " + shown(*request.bound_jkt));
  }

  // 11.1: one use per jti and target URI while the proof could be accepted at all.
  if (policy.replay != nullptr && payload.contains("jti")) {
    const auto& jti = payload["jti"].get_ref<const std::string&>();
    if (!policy.replay->first_use(jti, *claimed_uri, iat + policy.max_age_s, now)) {
      return out.fail(proof_check::replayed, "the jti claim " + shown(jti) +
                                                 " was already used for this htu");
    }
  }
  return out.done();
}

}  // namespace tether::dpop
