// JWK Sets: unusable members skipped with a reason, mixed secret/public sets refused, and a key
// chosen for a JWS header only when exactly one fits.

#include <gtest/gtest.h>

#include "core/jose/jwk.hpp"

namespace tether::jose {
namespace {

using nlohmann::json;

json ec_key(const char* kid) {
  auto k = jwk::generate("ES256");
  json j = k->public_key().to_json();
  j["kid"] = kid;
  return j;
}

TEST(JwkSet, ParsesKeysAndSkipsUnusableOnesWithAReason) {
  const json set = {{"keys", {ec_key("a"), json{{"kty", "XYZ"}}, ec_key("b"), json{{"kty", "EC"}, {"crv", "P-256"}}}}};
  auto parsed = jwk_set::parse(set);
  ASSERT_TRUE(parsed.ok()) << parsed.err().message;
  EXPECT_EQ(parsed->keys().size(), 2u);
  ASSERT_EQ(parsed->skipped().size(), 2u);
  EXPECT_NE(parsed->skipped()[0].find("keys[1]"), std::string::npos);
  EXPECT_NE(parsed->skipped()[1].find("\"x\""), std::string::npos) << parsed->skipped()[1];
  EXPECT_EQ(parsed->to_json()["keys"].size(), 2u);
}

TEST(JwkSet, RejectsMalformedSets) {
  EXPECT_EQ(jwk_set::parse(json::object()).err().code, "jwks.missing");
  EXPECT_EQ(jwk_set::parse(json{{"keys", "x"}}).err().code, "jwks.type");
  EXPECT_EQ(jwk_set::parse(json::array()).err().code, "jwks.type");
  EXPECT_EQ(jwk_set::parse(std::string_view("{\"keys\":[],\"keys\":[]}")).err().code, "jwks.json");
}

TEST(JwkSet, RejectsMixingSecretAndPublicKeys) {
  const json set = {{"keys", {ec_key("a"), jwk::generate("HS256")->to_json()}}};
  auto parsed = jwk_set::parse(set);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.err().code, "jwks.mixed");
}

TEST(JwkSet, SelectsByKidAndAlg) {
  const json a = ec_key("a"), b = ec_key("b");
  auto set = jwk_set::parse(json{{"keys", {a, b}}});
  ASSERT_TRUE(set.ok());
  auto chosen = set->select(json{{"alg", "ES256"}, {"kid", "b"}}, "ES256");
  ASSERT_TRUE(chosen.ok()) << chosen.err().message;
  EXPECT_EQ((*chosen)->to_json(), b);
  EXPECT_EQ(set->select(json{{"kid", "c"}}, "ES256").err().code, "jwks.no_key");
  EXPECT_EQ(set->select(json{{"kid", "a"}}, "RS256").err().code, "jwks.no_key");
  EXPECT_EQ(set->select(json{{"kid", 1}}, "ES256").err().code, "jwks.kid");
}

TEST(JwkSet, RefusesAmbiguousChoices) {
  auto set = jwk_set::parse(json{{"keys", {ec_key("same"), ec_key("same")}}});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->select(json{{"kid", "same"}}, "ES256").err().code, "jwks.ambiguous");
  EXPECT_EQ(set->select(json::object(), "ES256").err().code, "jwks.ambiguous");
  // A second member with the same kid that fails to parse still makes the kid ambiguous.
  json broken = ec_key("same");
  broken["x"] = "not base64url!";
  auto with_broken = jwk_set::parse(json{{"keys", {ec_key("same"), broken}}});
  ASSERT_TRUE(with_broken.ok());
  EXPECT_EQ(with_broken->keys().size(), 1u);
  EXPECT_EQ(with_broken->select(json{{"kid", "same"}}, "ES256").err().code, "jwks.ambiguous");
  auto single = jwk_set::parse(json{{"keys", {ec_key("only")}}});
  EXPECT_TRUE(single->select(json::object(), "ES256").ok()) << "one key and no kid: no ambiguity";
}

}  // namespace
}  // namespace tether::jose
