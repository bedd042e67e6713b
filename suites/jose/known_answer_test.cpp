// Known answers from the RFCs: RFC 7515 appendix A.3 (ES256), RFC 7520 section 4 (RS256,
// PS384, ES512, via the cookbook files) and RFC 8037 appendix A.4 (Ed25519). Deterministic
// algorithms (RSASSA-PKCS1-v1_5, Ed25519) are signed and compared byte for byte; randomised ones
// (PSS, ECDSA) verify the published signature.

#include <gtest/gtest.h>

#include "core/jose/base64url.hpp"
#include "core/jose/jws.hpp"
#include "suites/jose/test_data.hpp"

namespace tether::jose {
namespace {

using nlohmann::json;

// RFC 7515 appendix A.3.1: the ECDSA P-256 key.
const json rfc7515_a3_key = {{"kty", "EC"},
                             {"crv", "P-256"},
                             {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                             {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
                             {"d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}};
// RFC 7515 appendix A.3.1: the complete JWS (line breaks removed).
constexpr const char* rfc7515_a3_jws =
    "eyJhbGciOiJFUzI1NiJ9"
    "."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

TEST(Rfc7515A3, VerifiesTheEs256Example) {
  auto key = jwk::parse(rfc7515_a3_key);
  ASSERT_TRUE(key.ok()) << key.err().message;
  auto jws = parse_compact(rfc7515_a3_jws);
  ASSERT_TRUE(jws.ok()) << jws.err().message;
  EXPECT_EQ(jws->header_bytes, R"({"alg":"ES256"})");
  // The payload of RFC 7515 A.1/A.3, with its CRLF line breaks.
  EXPECT_EQ(jws->payload_bytes, "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
  EXPECT_EQ(static_cast<unsigned char>(jws->signature[0]), 14);  // R starts [14, 209, 33, 83, ...]
  EXPECT_EQ(static_cast<unsigned char>(jws->signature[1]), 209);
  auto ok = verify(*jws, *key, "ES256");
  EXPECT_TRUE(ok.ok()) << ok.err().message;
  EXPECT_TRUE(verify(*jws, key->public_key(), "ES256").ok());
  // A fresh signature of the same input verifies too (ECDSA is randomised: no byte comparison).
  auto sig = sign(jws->signing_input(), *key, "ES256");
  ASSERT_TRUE(sig.ok());
  auto ours = parse_compact(jws->signing_input() + "." + base64url_encode(*sig));
  EXPECT_TRUE(verify(*ours, *key, "ES256").ok());
}

TEST(Rfc7515A3, RejectsTheExampleWithOneBitChanged) {
  auto key = jwk::parse(rfc7515_a3_key);
  std::string text = rfc7515_a3_jws;
  text[text.size() - 2] = text[text.size() - 2] == 'N' ? 'M' : 'N';
  auto jws = parse_compact(text);
  ASSERT_TRUE(jws.ok());
  EXPECT_EQ(verify(*jws, *key, "ES256").err().code, "jws.signature");
}

struct cookbook_case {
  const char* file;
  bool deterministic;
};

class Cookbook : public ::testing::TestWithParam<cookbook_case> {};

TEST_P(Cookbook, MatchesThePublishedSignature) {
  const json doc = testing::load_json(GetParam().file);
  ASSERT_TRUE(doc.is_object()) << GetParam().file;
  const std::string alg = doc["input"]["alg"];
  auto key = jwk::parse(doc["input"]["key"]);
  ASSERT_TRUE(key.ok()) << key.err().message;
  const std::string compact = doc["output"]["compact"];

  auto jws = parse_compact(compact);
  ASSERT_TRUE(jws.ok()) << jws.err().message;
  EXPECT_EQ(jws->header, doc["signing"]["protected"]);
  EXPECT_EQ(jws->protected_b64, doc["signing"]["protected_b64u"]);
  EXPECT_EQ(jws->payload_bytes, doc["input"]["payload"]);
  EXPECT_EQ(jws->signing_input(), doc["signing"]["sig-input"]);
  auto ok = verify(*jws, key->public_key(), alg);
  EXPECT_TRUE(ok.ok()) << alg << ": " << ok.err().message;

  auto sig = sign(jws->signing_input(), *key, alg);
  ASSERT_TRUE(sig.ok()) << sig.err().message;
  if (GetParam().deterministic) {
    EXPECT_EQ(base64url_encode(*sig), doc["signing"]["sig"]) << alg;
    EXPECT_EQ(jws->signing_input() + "." + base64url_encode(*sig), compact);
  } else {
    auto ours = parse_compact(jws->signing_input() + "." + base64url_encode(*sig));
    EXPECT_TRUE(verify(*ours, *key, alg).ok()) << alg;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rfc7520AndRfc8037, Cookbook,
    ::testing::Values(cookbook_case{"jose/cookbook/jws/4_1.rsa_v15_signature.json", true},
                      cookbook_case{"jose/cookbook/jws/4_2.rsa-pss_signature.json", false},
                      cookbook_case{"jose/cookbook/jws/4_3.ecdsa_signature.json", false},
                      cookbook_case{"jose/cookbook/curve25519/jws.json", true}),
    [](const auto& info) {
      const std::string f = info.param.file;
      return f.find("4_1") != std::string::npos   ? std::string("RS256")
             : f.find("4_2") != std::string::npos ? std::string("PS384")
             : f.find("4_3") != std::string::npos ? std::string("ES512")
                                                  : std::string("EdDSA");
    });

}  // namespace
}  // namespace tether::jose
