// proof_defects as data: a scenario file names the defects of the proof its client sends, so a
// new negative scenario is a JSON edit. A typo in a key must be an error naming it: a defect that
// silently did nothing would turn a "must reject" scenario into a false pass.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "core/dpop/proof_builder.hpp"

namespace tether::dpop {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 3> header_names{"typ", "alg", "jwk"};
constexpr std::array<const char*, 6> claim_names{"jti", "htm", "htu", "iat", "ath", "nonce"};
constexpr std::array<const char*, 6> malformed_kinds{
    "not_jwt", "two_parts", "bad_base64", "header_not_json", "payload_not_json", "payload_array"};

template <std::size_t N>
bool one_of(const std::string& value, const std::array<const char*, N>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

template <std::size_t N>
std::string list_of(const std::array<const char*, N>& allowed) {
  std::string out;
  for (const char* a : allowed) out += (out.empty() ? "" : ", ") + std::string(a);
  return out;
}

error type_error(const std::string& key, const char* expected) {
  return make_error("dpop.defects.type",
                    "proof defect \"" + key + "\" must be " + expected);
}

template <std::size_t N>
status read_names(const json& value, const std::string& key,
                  const std::array<const char*, N>& allowed, std::vector<std::string>& out) {
  if (!value.is_array()) return type_error(key, "an array of strings");
  for (const auto& item : value) {
    if (!item.is_string()) return type_error(key, "an array of strings");
    const auto name = item.get<std::string>();
    if (!one_of(name, allowed)) {
      return make_error("dpop.defects.value", "proof defect \"" + key + "\" names \"" + name +
                                                  "\"; expected any of " + list_of(allowed));
    }
    out.push_back(name);
  }
  return {};
}

status read_string(const json& value, const std::string& key, std::optional<std::string>& out) {
  if (!value.is_string()) return type_error(key, "a string");
  out = value.get<std::string>();
  return {};
}

status read_bool(const json& value, const std::string& key, bool& out) {
  if (!value.is_boolean()) return type_error(key, "true or false");
  out = value.get<bool>();
  return {};
}

status read_member(const std::string& key, const json& value, proof_defects& d) {
  if (key == "typ") return read_string(value, key, d.typ);
  if (key == "omit_header") return read_names(value, key, header_names, d.omit_header);
  if (key == "alg") return read_string(value, key, d.alg);
  if (key == "private_jwk") return read_bool(value, key, d.private_jwk);
  if (key == "jwk") {
    if (!value.is_object()) return type_error(key, "a JSON object (a JWK)");
    d.jwk = value;
    return {};
  }
  if (key == "omit_claims") return read_names(value, key, claim_names, d.omit_claims);
  if (key == "jti") return read_string(value, key, d.jti);
  if (key == "htm") return read_string(value, key, d.htm);
  if (key == "htu") return read_string(value, key, d.htu);
  if (key == "iat_offset_s") {
    if (!value.is_number_integer()) return type_error(key, "an integer (seconds)");
    if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t{INT32_MAX}) {
      return type_error(key, "an integer between -2^31 and 2^31");
    }
    const auto offset = value.get<int64_t>();
    if (offset < INT32_MIN || offset > INT32_MAX) {
      return type_error(key, "an integer between -2^31 and 2^31");
    }
    d.iat_offset_s = offset;
    return {};
  }
  if (key == "ath") return read_string(value, key, d.ath);
  if (key == "nonce") return read_string(value, key, d.nonce);
  if (key == "bad_signature") return read_bool(value, key, d.bad_signature);
  if (key == "malformed") {
    if (auto s = read_string(value, key, d.malformed); !s) return s;
    if (!one_of(*d.malformed, malformed_kinds)) {
      return make_error("dpop.defects.value", "proof defect \"malformed\" is \"" + *d.malformed +
                                                  "\"; expected one of " +
                                                  list_of(malformed_kinds));
    }
    return {};
  }
  if (key == "extra_header" || key == "extra_claims") {
    if (!value.is_object()) return type_error(key, "a JSON object");
    (key == "extra_header" ? d.extra_header : d.extra_claims) = value;
    return {};
  }
  return make_error("dpop.defects.unknown", "unknown proof defect \"" + key + "\"");
}

}  // namespace

result<proof_defects> proof_defects::from_json(const json& j) {
  if (!j.is_object()) {
    return make_error("dpop.defects.type", "proof defects must be a JSON object");
  }
  proof_defects d;
  for (const auto& [key, value] : j.items()) {
    if (auto s = read_member(key, value, d); !s) return s.err();
  }
  return d;
}

json proof_defects::to_json() const {
  json j = json::object();
  if (typ) j["typ"] = *typ;
  if (!omit_header.empty()) j["omit_header"] = omit_header;
  if (alg) j["alg"] = *alg;
  if (private_jwk) j["private_jwk"] = true;
  if (jwk) j["jwk"] = *jwk;
  if (!omit_claims.empty()) j["omit_claims"] = omit_claims;
  if (jti) j["jti"] = *jti;
  if (htm) j["htm"] = *htm;
  if (htu) j["htu"] = *htu;
  if (iat_offset_s != 0) j["iat_offset_s"] = iat_offset_s;
  if (ath) j["ath"] = *ath;
  if (nonce) j["nonce"] = *nonce;
  if (bad_signature) j["bad_signature"] = true;
  if (malformed) j["malformed"] = *malformed;
  if (!extra_header.empty()) j["extra_header"] = extra_header;
  if (!extra_claims.empty()) j["extra_claims"] = extra_claims;
  return j;
}

bool proof_defects::empty() const { return to_json().empty(); }

}  // namespace tether::dpop
