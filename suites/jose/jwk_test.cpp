// JWK parsing, serialisation and RFC 7638 thumbprints: known answers from RFC 7638 and the
// RFC 7520 cookbook keys, and one malformed input per rule, each error naming its member.

#include "core/jose/jwk.hpp"

#include <gtest/gtest.h>

#include "suites/jose/test_data.hpp"

namespace tether::jose {
namespace {

using nlohmann::json;
using testing::load_json;

// RFC 7638 section 3.1: the example RSA key (the RFC 7517 appendix A.1 key).
const json rfc7638_key = {
    {"kty", "RSA"},
    {"n", "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},
    {"e", "AQAB"},
    {"alg", "RS256"},
    {"kid", "2011-04-29"}};
constexpr const char* rfc7638_thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

// RFC 7515 appendix A.3.1: the ES256 example key.
const json rfc7515_a3_key = {{"kty", "EC"},
                             {"crv", "P-256"},
                             {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                             {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
                             {"d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}};

TEST(JwkThumbprint, MatchesRfc7638Section31) {
  auto key = jwk::parse(rfc7638_key);
  ASSERT_TRUE(key.ok()) << key.err().message;
  EXPECT_EQ(key->thumbprint(), rfc7638_thumbprint);
  auto direct = thumbprint_of(rfc7638_key);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(*direct, rfc7638_thumbprint);
}

TEST(JwkThumbprint, IgnoresOptionalAndPrivateMembers) {
  json decorated = rfc7638_key;
  decorated["use"] = "sig";
  decorated["x5t#S256"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(*thumbprint_of(decorated), rfc7638_thumbprint);
  auto priv = jwk::parse(load_json("jose/cookbook/jwk/3_4.rsa_private_key.json"));
  auto pub = jwk::parse(load_json("jose/cookbook/jwk/3_3.rsa_public_key.json"));
  ASSERT_TRUE(priv.ok() && pub.ok());
  EXPECT_EQ(priv->thumbprint(), pub->thumbprint());
}

TEST(JwkThumbprint, ThumbprintOfNamesTheMissingMember) {
  auto t = thumbprint_of(json{{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.err().message.find("\"y\""), std::string::npos) << t.err().message;
  EXPECT_FALSE(thumbprint_of(json{{"kty", "XYZ"}}).ok());
  EXPECT_FALSE(thumbprint_of(json::array()).ok());
}

TEST(JwkCookbook, ParsesRfc7520KeysAndKeepsEveryMember) {
  const char* files[] = {"3_1.ec_public_key.json", "3_2.ec_private_key.json", "3_3.rsa_public_key.json",
                         "3_4.rsa_private_key.json"};
  for (const char* f : files) {
    const json j = load_json(std::string("jose/cookbook/jwk/") + f);
    auto key = jwk::parse(j);
    ASSERT_TRUE(key.ok()) << f << ": " << key.err().message;
    EXPECT_EQ(key->to_json(), j) << f;
    EXPECT_EQ(key->has_private(), j.contains("d")) << f;
    EXPECT_EQ(key->extra_members().value("kid", ""), "bilbo.baggins@hobbiton.example");
  }
}

TEST(JwkCookbook, PublicKeyOfEachPrivateKeyIsTheRfc7520PublicKey) {
  auto ec = jwk::parse(load_json("jose/cookbook/jwk/3_2.ec_private_key.json"));
  ASSERT_TRUE(ec.ok());
  EXPECT_EQ(ec->type(), key_type::ec);
  EXPECT_EQ(ec->curve(), "P-521");
  EXPECT_EQ(ec->public_key().to_json(), load_json("jose/cookbook/jwk/3_1.ec_public_key.json"));
  EXPECT_FALSE(ec->public_key().has_private());
  auto rsa = jwk::parse(load_json("jose/cookbook/jwk/3_4.rsa_private_key.json"));
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(rsa->public_key().to_json(), load_json("jose/cookbook/jwk/3_3.rsa_public_key.json"));
}

TEST(Jwk, PublicJsonHasOnlyRequiredMembersAndKidAlgUse) {
  json j = rfc7515_a3_key;
  j["kid"] = "k1";
  j["x5u"] = "https://example.com/cert";
  auto key = jwk::parse(j);
  ASSERT_TRUE(key.ok()) << key.err().message;
  const json expected = {{"kty", "EC"}, {"crv", "P-256"}, {"x", rfc7515_a3_key["x"]}, {"y", rfc7515_a3_key["y"]}, {"kid", "k1"}};
  EXPECT_EQ(key->public_json(), expected);
  EXPECT_EQ(key->to_json()["x5u"], "https://example.com/cert");
}

TEST(Jwk, ParsesTextAndRejectsDuplicateMembers) {
  EXPECT_TRUE(jwk::parse(std::string_view(rfc7515_a3_key.dump())).ok());
  auto dup = jwk::parse(std::string_view(R"({"kty":"oct","k":"AAAA","k":"BBBB"})"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.err().code, "jwk.json");
}

TEST(Jwk, SuitsOnlyTheMatchingAlgorithm) {
  auto key = jwk::parse(rfc7515_a3_key);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->suits("ES256"));
  EXPECT_FALSE(key->suits("ES384"));
  EXPECT_FALSE(key->suits("RS256"));
  EXPECT_FALSE(key->suits("HS256"));
  EXPECT_FALSE(key->suits("none"));
  EXPECT_EQ(key->default_alg(), "ES256");
  json labelled = rfc7638_key;  // carries "alg":"RS256"
  auto rsa = jwk::parse(labelled);
  ASSERT_TRUE(rsa.ok());
  EXPECT_TRUE(rsa->suits("RS256"));
  EXPECT_FALSE(rsa->suits("PS256")) << "the key's own alg member says RS256 only";
  labelled.erase("alg");
  labelled["use"] = "enc";
  EXPECT_FALSE(jwk::parse(labelled)->suits("RS256")) << "an encryption key must not verify";
}

TEST(Jwk, SetMemberKeepsKeyMaterialIntact) {
  auto key = jwk::parse(rfc7515_a3_key);
  ASSERT_TRUE(key.ok());
  key->set_member("kid", "new");
  key->set_member("x", "forged");
  EXPECT_EQ(key->to_json()["kid"], "new");
  EXPECT_EQ(key->to_json()["x"], rfc7515_a3_key["x"]);
}

struct bad_jwk {
  const char* name;
  json value;
  const char* code;
  const char* member;  // must appear quoted in the message
};

json with(json base, const char* member, json value) {
  base[member] = std::move(value);
  return base;
}
json without(json base, const char* member) {
  base.erase(member);
  return base;
}

TEST(JwkErrors, NameTheOffendingMember) {
  const json ec_pub = without(rfc7515_a3_key, "d");
  const json rsa = without(without(rfc7638_key, "alg"), "kid");
  const json okp = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};
  // y with its last byte changed: x stays valid, the point leaves the curve.
  const std::string off_curve = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4";
  const bad_jwk cases[] = {
      {"missing kty", without(ec_pub, "kty"), "jwk.missing", "kty"},
      {"kty not a string", with(ec_pub, "kty", 1), "jwk.type", "kty"},
      {"unknown kty", with(ec_pub, "kty", "XYZ"), "jwk.kty", "kty"},
      {"missing crv", without(ec_pub, "crv"), "jwk.missing", "crv"},
      {"unknown crv", with(ec_pub, "crv", "P-192"), "jwk.crv", "crv"},
      {"missing x", without(ec_pub, "x"), "jwk.missing", "x"},
      {"missing y", without(ec_pub, "y"), "jwk.missing", "y"},
      {"x not a string", with(ec_pub, "x", json::array()), "jwk.type", "x"},
      {"x padded", with(ec_pub, "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU="), "jwk.base64url", "x"},
      {"x standard base64", with(ec_pub, "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE+"), "jwk.base64url", "x"},
      {"x short", with(ec_pub, "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVA"), "jwk.length", "x"},
      {"point not on curve", with(ec_pub, "y", off_curve), "jwk.point", "y"},
      {"d of another key", with(rfc7515_a3_key, "d", "yy49oPcINGK2ps0LmtxpB6UTEOiITghHBif6wDqmJ3c"), "jwk.mismatch", "d"},
      {"missing n", without(rsa, "n"), "jwk.missing", "n"},
      {"missing e", without(rsa, "e"), "jwk.missing", "e"},
      {"e even", with(rsa, "e", "AQAA"), "jwk.value", "e"},
      {"e one", with(rsa, "e", "AQ"), "jwk.value", "e"},
      {"e leading zero", with(rsa, "e", "AAEAAQ"), "jwk.uint", "e"},
      {"n empty", with(rsa, "n", ""), "jwk.uint", "n"},
      {"partial CRT", with(with(rsa, "d", "AQ"), "p", "Aw"), "jwk.missing", "q"},
      {"multi-prime", with(rsa, "oth", json::array()), "jwk.unsupported", "oth"},
      {"OKP X25519", with(okp, "crv", "X25519"), "jwk.crv", "crv"},
      {"OKP x short", with(okp, "x", "AAAA"), "jwk.length", "x"},
      {"oct missing k", json{{"kty", "oct"}}, "jwk.missing", "k"},
      {"oct k bad", json{{"kty", "oct"}, {"k", "a b"}}, "jwk.base64url", "k"},
      {"kid number", with(ec_pub, "kid", 7), "jwk.type", "kid"},
      {"key_ops not array", with(ec_pub, "key_ops", "verify"), "jwk.type", "key_ops"},
      {"key_ops duplicate", with(ec_pub, "key_ops", {"verify", "verify"}), "jwk.duplicate", "key_ops"},
      {"x5c base64url", with(ec_pub, "x5c", {"MII-_"}), "jwk.base64", "x5c"},
      {"x5t#S256 length", with(ec_pub, "x5t#S256", "AAAA"), "jwk.length", "x5t#S256"},
  };
  for (const auto& c : cases) {
    auto key = jwk::parse(c.value);
    ASSERT_FALSE(key.ok()) << c.name << " was accepted";
    EXPECT_EQ(key.err().code, c.code) << c.name << ": " << key.err().message;
    EXPECT_NE(key.err().message.find(std::string("\"") + c.member + "\""), std::string::npos)
        << c.name << ": message does not name \"" << c.member << "\": " << key.err().message;
  }
  EXPECT_FALSE(jwk::parse(json::array()).ok());
  EXPECT_FALSE(jwk::parse(std::string_view("not json")).ok());
}

}  // namespace
}  // namespace tether::jose
