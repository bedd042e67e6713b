// JWK parsing and serialisation (RFC 7517, RFC 7518 section 6, RFC 8037 section 2) and RFC 7638
// thumbprints. Parsing is strict: every error names the member and what was wrong with it, so
// that a report can say exactly how a peer's key was malformed. The OpenSSL side lives in
// jwk_openssl.cpp.

#include "core/jose/jwk.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <initializer_list>

#include "core/jose/base64url.hpp"
#include "core/jose/detail.hpp"
#include "core/jose/jws.hpp"

namespace tether::jose {
namespace {

using json = nlohmann::json;

error member_error(std::string code, std::string_view member, std::string what) {
  return make_error("jwk." + code, "JWK member \"" + std::string(member) + "\": " + what);
}

// A required or optional string member; nullptr when absent.
result<const std::string*> string_member(const json& j, std::string_view name, bool required) {
  const auto it = j.find(name);
  if (it == j.end()) {
    if (required) return member_error("missing", name, "required but absent");
    return static_cast<const std::string*>(nullptr);
  }
  if (!it->is_string()) return member_error("type", name, std::string("must be a string, not ") + it->type_name());
  return &it->get_ref<const std::string&>();
}

// A base64url member decoded; expected_len 0 means any length.
result<std::string> bytes_member(const json& j, std::string_view name, std::size_t expected_len,
                                 std::string_view why) {
  auto s = string_member(j, name, true);
  if (!s) return s.err();
  auto bytes = base64url_decode(**s);
  if (!bytes) return member_error("base64url", name, bytes.err().message);
  if (expected_len != 0 && bytes->size() != expected_len)
    return member_error("length", name, std::to_string(bytes->size()) + " bytes, " + std::string(why));
  return std::move(*bytes);
}

// RFC 7518 section 2, Base64urlUInt: "MUST utilize the minimum number of octets".
result<std::string> uint_member(const json& j, std::string_view name) {
  auto bytes = bytes_member(j, name, 0, "");
  if (!bytes) return bytes.err();
  if (bytes->empty()) return member_error("uint", name, "empty integer");
  if (bytes->size() > 1 && (*bytes)[0] == '\0')
    return member_error("uint", name, "leading zero octet (RFC 7518 section 2: minimal Base64urlUInt)");
  return std::move(*bytes);
}

// Validates the registered optional members (RFC 7517 section 4) and keeps every extra member.
result<json> collect_extras(const json& j, std::initializer_list<std::string_view> material) {
  json extra = json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& name = it.key();
    if (std::find(material.begin(), material.end(), name) != material.end()) continue;
    const json& v = it.value();
    if (name == "kid" || name == "use" || name == "alg" || name == "x5u" || name == "x5t" || name == "x5t#S256") {
      if (!v.is_string()) return member_error("type", name, std::string("must be a string, not ") + v.type_name());
      if (name == "x5t" || name == "x5t#S256") {
        auto d = base64url_decode(v.get_ref<const std::string&>());
        if (!d) return member_error("base64url", name, d.err().message);
        const std::size_t want = name == "x5t" ? 20 : 32;
        if (d->size() != want)
          return member_error("length", name, std::to_string(d->size()) + " bytes, a " +
                                                  (want == 20 ? "SHA-1" : "SHA-256") + " digest has " + std::to_string(want));
      }
    } else if (name == "key_ops") {
      if (!v.is_array()) return member_error("type", name, "must be an array of strings");
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) return member_error("type", name, "element " + std::to_string(i) + " is not a string");
        for (std::size_t k = 0; k < i; ++k)
          if (v[k] == v[i]) return member_error("duplicate", name, "duplicate value " + v[i].dump() + " (RFC 7517 section 4.3)");
      }
    } else if (name == "x5c") {
      if (!v.is_array() || v.empty()) return member_error("type", name, "must be a non-empty array of strings");
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) return member_error("type", name, "element " + std::to_string(i) + " is not a string");
        auto der = base64_decode(v[i].get_ref<const std::string&>());  // standard base64, RFC 7517 4.7
        if (!der) return member_error("base64", name, "element " + std::to_string(i) + ": " + der.err().message);
      }
    }
    extra[name] = v;
  }
  return extra;
}

result<jwk> parse_ec(const json& j, json extra) {
  auto crv = string_member(j, "crv", true);
  if (!crv) return crv.err();
  const std::size_t len = ec_coord_len(**crv);
  if (len == 0) return member_error("crv", "crv", "unsupported curve \"" + **crv + "\" (P-256, P-384 and P-521 are)");
  const std::string why = **crv + " coordinates have " + std::to_string(len) + " (RFC 7518 section 6.2.1.2)";
  auto x = bytes_member(j, "x", len, why);
  if (!x) return x.err();
  auto y = bytes_member(j, "y", len, why);
  if (!y) return y.err();
  std::string d;
  const bool priv = j.contains("d");
  if (priv) {
    auto dd = bytes_member(j, "d", len, **crv + " private keys have " + std::to_string(len) + " (RFC 7518 section 6.2.2.1)");
    if (!dd) return dd.err();
    d = std::move(*dd);
  }
  auto key = ec_key_from(**crv, *x, *y, priv ? &d : nullptr);
  if (!key) return key.err();
  json pub = {{"kty", "EC"}, {"crv", **crv}, {"x", j["x"]}, {"y", j["y"]}};
  json prv = priv ? json{{"d", j["d"]}} : json::object();
  return jwk_access::make(key_type::ec, **crv, priv, std::move(*key), "", std::move(pub), std::move(prv),
                          std::move(extra), "");
}

result<jwk> parse_rsa(const json& j, json extra) {
  if (j.contains("oth"))
    return member_error("unsupported", "oth", "multi-prime RSA keys are not supported (RFC 7518 section 6.3.2.7)");
  rsa_members m;
  auto n = uint_member(j, "n");
  if (!n) return n.err();
  auto e = uint_member(j, "e");
  if (!e) return e.err();
  m.n = std::move(*n);
  m.e = std::move(*e);
  if ((static_cast<unsigned char>(m.n.back()) & 1) == 0) return member_error("value", "n", "an RSA modulus is odd");
  if ((static_cast<unsigned char>(m.e.back()) & 1) == 0 || (m.e.size() == 1 && static_cast<unsigned char>(m.e[0]) < 3))
    return member_error("value", "e", "an RSA public exponent is odd and at least 3 (RFC 8017 section 3.1)");
  const bool priv = j.contains("d");
  json pub = {{"kty", "RSA"}, {"n", j["n"]}, {"e", j["e"]}};
  json prv = json::object();
  const char* factors[] = {"p", "q", "dp", "dq", "qi"};
  std::string* dest[] = {&m.p, &m.q, &m.dp, &m.dq, &m.qi};
  int present = 0;
  for (const char* f : factors) present += j.contains(f) ? 1 : 0;
  if (present > 0 && !priv) return member_error("missing", "d", "required when p, q, dp, dq or qi is present");
  if (present > 0 && present < 5) {
    for (const char* f : factors)
      if (!j.contains(f)) return member_error("missing", f, "the CRT members p, q, dp, dq and qi come all or none (RFC 7518 section 6.3.2)");
  }
  if (priv) {
    auto d = uint_member(j, "d");
    if (!d) return d.err();
    m.d = std::move(*d);
    prv["d"] = j["d"];
    for (int i = 0; i < (present == 5 ? 5 : 0); ++i) {
      auto v = uint_member(j, factors[i]);
      if (!v) return v.err();
      *dest[i] = std::move(*v);
      prv[factors[i]] = j[factors[i]];
    }
  }
  auto key = rsa_key_from(m);
  if (!key) return key.err();
  std::string weak = rsa_weakness(key->get());
  return jwk_access::make(key_type::rsa, "", priv, std::move(*key), "", std::move(pub), std::move(prv),
                          std::move(extra), std::move(weak));
}

result<jwk> parse_okp(const json& j, json extra) {
  auto crv = string_member(j, "crv", true);
  if (!crv) return crv.err();
  if (**crv != "Ed25519")
    return member_error("crv", "crv", "unsupported curve \"" + **crv + "\" (only Ed25519 signs here, RFC 8037 section 3.1)");
  auto x = bytes_member(j, "x", 32, "Ed25519 public keys have 32 (RFC 8032 section 5.1.5)");
  if (!x) return x.err();
  std::string d;
  const bool priv = j.contains("d");
  if (priv) {
    auto dd = bytes_member(j, "d", 32, "Ed25519 private keys have 32 (RFC 8032 section 5.1.5)");
    if (!dd) return dd.err();
    d = std::move(*dd);
  }
  auto key = ed25519_key_from(*x, priv ? &d : nullptr);
  if (!key) return key.err();
  json pub = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", j["x"]}};
  json prv = priv ? json{{"d", j["d"]}} : json::object();
  return jwk_access::make(key_type::okp, "Ed25519", priv, std::move(*key), "", std::move(pub), std::move(prv),
                          std::move(extra), "");
}

result<jwk> parse_oct(const json& j, json extra) {
  auto k = bytes_member(j, "k", 0, "");
  if (!k) return k.err();
  json prv = {{"k", j["k"]}};
  return jwk_access::make(key_type::oct, "", true, nullptr, std::move(*k), json{{"kty", "oct"}}, std::move(prv),
                          std::move(extra), "");
}

// RFC 7638 section 3.2: the required members of each key type, in lexicographic order.
result<std::string> canonical_thumbprint_input(const json& j) {
  auto kty = string_member(j, "kty", true);
  if (!kty) return kty.err();
  static constexpr std::array<const char*, 4> ec{"crv", "kty", "x", "y"}, rsa{"e", "kty", "n", nullptr},
      okp{"crv", "kty", "x", nullptr}, oct{"k", "kty", nullptr, nullptr};
  const std::array<const char*, 4>* names = nullptr;
  if (**kty == "EC") names = &ec;
  else if (**kty == "RSA") names = &rsa;
  else if (**kty == "OKP") names = &okp;
  else if (**kty == "oct") names = &oct;
  else return member_error("kty", "kty", "unknown key type \"" + **kty + "\"");
  json canonical = json::object();  // nlohmann orders object members lexicographically
  for (const char* n : *names) {
    if (n == nullptr) break;
    auto v = string_member(j, n, true);
    if (!v) return v.err();
    canonical[n] = **v;
  }
  return canonical.dump(-1, ' ', false, json::error_handler_t::strict);
}

}  // namespace

const char* to_string(key_type t) {
  switch (t) {
    case key_type::ec: return "EC";
    case key_type::rsa: return "RSA";
    case key_type::okp: return "OKP";
    case key_type::oct: return "oct";
  }
  return "?";
}

jwk jwk_access::make(key_type type, std::string crv, bool has_private, ossl::pkey_ptr pkey, std::string secret,
                     json public_members, json private_members, json extra, std::string weakness) {
  jwk k;
  k.type_ = type;
  k.crv_ = std::move(crv);
  k.has_private_ = has_private;
  k.pkey_ = std::shared_ptr<EVP_PKEY>(pkey.release(), EVP_PKEY_free);
  k.secret_ = std::move(secret);
  k.public_members_ = std::move(public_members);
  k.private_members_ = std::move(private_members);
  k.extra_ = std::move(extra);
  k.weakness_ = std::move(weakness);
  return k;
}

result<jwk> jwk::parse(const nlohmann::json& j) {
  if (!j.is_object()) return make_error("jwk.type", std::string("a JWK is a JSON object, not ") + j.type_name());
  auto kty = string_member(j, "kty", true);
  if (!kty) return kty.err();
  const std::string& t = **kty;
  if (t == "EC" || t == "OKP" || t == "RSA" || t == "oct") {
    auto extra = t == "EC"    ? collect_extras(j, {"kty", "crv", "x", "y", "d"})
                 : t == "OKP" ? collect_extras(j, {"kty", "crv", "x", "d"})
                 : t == "RSA" ? collect_extras(j, {"kty", "n", "e", "d", "p", "q", "dp", "dq", "qi", "oth"})
                              : collect_extras(j, {"kty", "k"});
    if (!extra) return extra.err();
    if (t == "EC") return parse_ec(j, std::move(*extra));
    if (t == "OKP") return parse_okp(j, std::move(*extra));
    if (t == "RSA") return parse_rsa(j, std::move(*extra));
    return parse_oct(j, std::move(*extra));
  }
  return member_error("kty", "kty", "unknown key type \"" + t + "\" (EC, RSA, OKP and oct are known)");
}

result<jwk> jwk::parse(std::string_view json_text) {
  auto j = parse_json_object(json_text);
  if (!j) return make_error("jwk.json", "JWK: " + j.err().message);
  return parse(*j);
}

jwk jwk::public_key() const {
  jwk k = *this;
  k.has_private_ = false;
  k.private_members_ = json::object();
  k.secret_.clear();
  return k;
}

nlohmann::json jwk::to_json() const {
  json j = extra_;
  for (auto it = public_members_.begin(); it != public_members_.end(); ++it) j[it.key()] = it.value();
  if (has_private_)
    for (auto it = private_members_.begin(); it != private_members_.end(); ++it) j[it.key()] = it.value();
  return j;
}

nlohmann::json jwk::public_json() const {
  json j = public_members_;
  for (const char* n : {"kid", "alg", "use"})
    if (auto it = extra_.find(n); it != extra_.end()) j[n] = *it;
  return j;
}

std::string jwk::thumbprint() const {
  json j = public_members_;
  if (type_ == key_type::oct) j["k"] = base64url_encode(secret_);
  auto input = canonical_thumbprint_input(j);
  if (!input) return "";  // unreachable: a parsed key always has its required members
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input->data()), input->size(), digest);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

result<std::string> thumbprint_of(const nlohmann::json& jwk_json) {
  if (!jwk_json.is_object()) return make_error("jwk.type", "a JWK is a JSON object");
  auto input = canonical_thumbprint_input(jwk_json);
  if (!input) return input.err();
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input->data()), input->size(), digest);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string jwk::default_alg() const {
  switch (type_) {
    case key_type::ec: return crv_ == "P-384" ? "ES384" : crv_ == "P-521" ? "ES512" : "ES256";
    case key_type::rsa: return "RS256";
    case key_type::okp: return "EdDSA";
    case key_type::oct: return secret_.size() >= 64 ? "HS512" : secret_.size() >= 48 ? "HS384" : "HS256";
  }
  return "";
}

bool jwk::suits(std::string_view alg) const {
  const alg_info* a = find_alg(alg);
  return a != nullptr && check_key(*this, *a, key_purpose::verify).ok();
}

void jwk::set_member(const std::string& name, nlohmann::json value) {
  for (const char* m : {"kty", "crv", "x", "y", "n", "e", "k", "d", "p", "q", "dp", "dq", "qi", "oth"})
    if (name == m) return;
  extra_[name] = std::move(value);
}

}  // namespace tether::jose
