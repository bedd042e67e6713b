#pragma once
// Internal to core/jose: the JWS algorithm table (RFC 7518 section 3.1) and the OpenSSL
// conversions that jwk.cpp, jwk_openssl.cpp, jwk_set.cpp and jws.cpp share. Not for other modules.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "core/jose/jwk.hpp"
#include "core/util/openssl_ptr.hpp"
#include "core/util/result.hpp"

namespace tether::jose {

enum class alg_family { hmac, rsa_pkcs1, rsa_pss, ecdsa, eddsa };

struct alg_info {
  std::string_view name;
  alg_family family;
  const EVP_MD* (*md)();      // nullptr for EdDSA (one-shot, no pre-hash: RFC 8037 3.1)
  std::size_t hash_len;       // HMAC minimum key size and output size (RFC 7518 3.2)
  std::string_view crv;       // the only curve an ES*/EdDSA alg accepts (RFC 7518 3.4)
  std::size_t coord_len;      // ECDSA: bytes of r and of s in the JWS signature
};

inline constexpr std::array<alg_info, 13> alg_table{{
    {"HS256", alg_family::hmac, EVP_sha256, 32, "", 0},
    {"HS384", alg_family::hmac, EVP_sha384, 48, "", 0},
    {"HS512", alg_family::hmac, EVP_sha512, 64, "", 0},
    {"RS256", alg_family::rsa_pkcs1, EVP_sha256, 32, "", 0},
    {"RS384", alg_family::rsa_pkcs1, EVP_sha384, 48, "", 0},
    {"RS512", alg_family::rsa_pkcs1, EVP_sha512, 64, "", 0},
    {"PS256", alg_family::rsa_pss, EVP_sha256, 32, "", 0},
    {"PS384", alg_family::rsa_pss, EVP_sha384, 48, "", 0},
    {"PS512", alg_family::rsa_pss, EVP_sha512, 64, "", 0},
    {"ES256", alg_family::ecdsa, EVP_sha256, 32, "P-256", 32},
    {"ES384", alg_family::ecdsa, EVP_sha384, 48, "P-384", 48},
    {"ES512", alg_family::ecdsa, EVP_sha512, 64, "P-521", 66},
    {"EdDSA", alg_family::eddsa, nullptr, 0, "Ed25519", 0},
}};

inline const alg_info* find_alg(std::string_view name) {
  for (const auto& a : alg_table)
    if (a.name == name) return &a;
  return nullptr;
}

// RFC 7518 3.3 and 3.5: "A key of size 2048 bits or larger MUST be used".
inline constexpr int min_rsa_bits = 2048;

enum class key_purpose { sign, verify };

// Whether key can serve alg for purpose. Signing only needs the right type and curve and a
// private part, so that deliberately weak or mislabelled keys can still build test tokens;
// verifying also enforces JWA's size minimums, weakness, and the key's own alg/use/key_ops.
status check_key(const jwk& key, const alg_info& alg, key_purpose purpose);

// Coordinate size in bytes of a JWK EC curve name, 0 when unsupported.
std::size_t ec_coord_len(std::string_view crv);

// Builders from decoded JWK members (all big-endian octets), each validating what OpenSSL can.
result<ossl::pkey_ptr> ec_key_from(std::string_view crv, std::string_view x, std::string_view y,
                                   const std::string* d);
struct rsa_members {
  std::string n, e, d, p, q, dp, dq, qi;  // d and the factors empty for a public key
};
result<ossl::pkey_ptr> rsa_key_from(const rsa_members& m);
result<ossl::pkey_ptr> ed25519_key_from(std::string_view x, const std::string* d);

// "" or why an RSA key is too weak for JWS (RFC 7518 3.3; ROCA, CVE-2017-15361).
std::string rsa_weakness(const EVP_PKEY* key);

// Grants the parsers in jwk.cpp and jwk_openssl.cpp write access to jwk's private state.
struct jwk_access {
  static jwk make(key_type type, std::string crv, bool has_private, ossl::pkey_ptr pkey,
                  std::string secret, nlohmann::json public_members,
                  nlohmann::json private_members, nlohmann::json extra, std::string weakness);
};

}  // namespace tether::jose
