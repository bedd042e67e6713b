#pragma once
// JSON Web Keys (RFC 7517, RFC 7518 section 6, RFC 8037) backed by OpenSSL 3 EVP keys, and
// RFC 7638 thumbprints. This is the only place that converts between JWK JSON and OpenSSL keys.

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "core/util/result.hpp"

namespace tether::jose {

enum class key_type { ec, rsa, okp, oct };

const char* to_string(key_type);

class jwk {
 public:
  // Strict parse: known kty; required members present and strings; base64url strict; EC point
  // on the named curve (P-256, P-384, P-521); OKP curve Ed25519; RSA modulus at least 2048 bits
  // is NOT enforced here (policy belongs to callers). Private members (d, p, q, dp, dq, qi) are
  // kept and reported by has_private(). Other members (kid, use, alg, x5c, ...) are preserved.
  static result<jwk> parse(const nlohmann::json& j);
  static result<jwk> parse(std::string_view json_text);

  // A fresh key suited to a JWS alg: ES256 -> P-256, ES384 -> P-384, ES512 -> P-521,
  // RS*/PS* -> RSA-2048, EdDSA -> Ed25519, HS* -> 32 random bytes.
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
  // True if the key type and curve fit the JWS alg (P-256 only with ES256, and so on).
  bool suits(std::string_view alg) const;

  const nlohmann::json& extra_members() const { return extra_; }
  void set_member(const std::string& name, nlohmann::json value);

 private:
  key_type type_ = key_type::ec;
  std::string crv_;
  bool has_private_ = false;
  std::shared_ptr<EVP_PKEY> pkey_;
  std::string secret_;
  nlohmann::json extra_ = nlohmann::json::object();
};

// RFC 7638 thumbprint of a JWK given as JSON, without requiring a usable key (used to judge
// thumbprints a peer reported). Errors if required members are missing.
result<std::string> thumbprint_of(const nlohmann::json& jwk_json);

}  // namespace tether::jose
