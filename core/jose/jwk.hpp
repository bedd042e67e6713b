#pragma once
// JSON Web Keys (RFC 7517, RFC 7518 section 6, RFC 8037) backed by OpenSSL 3 EVP keys, and
// RFC 7638 thumbprints. This is the only place that converts between JWK JSON and OpenSSL keys.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "core/util/result.hpp"

namespace tether::jose {

enum class key_type { ec, rsa, okp, oct };

const char* to_string(key_type);

class jwk {
 public:
  // Strict parse: known kty; required members present and strings; base64url strict; EC point
  // on the named curve (P-256, P-384, P-521) with full-length coordinates; OKP curve Ed25519;
  // RSA integers in minimal Base64urlUInt form, odd modulus, odd exponent >= 3. Private members
  // (d, p, q, dp, dq, qi) are kept, checked against the public part, and reported by
  // has_private(). Other members (kid, use, alg, key_ops, x5c, ...) are type-checked and
  // preserved. Key strength (RSA at least 2048 bits, no ROCA modulus) is NOT a parse error, so
  // that weak keys can still be loaded to build defective tokens: weakness() reports it and
  // verify() refuses such keys.
  static result<jwk> parse(const nlohmann::json& j);
  static result<jwk> parse(std::string_view json_text);

  // A fresh key suited to a JWS alg: ES256 -> P-256, ES384 -> P-384, ES512 -> P-521,
  // RS*/PS* -> RSA-2048, EdDSA -> Ed25519, HS* -> as many random bytes as the hash output
  // (32, 48, 64: RFC 7518 3.2 forbids shorter HMAC keys).
  static result<jwk> generate(std::string_view alg);

  // From a PEM private or public key (PKCS#8, traditional, SubjectPublicKeyInfo).
  static result<jwk> from_pem(std::string_view pem);
  // Takes a reference (EVP_PKEY_up_ref) on key.
  static result<jwk> from_evp(EVP_PKEY* key);

  key_type type() const { return type_; }
  const std::string& curve() const { return crv_; }  // "P-256", "Ed25519", "" for RSA/oct
  bool has_private() const { return has_private_; }

  // The same key without private members (and without non-public extras such as "d").
  jwk public_key() const;

  // JSON form: public members always, private members only when has_private(), plus the
  // preserved extra members (kid, use, alg, x5c...).
  nlohmann::json to_json() const;
  // Only the public members required for this key type plus kid/alg/use if present.
  nlohmann::json public_json() const;

  // RFC 7638: SHA-256 over the required public members in lexicographic order, base64url.
  std::string thumbprint() const;

  std::string to_pem(bool include_private) const;

  // Borrowed OpenSSL key (nullptr for oct keys).
  EVP_PKEY* evp() const { return pkey_.get(); }
  // Raw secret for oct keys.
  const std::string& secret() const { return secret_; }

  // The default JWS alg for this key (ES256 for P-256, EdDSA for Ed25519, RS256 for RSA, HS256).
  std::string default_alg() const;
  // True if the key can verify under the JWS alg: type and curve fit (P-256 only with ES256,
  // and so on), the JWA minimum sizes hold (RSA >= 2048 bits, HMAC key >= hash size), the key
  // is not weak, and its own "alg" and "use" members, when present, agree (RFC 7517 4.2, 4.4).
  bool suits(std::string_view alg) const;

  // Why the key falls short of JWA's strength requirements ("" when it does not): an RSA
  // modulus under 2048 bits (RFC 7518 3.3), or one with the ROCA fingerprint (CVE-2017-15361).
  const std::string& weakness() const { return weakness_; }

  const nlohmann::json& extra_members() const { return extra_; }
  // Sets a preserved member (kid, alg, use, x5c...). Key material (kty, crv, x, y, n, e, k, d,
  // p, q, dp, dq, qi) cannot be changed this way and is ignored: edit to_json() to forge it.
  void set_member(const std::string& name, nlohmann::json value);

 private:
  friend struct jwk_access;  // the parsers and OpenSSL converters in jwk*.cpp

  key_type type_ = key_type::ec;
  std::string crv_;
  bool has_private_ = false;
  std::shared_ptr<EVP_PKEY> pkey_;
  std::string secret_;
  nlohmann::json extra_ = nlohmann::json::object();
  nlohmann::json public_members_ = nlohmann::json::object();   // kty and the public key material
  nlohmann::json private_members_ = nlohmann::json::object();  // d, p, q, dp, dq, qi; k for oct
  std::string weakness_;
};

// A JWK Set (RFC 7517 section 5). Members that are not usable JWKs are skipped, as section 5
// asks ("SHOULD ignore JWKs ... that are not understood ... or missing required members"), and
// their reasons kept for reports. A set that mixes secret (oct) keys with asymmetric keys is
// rejected: such a set invites algorithm confusion and never occurs legitimately.
class jwk_set {
 public:
  static result<jwk_set> parse(const nlohmann::json& j);
  static result<jwk_set> parse(std::string_view json_text);

  const std::vector<jwk>& keys() const { return keys_; }
  const std::vector<std::string>& skipped() const { return skipped_; }

  // The one key a JWS header designates: the keys whose "kid" equals the header's "kid" (all
  // keys when the header has none) that suit alg. Errors when none does, or when more than one
  // does, or when a skipped member carries the same kid (an ambiguous choice must not be
  // resolved silently, even by a parse failure: RFC 7517 4.5 asks for distinct kids).
  result<const jwk*> select(const nlohmann::json& header, std::string_view alg) const;

  nlohmann::json to_json() const;

 private:
  std::vector<jwk> keys_;
  std::vector<std::string> skipped_;
  std::vector<std::string> skipped_kids_;
};

// RFC 7638 thumbprint of a JWK given as JSON, without requiring a usable key (used to judge
// thumbprints a peer reported). Errors if required members are missing.
result<std::string> thumbprint_of(const nlohmann::json& jwk_json);

}  // namespace tether::jose
