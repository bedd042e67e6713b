#pragma once
// Verifies DPoP proofs as RFC 9449 section 4.3 (checks 1 to 12) and 11.1 (replay) describe,
// under a policy. The verdict names the check that failed as a typed value, so a server can map
// it to an error code and status (those differ between real servers: the mocks make that
// mapping a knob) and a test can assert exactly which check fired.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/jose/jwk.hpp"

namespace tether::dpop {

class nonce_service;
class proof_key_cache;
class replay_cache;

enum class proof_check {
  ok,
  missing,          // no DPoP header at all
  multiple,         // 4.3 (1): more than one DPoP header field
  malformed,        // 4.3 (2): not one well-formed JWS compact JWT
  missing_claim,    // 4.3 (3): a required header parameter or claim is absent or mistyped
  bad_typ,          // 4.3 (4)
  bad_alg,          // 4.3 (5): none, MAC, unknown, or not allowed by policy
  bad_jwk,          // 4.3 (5/6): jwk unusable or does not suit alg
  bad_signature,    // 4.3 (6)
  private_key,      // 4.3 (7)
  htm_mismatch,     // 4.3 (8)
  htu_mismatch,     // 4.3 (9)
  nonce_missing,    // 4.3 (10) / 11.3: the server requires a nonce and the proof has none
  nonce_invalid,    // 4.3 (10): stale, from another server, or not ours
  iat_too_old,      // 4.3 (11)
  iat_in_future,    // 4.3 (11)
  ath_missing,      // 4.3 (12), 7
  ath_mismatch,     // 4.3 (12)
  key_mismatch,     // 4.3 (12), 6: proof key is not the token's cnf.jkt
  replayed,         // 11.1: jti already seen for this htu within the window
};

const char* to_string(proof_check);

struct verify_policy {
  std::vector<std::string> algs{"ES256", "ES384", "ES512", "PS256", "RS256", "EdDSA"};
  int64_t max_age_s = 300;     // oldest acceptable iat (11.1)
  int64_t max_future_s = 30;   // iat may be slightly in the future (4.3 (11))
  bool normalise_htu = true;   // RFC 3986 6.2.2 / 6.2.3 before comparing (4.3, SHOULD)
  bool require_nonce = false;  // the server hands out nonces and demands them (8, 9, 11.3)
  nonce_service* nonces = nullptr;
  replay_cache* replay = nullptr;  // nullptr: no replay check
  proof_key_cache* keys = nullptr;  // parsed proof keys reused across proofs; nullptr: parse each

  // Knobs that break the verifier on purpose, so the suite can prove its scenarios catch them.
  bool skip_ath_check = false;        // do not check ath at all
  bool accept_private_jwk = false;    // let a jwk with private members through
  bool case_insensitive_htu = false;  // compare htu ignoring case everywhere (paths too)
  // Check typ, jti, htm, htu, iat and ath only when present, the way a server that tests
  // `if (claims.htm && claims.htm != method)` does (an absent jti is never a replay). alg and
  // jwk stay required: without them the signature cannot be checked at all.
  bool only_present_claims = false;
};

struct proof_request {
  std::vector<std::string> dpop_headers;   // every DPoP header field value, in order
  std::string method;                      // request method as received
  std::string url;                         // absolute URI of the request as this server is reached
  std::optional<std::string> access_token; // at a resource: ath and the key binding are checked
  std::optional<std::string> bound_jkt;    // the token's cnf.jkt, when it has one
};

struct proof_verdict {
  proof_check check = proof_check::ok;
  std::string detail;       // one sentence: what was wrong, naming the header or claim
  nlohmann::json header;    // parsed header, when parsing got that far
  nlohmann::json claims;    // parsed claims, when parsing got that far
  std::string jkt;          // thumbprint of the proof key, when known
  bool ok() const { return check == proof_check::ok; }
};

// now: seconds since the epoch (passed in so tests control time).
proof_verdict verify_proof(const proof_request& request, const verify_policy& policy, int64_t now);

}  // namespace tether::dpop
