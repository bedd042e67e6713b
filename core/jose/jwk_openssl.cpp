// JWK <-> OpenSSL 3 EVP_PKEY (EVP_PKEY_fromdata and EVP_PKEY_get_*_param only: no deprecated
// RSA_* or EC_KEY_* calls), PEM in and out, key generation, and the key-strength checks.

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>

#include "core/jose/base64url.hpp"
#include "core/jose/detail.hpp"

namespace tether::jose {
namespace {

using json = nlohmann::json;
using param_bld_ptr = std::unique_ptr<OSSL_PARAM_BLD, ossl::deleter<OSSL_PARAM_BLD_free>>;
using param_ptr = std::unique_ptr<OSSL_PARAM, ossl::deleter<OSSL_PARAM_free>>;
using bn_ctx_ptr = std::unique_ptr<BN_CTX, ossl::deleter<BN_CTX_free>>;

error ossl_error(std::string code, std::string what) {
  const std::string detail = ossl::drain_errors();
  return make_error(std::move(code), detail.empty() ? what : what + " (" + detail + ")");
}

ossl::bn_ptr to_bn(std::string_view bytes) {
  return ossl::bn_ptr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()), nullptr));
}

result<ossl::pkey_ptr> from_params(const char* type, int selection, OSSL_PARAM* params) {
  ossl::pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 || EVP_PKEY_fromdata(ctx.get(), &raw, selection, params) <= 0)
    return ossl_error("jwk.key", std::string("OpenSSL rejected the ") + type + " key");
  return ossl::pkey_ptr(raw);
}

// EVP_PKEY_pairwise_check: the private part must belong to the public part the JWK states.
status pairwise(EVP_PKEY* key, std::string_view member) {
  ossl::pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1)
    return ossl_error("jwk.mismatch", "JWK member \"" + std::string(member) + "\": the private key does not match the public key");
  return {};
}

// Big-endian fixed-width export of a BIGNUM parameter, as JWK wants it.
result<std::string> bn_param(const EVP_PKEY* key, const char* name, int width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    ERR_clear_error();
    return make_error("jwk.export", std::string("key has no ") + name);
  }
  ossl::bn_ptr bn(raw);
  const int len = width > 0 ? width : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(len == 0 ? 1 : len), '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) < 0)
    return make_error("jwk.export", std::string(name) + " does not fit its JWK size");
  return out;
}

// ROCA (CVE-2017-15361): moduli from the flawed Infineon generator are, modulo every small
// prime p below, a power of 65537. A random modulus passes all 38 tests with probability about
// 4e-9, so a hit is taken as the fingerprint.
bool has_roca_fingerprint(const BIGNUM* n) {
  static constexpr unsigned primes[] = {3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
                                        73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};
  for (const unsigned p : primes) {
    const BN_ULONG r = BN_mod_word(n, p);
    const unsigned g = 65537 % p;
    unsigned x = 1;
    bool in_subgroup = false;
    do {
      if (x == r) in_subgroup = true;
      x = x * g % p;
    } while (x != 1 && !in_subgroup);
    if (!in_subgroup) return false;
  }
  return true;
}

const char* ec_group_name(std::string_view crv) {
  if (crv == "P-256") return "prime256v1";
  if (crv == "P-384") return "secp384r1";
  if (crv == "P-521") return "secp521r1";
  return nullptr;
}

// A key whose only use is to lend its group parameters (see ec_key_from), one per curve and thread.
EVP_PKEY* ec_template(std::string_view crv) {
  thread_local ossl::pkey_ptr templates[3];
  const int i = crv == "P-256" ? 0 : crv == "P-384" ? 1 : 2;
  if (!templates[i]) templates[i].reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", ec_group_name(crv)));
  return templates[i].get();
}

struct recent_key {
  std::string encoded_point;
  ossl::pkey_ptr key;
};
thread_local std::array<recent_key, 8> recent_keys;
thread_local std::size_t next_recent = 0;

// A new reference to the key with this encoded public point, or nullptr.
EVP_PKEY* recent_ec_key(std::string_view encoded) {
  for (auto& r : recent_keys)
    if (r.key && r.encoded_point == encoded) {
      EVP_PKEY_up_ref(r.key.get());
      return r.key.get();
    }
  return nullptr;
}

void remember_ec_key(std::string_view encoded, EVP_PKEY* key) {
  auto& slot = recent_keys[next_recent++ % recent_keys.size()];
  EVP_PKEY_up_ref(key);
  slot.key.reset(key);
  slot.encoded_point.assign(encoded);
}

std::string crv_of_group(std::string_view group) {
  if (group == "prime256v1" || group == "P-256") return "P-256";
  if (group == "secp384r1" || group == "P-384") return "P-384";
  if (group == "secp521r1" || group == "P-521") return "P-521";
  return "";
}

json b64(const std::string& bytes) { return base64url_encode(bytes); }

int password_refused(char*, int, int, void*) { return -1; }  // never prompt on a terminal

}  // namespace

std::size_t ec_coord_len(std::string_view crv) {
  return crv == "P-256" ? 32 : crv == "P-384" ? 48 : crv == "P-521" ? 66 : 0;
}

result<ossl::pkey_ptr> ec_key_from(std::string_view crv, std::string_view x, std::string_view y, const std::string* d) {
  unsigned char point[1 + 2 * 66];
  point[0] = 0x04;  // uncompressed SEC1 point; OpenSSL checks that it lies on the curve
  std::memcpy(point + 1, x.data(), x.size());
  std::memcpy(point + 1 + x.size(), y.data(), y.size());
  char* group = const_cast<char*>(ec_group_name(crv));
  if (d == nullptr) {
    // Public keys are parsed for every DPoP proof. EVP_PKEY_fromdata builds a new EC_GROUP each
    // time (about 4 times the cost of the rest); copying the group from a per-thread template and
    // setting the point is equivalent and cheap. OpenSSL still checks the point is on the curve.
    // A client signs many proofs with one key, so the last few keys of this thread are reused
    // (the encoded point, whose length also fixes the curve, identifies the key).
    const std::string_view encoded(reinterpret_cast<const char*>(point), 1 + x.size() + y.size());
    if (EVP_PKEY* hit = recent_ec_key(encoded)) return ossl::pkey_ptr(hit);
    EVP_PKEY* tmpl = ec_template(crv);
    ossl::pkey_ptr key(EVP_PKEY_new());
    if (!tmpl || !key || EVP_PKEY_copy_parameters(key.get(), tmpl) != 1 ||
        EVP_PKEY_set1_encoded_public_key(key.get(), point, encoded.size()) != 1)
      return ossl_error("jwk.point", "JWK members \"x\", \"y\": not a point on " + std::string(crv));
    remember_ec_key(encoded, key.get());
    return key;
  }
  param_bld_ptr bld(OSSL_PARAM_BLD_new());
  ossl::bn_ptr priv = to_bn(*d);
  if (!bld || !priv || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, 1 + x.size() + y.size()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()))
    return ossl_error("jwk.key", "cannot assemble EC key parameters");
  param_ptr params(OSSL_PARAM_BLD_to_param(bld.get()));
  auto key = from_params("EC", EVP_PKEY_KEYPAIR, params.get());
  if (!key) return make_error("jwk.point", "JWK members \"x\", \"y\", \"d\": not a " + std::string(crv) + " key (" + key.err().message + ")");
  if (auto ok = pairwise(key->get(), "d"); !ok) return ok.err();
  return key;
}

result<ossl::pkey_ptr> rsa_key_from(const rsa_members& m) {
  param_bld_ptr bld(OSSL_PARAM_BLD_new());
  if (!bld) return ossl_error("jwk.key", "out of memory");
  std::vector<ossl::bn_ptr> keep;
  auto push = [&](const char* name, const std::string& bytes) {
    if (bytes.empty()) return true;
    keep.push_back(to_bn(bytes));
    return keep.back() && OSSL_PARAM_BLD_push_BN(bld.get(), name, keep.back().get()) == 1;
  };
  const bool factors = !m.p.empty();
  if (!push(OSSL_PKEY_PARAM_RSA_N, m.n) || !push(OSSL_PKEY_PARAM_RSA_E, m.e) || !push(OSSL_PKEY_PARAM_RSA_D, m.d) ||
      !push(OSSL_PKEY_PARAM_RSA_FACTOR1, m.p) || !push(OSSL_PKEY_PARAM_RSA_FACTOR2, m.q) ||
      !push(OSSL_PKEY_PARAM_RSA_EXPONENT1, m.dp) || !push(OSSL_PKEY_PARAM_RSA_EXPONENT2, m.dq) ||
      !push(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, m.qi))
    return ossl_error("jwk.key", "cannot assemble RSA key parameters");
  param_ptr params(OSSL_PARAM_BLD_to_param(bld.get()));
  auto key = from_params("RSA", m.d.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR, params.get());
  if (!key) return key.err();
  if (m.d.empty()) return key;
  if (factors) {
    if (auto ok = pairwise(key->get(), "d"); !ok) return ok.err();
    return key;
  }
  // Without the CRT factors OpenSSL cannot check the pair, so check (2^d)^e = 2 mod n directly.
  bn_ctx_ptr ctx(BN_CTX_new());
  ossl::bn_ptr two(BN_new()), s(BN_new()), v(BN_new());
  ossl::bn_ptr n = to_bn(m.n), e = to_bn(m.e), d = to_bn(m.d);
  if (!ctx || !two || !s || !v || !n || !e || !d || !BN_set_word(two.get(), 2) ||
      !BN_mod_exp(s.get(), two.get(), d.get(), n.get(), ctx.get()) ||
      !BN_mod_exp(v.get(), s.get(), e.get(), n.get(), ctx.get()))
    return ossl_error("jwk.key", "cannot check the RSA private exponent");
  if (BN_cmp(v.get(), two.get()) != 0)
    return make_error("jwk.mismatch", "JWK member \"d\": the private exponent does not match n and e");
  return key;
}

result<ossl::pkey_ptr> ed25519_key_from(std::string_view x, const std::string* d) {
  const auto* xp = reinterpret_cast<const unsigned char*>(x.data());
  if (d == nullptr) {
    ossl::pkey_ptr key(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, xp, x.size()));
    if (!key) return ossl_error("jwk.key", "JWK member \"x\": not an Ed25519 public key");
    return key;
  }
  ossl::pkey_ptr key(EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr,
                                                     reinterpret_cast<const unsigned char*>(d->data()), d->size()));
  unsigned char derived[32];
  std::size_t len = sizeof derived;
  if (!key || EVP_PKEY_get_raw_public_key(key.get(), derived, &len) != 1)
    return ossl_error("jwk.key", "JWK member \"d\": not an Ed25519 private key");
  if (len != x.size() || std::memcmp(derived, xp, len) != 0)
    return make_error("jwk.mismatch", "JWK member \"d\": the private key does not match \"x\"");
  return key;
}

std::string rsa_weakness(const EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  if (bits < min_rsa_bits)
    return "RSA modulus has " + std::to_string(bits) + " bits; RFC 7518 section 3.3 requires at least 2048";
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &raw) != 1) {
    ERR_clear_error();
    return "";
  }
  ossl::bn_ptr n(raw);
  if (has_roca_fingerprint(n.get())) return "RSA modulus has the ROCA fingerprint (CVE-2017-15361)";
  return "";
}

result<jwk> jwk::from_evp(EVP_PKEY* key) {
  if (key == nullptr) return make_error("jwk.key", "no key");
  EVP_PKEY_up_ref(key);
  ossl::pkey_ptr owned(key);
  json pub = json::object(), prv = json::object();
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) != 1)
      return ossl_error("jwk.key", "EC key without a named group");
    const std::string crv = crv_of_group(group);
    if (crv.empty()) return make_error("jwk.crv", std::string("EC group ") + group + " has no JWS algorithm");
    const int len = static_cast<int>(ec_coord_len(crv));
    auto x = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, len);
    auto y = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, len);
    if (!x || !y) return ossl_error("jwk.export", "cannot read the EC public point");
    pub = {{"kty", "EC"}, {"crv", crv}, {"x", b64(*x)}, {"y", b64(*y)}};
    auto d = bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, len);
    if (d) prv["d"] = b64(*d);
    return jwk_access::make(key_type::ec, crv, d.ok(), std::move(owned), "", pub, prv, json::object(), "");
  }
  if (EVP_PKEY_is_a(key, "RSA")) {
    auto n = bn_param(key, OSSL_PKEY_PARAM_RSA_N, 0);
    auto e = bn_param(key, OSSL_PKEY_PARAM_RSA_E, 0);
    if (!n || !e) return ossl_error("jwk.export", "cannot read the RSA public key");
    pub = {{"kty", "RSA"}, {"n", b64(*n)}, {"e", b64(*e)}};
    auto d = bn_param(key, OSSL_PKEY_PARAM_RSA_D, 0);
    if (d) {
      prv["d"] = b64(*d);
      const std::pair<const char*, const char*> crt[] = {
          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
          {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1}, {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
          {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
      json factors = json::object();
      for (const auto& [member, param] : crt)
        if (auto v = bn_param(key, param, 0)) factors[member] = b64(*v);
      if (factors.size() == 5) prv.update(factors);  // RFC 7518 6.3.2: all or none
    }
    std::string weak = rsa_weakness(key);
    return jwk_access::make(key_type::rsa, "", d.ok(), std::move(owned), "", pub, prv, json::object(), std::move(weak));
  }
  if (EVP_PKEY_is_a(key, "ED25519")) {
    std::string x(32, '\0'), d(32, '\0');
    std::size_t xl = x.size(), dl = d.size();
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(x.data()), &xl) != 1 || xl != 32)
      return ossl_error("jwk.export", "cannot read the Ed25519 public key");
    pub = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", b64(x)}};
    const bool priv = EVP_PKEY_get_raw_private_key(key, reinterpret_cast<unsigned char*>(d.data()), &dl) == 1 && dl == 32;
    ERR_clear_error();
    if (priv) prv["d"] = b64(d);
    return jwk_access::make(key_type::okp, "Ed25519", priv, std::move(owned), "", pub, prv, json::object(), "");
  }
  return make_error("jwk.kty", std::string("OpenSSL key type ") + EVP_PKEY_get0_type_name(key) + " has no JWK form here");
}

result<jwk> jwk::from_pem(std::string_view pem) {
  ossl::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return ossl_error("jwk.pem", "out of memory");
  if (EVP_PKEY* priv = PEM_read_bio_PrivateKey(bio.get(), nullptr, password_refused, nullptr)) {
    ossl::pkey_ptr owned(priv);
    return from_evp(priv);
  }
  ERR_clear_error();
  ossl::bio_ptr again(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (EVP_PKEY* pub = again ? PEM_read_bio_PUBKEY(again.get(), nullptr, password_refused, nullptr) : nullptr) {
    ossl::pkey_ptr owned(pub);
    return from_evp(pub);
  }
  return ossl_error("jwk.pem", "no unencrypted private key or SubjectPublicKeyInfo in the PEM text");
}

std::string jwk::to_pem(bool include_private) const {
  if (!pkey_) return "";
  ossl::bio_ptr bio(BIO_new(BIO_s_mem()));
  const bool ok = include_private && has_private_
                      ? PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1
                      : PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) == 1;
  if (!ok) {
    ERR_clear_error();
    return "";
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

result<jwk> jwk::generate(std::string_view alg) {
  const alg_info* a = find_alg(alg);
  if (a == nullptr) return make_error("jwk.alg", "cannot generate a key for unknown alg \"" + std::string(alg) + "\"");
  EVP_PKEY* raw = nullptr;
  switch (a->family) {
    case alg_family::hmac: {
      std::string secret(a->hash_len, '\0');
      if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), static_cast<int>(secret.size())) != 1)
        return ossl_error("jwk.generate", "no randomness");
      json prv = {{"k", base64url_encode(secret)}};
      return jwk_access::make(key_type::oct, "", true, nullptr, std::move(secret), json{{"kty", "oct"}}, prv,
                              json::object(), "");
    }
    case alg_family::rsa_pkcs1:
    case alg_family::rsa_pss: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(min_rsa_bits)); break;
    case alg_family::ecdsa: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", ec_group_name(a->crv)); break;
    case alg_family::eddsa: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
  }
  if (raw == nullptr) return ossl_error("jwk.generate", "key generation failed for " + std::string(alg));
  ossl::pkey_ptr owned(raw);
  return from_evp(raw);
}

}  // namespace tether::jose
