// proof_defects as JSON (scenario files): every key read, unknown keys and wrong types refused
// with the key named, so that a typo cannot silently produce a correct proof.

#include <gtest/gtest.h>

#include "core/dpop/proof_builder.hpp"

namespace tether::dpop {
namespace {

using nlohmann::json;

TEST(proof_defects, reads_every_key) {
  const json j = {{"typ", "JWT"},
                  {"omit_header", {"jwk"}},
                  {"alg", "none"},
                  {"private_jwk", true},
                  {"jwk", {{"kty", "EC"}}},
                  {"omit_claims", {"jti", "ath"}},
                  {"jti", "used-before"},
                  {"htm", "PUT"},
                  {"htu", "https://other.example/x"},
                  {"iat_offset_s", -3600},
                  {"ath", "other_token"},
                  {"nonce", "stale"},
                  {"bad_signature", true},
                  {"malformed", "two_parts"},
                  {"extra_header", {{"kid", "k1"}}},
                  {"extra_claims", {{"foo", 1}}}};
  auto d = proof_defects::from_json(j);
  ASSERT_TRUE(d.ok()) << d.err().message;
  EXPECT_EQ(d->typ, "JWT");
  EXPECT_EQ(d->omit_header, std::vector<std::string>{"jwk"});
  EXPECT_EQ(d->alg, "none");
  EXPECT_TRUE(d->private_jwk);
  ASSERT_TRUE(d->jwk.has_value());
  EXPECT_EQ((*d->jwk)["kty"], "EC");
  EXPECT_EQ(d->omit_claims, (std::vector<std::string>{"jti", "ath"}));
  EXPECT_EQ(d->jti, "used-before");
  EXPECT_EQ(d->htm, "PUT");
  EXPECT_EQ(d->htu, "https://other.example/x");
  EXPECT_EQ(d->iat_offset_s, -3600);
  EXPECT_EQ(d->ath, "other_token");
  EXPECT_EQ(d->nonce, "stale");
  EXPECT_TRUE(d->bad_signature);
  EXPECT_EQ(d->malformed, "two_parts");
  EXPECT_EQ(d->extra_header, json({{"kid", "k1"}}));
  EXPECT_EQ(d->extra_claims, json({{"foo", 1}}));
  EXPECT_FALSE(d->empty());
  // to_json gives back what was read.
  EXPECT_EQ(d->to_json(), j);
}

TEST(proof_defects, empty_object_is_no_defect) {
  auto d = proof_defects::from_json(json::object());
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->empty());
  EXPECT_EQ(d->to_json(), json::object());
  EXPECT_TRUE(proof_defects{}.empty());
}

TEST(proof_defects, unknown_key_is_named) {
  auto d = proof_defects::from_json({{"omit_claim", {"jti"}}});  // typo of omit_claims
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.err().message.find("\"omit_claim\""), std::string::npos) << d.err().message;
}

TEST(proof_defects, wrong_type_is_named) {
  const std::vector<std::pair<std::string, json>> cases = {
      {"typ", 1},
      {"omit_header", "jwk"},
      {"omit_claims", {1}},
      {"alg", json::array()},
      {"private_jwk", "yes"},
      {"jwk", "not an object"},
      {"jti", 7},
      {"htm", nullptr},
      {"htu", false},
      {"iat_offset_s", "60"},
      {"iat_offset_s", 1.5},
      {"ath", 3},
      {"nonce", json::object()},
      {"bad_signature", 1},
      {"malformed", true},
      {"extra_header", json::array()},
      {"extra_claims", "x"},
  };
  for (const auto& [key, value] : cases) {
    auto d = proof_defects::from_json({{key, value}});
    ASSERT_FALSE(d.ok()) << key << " = " << value.dump();
    EXPECT_NE(d.err().message.find("\"" + key + "\""), std::string::npos) << d.err().message;
  }
}

TEST(proof_defects, unknown_names_inside_values_are_named) {
  for (const json& j : {json{{"omit_header", {"kid"}}}, json{{"omit_claims", {"exp"}}},
                        json{{"malformed", "truncated"}}}) {
    auto d = proof_defects::from_json(j);
    ASSERT_FALSE(d.ok()) << j.dump();
    EXPECT_NE(d.err().message.find(j.begin().key()), std::string::npos) << d.err().message;
  }
}

TEST(proof_defects, not_an_object_is_refused) {
  EXPECT_FALSE(proof_defects::from_json(json::array()).ok());
  EXPECT_FALSE(proof_defects::from_json("typ").ok());
}

}  // namespace
}  // namespace tether::dpop
