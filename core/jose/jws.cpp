// JWS compact serialization (RFC 7515 sections 3.1, 5, 7.1) over OpenSSL 3 EVP. The parser keeps
// the bytes as received; sign() will sign with any key of the right type (so that tests can
// build defective tokens), verify() is strict about everything it can judge.

#include "core/jose/jws.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <algorithm>

#include "core/jose/base64url.hpp"
#include "core/jose/detail.hpp"

namespace tether::jose {
namespace {

using json = nlohmann::json;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, ossl::deleter<ECDSA_SIG_free>>;

const char* const part_names[] = {"protected header", "payload", "signature"};

error crypto_error(std::string code, std::string what) {
  const std::string detail = ossl::drain_errors();
  return make_error(std::move(code), detail.empty() ? what : what + " (" + detail + ")");
}

// The digest-sign/verify context for alg, with PSS set up as RFC 7518 3.5 requires: MGF1 with
// the same hash, salt as long as the hash.
bool init_ctx(EVP_MD_CTX* ctx, const alg_info& alg, EVP_PKEY* key, bool signing) {
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = alg.md ? alg.md() : nullptr;
  const int ok = signing ? EVP_DigestSignInit(ctx, &pctx, md, nullptr, key)
                         : EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, key);
  if (ok != 1) return false;
  if (alg.family == alg_family::rsa_pss)
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
  if (alg.family == alg_family::rsa_pkcs1) return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  return true;
}

result<std::string> hmac(const alg_info& alg, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  static const unsigned char empty = 0;  // HMAC() wants a pointer even for an empty key
  const auto* k = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  if (HMAC(alg.md(), k, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out, &len) == nullptr)
    return crypto_error("jws.sign", "HMAC failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

// RFC 7518 3.4: the JWS form of an ECDSA signature is r and s as fixed-width big-endian octets.
result<std::string> der_to_raw(const std::string& der, std::size_t coord) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ecdsa_sig_ptr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return crypto_error("jws.sign", "OpenSSL returned an unreadable ECDSA signature");
  const BIGNUM *r = nullptr, *s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * coord, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, static_cast<int>(coord)) < 0 || BN_bn2binpad(s, out + coord, static_cast<int>(coord)) < 0)
    return make_error("jws.sign", "ECDSA r or s does not fit the curve size");
  return raw;
}

// The DER form OpenSSL verifies, written into buf; returns its length or 0.
int raw_to_der(std::string_view raw, unsigned char* buf, int cap) {
  const std::size_t half = raw.size() / 2;
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  ecdsa_sig_ptr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(p, static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(p + half, static_cast<int>(half), nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return 0;
  }
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0 || len > cap) return 0;
  unsigned char* out = buf;
  return i2d_ECDSA_SIG(sig.get(), &out);
}

std::size_t expected_signature_len(const alg_info& alg, const jwk& key) {
  switch (alg.family) {
    case alg_family::hmac: return alg.hash_len;
    case alg_family::ecdsa: return 2 * alg.coord_len;
    case alg_family::eddsa: return 64;
    case alg_family::rsa_pkcs1:
    case alg_family::rsa_pss: return static_cast<std::size_t>(EVP_PKEY_get_size(key.evp()));
  }
  return 0;
}

// RFC 7515 4.1.11: a recipient MUST reject a JWS whose "crit" names an extension it does not
// understand; this implementation understands none, and "crit" must not be empty or malformed.
status check_crit(const json& header) {
  const auto it = header.find("crit");
  if (it == header.end()) return {};
  if (!it->is_array() || it->empty())
    return make_error("jws.crit", "header \"crit\" must be a non-empty array (RFC 7515 section 4.1.11)");
  for (const auto& name : *it) {
    if (!name.is_string()) return make_error("jws.crit", "header \"crit\" holds a non-string");
    return make_error("jws.crit", "header \"crit\" names extension \"" + name.get<std::string>() +
                                      "\", which is not understood (RFC 7515 section 4.1.11)");
  }
  return {};
}

}  // namespace

status check_key(const jwk& key, const alg_info& alg, key_purpose purpose) {
  const std::string name(alg.name);
  const bool fits = [&] {
    switch (alg.family) {
      case alg_family::hmac: return key.type() == key_type::oct;
      case alg_family::rsa_pkcs1:
      case alg_family::rsa_pss: return key.type() == key_type::rsa;
      case alg_family::ecdsa: return key.type() == key_type::ec && key.curve() == alg.crv;
      case alg_family::eddsa: return key.type() == key_type::okp && key.curve() == alg.crv;
    }
    return false;
  }();
  if (!fits)
    return make_error("jws.key_type", std::string("a ") + to_string(key.type()) +
                                          (key.curve().empty() ? "" : " " + key.curve()) + " key cannot serve " + name);
  if (purpose == key_purpose::sign) {
    if (!key.has_private()) return make_error("jws.key_private", "signing with " + name + " needs a private key");
    return {};
  }
  const json& extra = key.extra_members();
  if (auto it = extra.find("alg"); it != extra.end() && *it != name)
    return make_error("jws.key_alg", "the key is for alg " + it->dump() + ", not " + name + " (RFC 7517 section 4.4)");
  if (auto it = extra.find("use"); it != extra.end() && *it != "sig")
    return make_error("jws.key_use", "the key's \"use\" is " + it->dump() + ", not \"sig\" (RFC 7517 section 4.2)");
  if (!key.weakness().empty()) return make_error("jws.key_weak", key.weakness());
  if (alg.family == alg_family::hmac && key.secret().size() < alg.hash_len)
    return make_error("jws.key_size", name + " needs a key of at least " + std::to_string(alg.hash_len) + " bytes, this one has " +
                                          std::to_string(key.secret().size()) + " (RFC 7518 section 3.2)");
  return {};
}

bool is_known_alg(std::string_view alg) { return find_alg(alg) != nullptr; }

bool is_asymmetric_alg(std::string_view alg) {
  const alg_info* a = find_alg(alg);
  return a != nullptr && a->family != alg_family::hmac;
}

result<compact_jws> parse_compact(std::string_view text) {
  const std::size_t dot1 = text.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || text.find('.', dot2 + 1) != std::string_view::npos) {
    const auto parts = std::count(text.begin(), text.end(), '.') + 1;
    return make_error("jws.parts", "compact JWS has " + std::to_string(parts) +
                                       " dot-separated parts, three are required (RFC 7515 section 7.1)");
  }
  compact_jws out;
  const std::string_view raw[] = {text.substr(0, dot1), text.substr(dot1 + 1, dot2 - dot1 - 1), text.substr(dot2 + 1)};
  std::string* decoded[] = {&out.header_bytes, &out.payload_bytes, &out.signature};
  for (int i = 0; i < 3; ++i) {
    auto bytes = base64url_decode(raw[i]);
    if (!bytes) return make_error("jws." + bytes.err().code, std::string("JWS ") + part_names[i] + ": " + bytes.err().message);
    *decoded[i] = std::move(*bytes);
  }
  if (out.header_bytes.empty()) return make_error("jws.header", "JWS protected header is empty");
  auto header = parse_json_object(out.header_bytes);
  if (!header) return make_error("jws.header", "JWS protected header: " + header.err().message);
  out.header = std::move(*header);
  out.protected_b64 = raw[0];
  out.payload_b64 = raw[1];
  out.signature_b64 = raw[2];
  return out;
}

result<std::string> sign(std::string_view signing_input, const jwk& key, std::string_view alg) {
  const alg_info* a = find_alg(alg);
  if (a == nullptr) return make_error("jws.alg", "cannot sign with unknown alg \"" + std::string(alg) + "\"");
  if (auto ok = check_key(key, *a, key_purpose::sign); !ok) return ok.err();
  if (a->family == alg_family::hmac) return hmac(*a, key.secret(), signing_input);

  ossl::md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx || !init_ctx(ctx.get(), *a, key.evp(), true)) return crypto_error("jws.sign", "cannot start " + std::string(alg));
  std::size_t len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data, signing_input.size()) != 1)
    return crypto_error("jws.sign", std::string(alg) + " signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data, signing_input.size()) != 1)
    return crypto_error("jws.sign", std::string(alg) + " signing failed");
  sig.resize(len);
  if (a->family == alg_family::ecdsa) return der_to_raw(sig, a->coord_len);
  return sig;
}

result<std::string> sign_compact(const nlohmann::json& header, std::string_view payload, const jwk& key,
                                 std::string_view alg) {
  std::string header_text;
  try {
    header_text = header.dump();
  } catch (const nlohmann::json::exception& e) {
    return make_error("jws.header", std::string("header cannot be serialised: ") + e.what());
  }
  std::string input = base64url_encode(header_text);
  input += '.';
  input += base64url_encode(payload);
  auto sig = sign(input, key, alg);
  if (!sig) return sig.err();
  input += '.';
  input += base64url_encode(*sig);
  return input;
}

std::string assemble_compact(std::string_view header_bytes, std::string_view payload_bytes, std::string_view signature) {
  return base64url_encode(header_bytes) + "." + base64url_encode(payload_bytes) + "." + base64url_encode(signature);
}

status verify(const compact_jws& jws, const jwk& key, std::string_view alg) {
  const alg_info* a = find_alg(alg);
  if (a == nullptr) return make_error("jws.alg", "alg \"" + std::string(alg) + "\" is not supported");
  // The caller chose alg; a token that names another one was not made for this check.
  const auto h = jws.header.find("alg");
  if (h == jws.header.end()) return make_error("jws.alg", "header has no \"alg\" (RFC 7515 section 4.1.1)");
  if (!h->is_string() || h->get_ref<const std::string&>() != alg)
    return make_error("jws.alg", "header \"alg\" is " + h->dump() + ", expected \"" + std::string(alg) + "\"");
  if (auto ok = check_crit(jws.header); !ok) return ok;
  if (auto ok = check_key(key, *a, key_purpose::verify); !ok) return ok;
  if (auto it = key.extra_members().find("key_ops"); it != key.extra_members().end() &&
                                                     std::find(it->begin(), it->end(), "verify") == it->end())
    return make_error("jws.key_ops", "the key's \"key_ops\" does not include \"verify\" (RFC 7517 section 4.3)");

  const std::size_t want = expected_signature_len(*a, key);
  if (jws.signature.size() != want)
    return make_error("jws.signature_length", std::string(alg) + " signature has " + std::to_string(jws.signature.size()) +
                                                  " bytes, expected " + std::to_string(want));
  if (a->family == alg_family::hmac) {
    auto mac = hmac(*a, key.secret(), jws.signing_input());
    if (!mac) return mac.err();
    if (CRYPTO_memcmp(mac->data(), jws.signature.data(), want) != 0)
      return make_error("jws.signature", "HMAC does not match");
    return {};
  }

  ossl::md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx || !init_ctx(ctx.get(), *a, key.evp(), false)) return crypto_error("jws.verify", "cannot start " + std::string(alg));
  const auto* sig = reinterpret_cast<const unsigned char*>(jws.signature.data());
  std::size_t sig_len = jws.signature.size();
  unsigned char der[2 * 66 + 16];
  if (a->family == alg_family::ecdsa) {
    const int len = raw_to_der(jws.signature, der, sizeof der);
    if (len <= 0) return crypto_error("jws.signature", "ECDSA signature cannot be encoded");
    sig = der;
    sig_len = static_cast<std::size_t>(len);
  }
  int ok = 0;
  if (a->family == alg_family::eddsa) {
    // Ed25519 has no streaming interface (RFC 8032 5.1.6 hashes the message twice).
    const std::string input = jws.signing_input();
    ok = EVP_DigestVerify(ctx.get(), sig, sig_len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  } else {
    ok = EVP_DigestVerifyUpdate(ctx.get(), jws.protected_b64.data(), jws.protected_b64.size()) == 1 &&
                 EVP_DigestVerifyUpdate(ctx.get(), ".", 1) == 1 &&
                 EVP_DigestVerifyUpdate(ctx.get(), jws.payload_b64.data(), jws.payload_b64.size()) == 1
             ? EVP_DigestVerifyFinal(ctx.get(), sig, sig_len)
             : 0;
  }
  if (ok != 1) {
    ERR_clear_error();
    return make_error("jws.signature", std::string(alg) + " signature does not verify with this key");
  }
  return {};
}

}  // namespace tether::jose
