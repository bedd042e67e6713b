#pragma once
// Builds DPoP proofs (RFC 9449 section 4.2): correct ones, and ones with exactly the defects a
// test needs. A defect is data (proof_defects, readable from a scenario's JSON), so a new
// negative scenario needs no C++ change; the builder reports which defects it applied so a
// test can check that the proof really is broken the way it claims.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/jose/jwk.hpp"
#include "core/util/result.hpp"

namespace tether::dpop {

// What a correct proof for one request says.
struct proof_spec {
  std::string htm;                          // request method
  std::string htu;                          // target URI; query and fragment are stripped (4.2)
  std::optional<std::string> access_token;  // when set, ath = base64url(SHA-256(token)) (4.2)
  std::optional<std::string> nonce;         // server-provided nonce (8, 9)
  std::optional<std::string> jti;           // default: 128 random bits, base64url
  int64_t iat = 0;                          // creation time, seconds since the epoch
  std::string alg;                          // default: key.default_alg()
};

// Each member, when set, breaks the proof in exactly one way. Names match the JSON keys.
struct proof_defects {
  std::optional<std::string> typ;           // "typ" header value instead of dpop+jwt
  std::vector<std::string> omit_header;     // any of "typ", "alg", "jwk"
  std::optional<std::string> alg;           // header alg: "none" (empty signature), "HS256"
                                            // (HMAC over the proof), or any other label
  bool private_jwk = false;                 // embed the private members of the key (d, ...)
  std::optional<nlohmann::json> jwk;        // embed this JWK instead of the signing key's
  std::vector<std::string> omit_claims;     // any of "jti", "htm", "htu", "iat", "ath", "nonce"
  std::optional<std::string> jti;           // jti claim value: a value already used is a replay
  std::optional<std::string> htm;           // htm claim value
  std::optional<std::string> htu;           // htu claim value, used verbatim (no stripping)
  int64_t iat_offset_s = 0;                 // added to iat
  std::optional<std::string> ath;           // "other_token" (hash of another token) or a literal
  std::optional<std::string> nonce;         // nonce claim value instead of the server's
  bool bad_signature = false;               // flip one bit of the signature
  std::optional<std::string> malformed;     // "not_jwt", "two_parts", "bad_base64",
                                            // "header_not_json", "payload_not_json"
  nlohmann::json extra_header = nlohmann::json::object();  // extra header parameters (4.2 allows)
  nlohmann::json extra_claims = nlohmann::json::object();  // extra claims (4.2 allows)

  // Unknown keys and wrong value types are errors naming the key.
  static result<proof_defects> from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
  bool empty() const;
};

struct built_proof {
  std::string compact;                 // the DPoP header value
  nlohmann::json header;               // the header as sent (empty for some "malformed")
  nlohmann::json claims;               // the claims as sent
  std::string jkt;                     // RFC 7638 thumbprint of the signing key
  std::vector<std::string> defects;    // names of the defects applied ("typ", "omit_claims:ath", ...)
};

result<built_proof> build_proof(const jose::jwk& key, const proof_spec& spec,
                                const proof_defects& defects = {});

// base64url(SHA-256(ASCII(access_token))), the ath claim of RFC 9449 4.2; also the S256 PKCE
// code challenge of a verifier (RFC 7636 4.2), which is the same computation.
std::string access_token_hash(std::string_view access_token);

}  // namespace tether::dpop
