#pragma once
// Shared by the DPoP tests: keys generated once per process, a correct request, and helpers that
// build a proof with defects and verify it, failing the test loudly when building fails.

#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/dpop/proof_builder.hpp"
#include "core/dpop/proof_verifier.hpp"
#include "core/jose/base64url.hpp"
#include "core/jose/jwk.hpp"

namespace tether::dpop::testing {

inline constexpr int64_t t0 = 1700000000;  // "now" in every test: time is a parameter
inline const std::string token_url = "https://127.0.0.1:8443/token";

inline const jose::jwk& generated(std::string_view alg, int slot) {
  // Key generation (RSA especially) is slow; one key per (alg, slot) for the whole process.
  static std::map<std::pair<std::string, int>, jose::jwk> keys;
  const auto id = std::make_pair(std::string(alg), slot);
  auto it = keys.find(id);
  if (it == keys.end()) {
    auto key = jose::jwk::generate(alg);
    if (!key) {
      ADD_FAILURE() << "generating a " << alg << " key failed: " << key.err().message;
      std::abort();
    }
    it = keys.emplace(id, std::move(*key)).first;
  }
  return it->second;
}

inline const jose::jwk& client_key() { return generated("ES256", 0); }
inline const jose::jwk& other_key() { return generated("ES256", 1); }

inline proof_spec token_request_spec() {
  proof_spec spec;
  spec.htm = "POST";
  spec.htu = token_url;
  spec.iat = t0;
  return spec;
}

inline built_proof build(const proof_defects& defects = {},
                         const proof_spec& spec = token_request_spec(),
                         const jose::jwk& key = client_key()) {
  auto proof = build_proof(key, spec, defects);
  if (!proof) {
    ADD_FAILURE() << "build_proof failed: " << proof.err().message;
    return {};
  }
  return std::move(*proof);
}

inline proof_request request_for(const built_proof& proof, std::string method = "POST",
                                 std::string url = token_url) {
  proof_request request;
  request.dpop_headers = {proof.compact};
  request.method = std::move(method);
  request.url = std::move(url);
  return request;
}

inline proof_verdict verify(const built_proof& proof, const verify_policy& policy = {},
                            int64_t now = t0) {
  return verify_proof(request_for(proof), policy, now);
}

// The decoded parts of a compact JWS, to inspect exactly what was sent.
inline std::vector<std::string> parts_of(const std::string& compact) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = compact.find('.', start);
    parts.push_back(compact.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

inline std::string decoded_part(const std::string& compact, std::size_t index) {
  const auto parts = parts_of(compact);
  if (index >= parts.size()) return "<no part " + std::to_string(index) + ">";
  auto bytes = jose::base64url_decode(parts[index]);
  return bytes ? *bytes : "<not base64url>";
}

inline nlohmann::json sent_header(const built_proof& proof) {
  return nlohmann::json::parse(decoded_part(proof.compact, 0), nullptr, false);
}

inline nlohmann::json sent_claims(const built_proof& proof) {
  return nlohmann::json::parse(decoded_part(proof.compact, 1), nullptr, false);
}

inline bool applied(const built_proof& proof, std::string_view defect) {
  for (const auto& d : proof.defects) {
    if (d == defect) return true;
  }
  return false;
}

}  // namespace tether::dpop::testing

// Readable failures: EXPECT_EQ on proof_check prints the name.
namespace tether::dpop {
inline void PrintTo(proof_check check, std::ostream* os) { *os << to_string(check); }
}  // namespace tether::dpop
