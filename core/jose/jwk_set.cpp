// JWK Sets (RFC 7517 section 5) and the choice of a verification key for a JWS header.

#include "core/jose/detail.hpp"
#include "core/jose/jwk.hpp"
#include "core/jose/jws.hpp"

namespace tether::jose {

result<jwk_set> jwk_set::parse(const nlohmann::json& j) {
  if (!j.is_object()) return make_error("jwks.type", std::string("a JWK Set is a JSON object, not ") + j.type_name());
  const auto it = j.find("keys");
  if (it == j.end()) return make_error("jwks.missing", "JWK Set member \"keys\": required but absent");
  if (!it->is_array()) return make_error("jwks.type", "JWK Set member \"keys\": must be an array");
  jwk_set set;
  bool secret = false, asymmetric = false;
  for (std::size_t i = 0; i < it->size(); ++i) {
    auto key = jwk::parse((*it)[i]);
    if (!key) {
      set.skipped_.push_back("keys[" + std::to_string(i) + "]: " + key.err().message);
      const auto& member = (*it)[i];
      if (member.is_object() && member.contains("kid") && member["kid"].is_string())
        set.skipped_kids_.push_back(member["kid"].get<std::string>());
      continue;
    }
    (key->type() == key_type::oct ? secret : asymmetric) = true;
    set.keys_.push_back(std::move(*key));
  }
  if (secret && asymmetric)
    return make_error("jwks.mixed", "JWK Set mixes secret (oct) keys with public-key keys; "
                                    "a verifier could be steered from one kind to the other");
  return set;
}

result<jwk_set> jwk_set::parse(std::string_view json_text) {
  auto j = parse_json_object(json_text);
  if (!j) return make_error("jwks.json", "JWK Set: " + j.err().message);
  return parse(*j);
}

result<const jwk*> jwk_set::select(const nlohmann::json& header, std::string_view alg) const {
  const nlohmann::json* kid = nullptr;
  if (auto it = header.find("kid"); it != header.end()) {
    if (!it->is_string()) return make_error("jwks.kid", "header \"kid\" must be a string (RFC 7515 section 4.1.4)");
    kid = &*it;
  }
  const jwk* chosen = nullptr;
  std::size_t candidates = 0;
  for (const auto& key : keys_) {
    if (kid != nullptr) {
      const auto k = key.extra_members().find("kid");
      if (k == key.extra_members().end() || *k != *kid) continue;
    }
    if (!key.suits(alg)) continue;
    ++candidates;
    chosen = &key;
  }
  const std::string which = kid ? "with kid " + kid->dump() : "without a kid";
  if (kid != nullptr && candidates > 0)
    for (const auto& skipped : skipped_kids_)
      if (*kid == skipped)
        return make_error("jwks.ambiguous", "the set also lists an unusable member " + which + "; refusing to guess");
  if (candidates == 0) return make_error("jwks.no_key", "no key in the set " + which + " suits " + std::string(alg));
  if (candidates > 1)
    return make_error("jwks.ambiguous", std::to_string(candidates) + " keys in the set " + which + " suit " +
                                            std::string(alg) + "; refusing to guess");
  return chosen;
}

nlohmann::json jwk_set::to_json() const {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : keys_) keys.push_back(k.to_json());
  return nlohmann::json{{"keys", std::move(keys)}};
}

}  // namespace tether::jose
