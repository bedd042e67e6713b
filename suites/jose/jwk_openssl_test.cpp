// JWK <-> OpenSSL: key generation per alg, EVP_PKEY export against RFC values, PEM round trips,
// and the key-strength checks (RSA size, ROCA).

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <gtest/gtest.h>

#include "core/jose/base64url.hpp"
#include "core/jose/jwk.hpp"
#include "core/util/openssl_ptr.hpp"
#include "suites/jose/test_data.hpp"

namespace tether::jose {
namespace {

using nlohmann::json;

const json rfc7515_a3_key = {{"kty", "EC"},
                             {"crv", "P-256"},
                             {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                             {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
                             {"d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}};

struct generated {
  const char* alg;
  key_type type;
  const char* crv;
  std::size_t secret_len;
};

class JwkGenerate : public ::testing::TestWithParam<generated> {};

TEST_P(JwkGenerate, MakesAKeyThatSuitsTheAlg) {
  const auto& g = GetParam();
  auto key = jwk::generate(g.alg);
  ASSERT_TRUE(key.ok()) << key.err().message;
  EXPECT_EQ(key->type(), g.type);
  EXPECT_EQ(key->curve(), g.crv);
  EXPECT_TRUE(key->has_private());
  EXPECT_TRUE(key->suits(g.alg));
  EXPECT_TRUE(key->weakness().empty()) << key->weakness();
  EXPECT_EQ(key->secret().size(), g.secret_len);
  EXPECT_EQ(key->evp() == nullptr, g.type == key_type::oct);
  // The JSON form parses back to the same key.
  auto again = jwk::parse(key->to_json());
  ASSERT_TRUE(again.ok()) << again.err().message;
  EXPECT_EQ(again->thumbprint(), key->thumbprint());
  EXPECT_TRUE(again->has_private());
}

INSTANTIATE_TEST_SUITE_P(
    Algs, JwkGenerate,
    ::testing::Values(generated{"ES256", key_type::ec, "P-256", 0}, generated{"ES384", key_type::ec, "P-384", 0},
                      generated{"ES512", key_type::ec, "P-521", 0}, generated{"RS256", key_type::rsa, "", 0},
                      generated{"PS512", key_type::rsa, "", 0}, generated{"EdDSA", key_type::okp, "Ed25519", 0},
                      generated{"HS256", key_type::oct, "", 32}, generated{"HS384", key_type::oct, "", 48},
                      generated{"HS512", key_type::oct, "", 64}),
    [](const auto& info) { return std::string(info.param.alg); });

TEST(JwkGenerate, RejectsUnknownAlgs) {
  EXPECT_FALSE(jwk::generate("none").ok());
  EXPECT_FALSE(jwk::generate("ES256K").ok());
}

TEST(JwkEvp, ExportsTheRfc7515A3KeyMemberForMember) {
  auto parsed = jwk::parse(rfc7515_a3_key);
  ASSERT_TRUE(parsed.ok()) << parsed.err().message;
  auto exported = jwk::from_evp(parsed->evp());
  ASSERT_TRUE(exported.ok()) << exported.err().message;
  EXPECT_EQ(exported->to_json(), rfc7515_a3_key);
  EXPECT_EQ(exported->public_key().to_json(), json({{"kty", "EC"}, {"crv", "P-256"}, {"x", rfc7515_a3_key["x"]}, {"y", rfc7515_a3_key["y"]}}));
}

TEST(JwkEvp, ExportsTheRfc7520RsaKeyWithAllCrtMembers) {
  json j = testing::load_json("jose/cookbook/jwk/3_4.rsa_private_key.json");
  auto parsed = jwk::parse(j);
  ASSERT_TRUE(parsed.ok()) << parsed.err().message;
  auto exported = jwk::from_evp(parsed->evp());
  ASSERT_TRUE(exported.ok());
  j.erase("kid");
  j.erase("use");
  EXPECT_EQ(exported->to_json(), j);
}

TEST(JwkEvp, ExportsTheRfc8037Ed25519Key) {
  const json key = testing::load_json("jose/cookbook/curve25519/jws.json")["input"]["key"];
  auto parsed = jwk::parse(key);
  ASSERT_TRUE(parsed.ok()) << parsed.err().message;
  auto exported = jwk::from_evp(parsed->evp());
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->to_json()["x"], key["x"]);
  EXPECT_EQ(exported->to_json()["d"], key["d"]);
}

TEST(JwkEvp, RejectsKeysWithoutAJwsForm) {
  ossl::pkey_ptr x25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
  ASSERT_TRUE(x25519);
  EXPECT_FALSE(jwk::from_evp(x25519.get()).ok());
  ossl::pkey_ptr p224(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp224r1"));
  ASSERT_TRUE(p224);
  EXPECT_FALSE(jwk::from_evp(p224.get()).ok());
  EXPECT_FALSE(jwk::from_evp(nullptr).ok());
}

TEST(JwkPem, RoundTripsPrivateAndPublicKeys) {
  for (const char* alg : {"ES256", "ES512", "RS256", "EdDSA"}) {
    auto key = jwk::generate(alg);
    ASSERT_TRUE(key.ok());
    const std::string priv_pem = key->to_pem(true);
    const std::string pub_pem = key->to_pem(false);
    EXPECT_NE(priv_pem.find("BEGIN PRIVATE KEY"), std::string::npos) << alg;
    EXPECT_NE(pub_pem.find("BEGIN PUBLIC KEY"), std::string::npos) << alg;
    auto priv = jwk::from_pem(priv_pem);
    auto pub = jwk::from_pem(pub_pem);
    ASSERT_TRUE(priv.ok() && pub.ok()) << alg;
    EXPECT_TRUE(priv->has_private());
    EXPECT_FALSE(pub->has_private());
    EXPECT_EQ(priv->thumbprint(), key->thumbprint()) << alg;
    EXPECT_EQ(pub->thumbprint(), key->thumbprint()) << alg;
    // A public key never writes a private PEM.
    EXPECT_EQ(key->public_key().to_pem(true), pub_pem) << alg;
  }
  auto oct = jwk::generate("HS256");
  EXPECT_EQ(oct->to_pem(true), "");
}

TEST(JwkPem, ReadsTraditionalFormatAndRefusesEncryptedOrGarbageInput) {
  auto key = jwk::generate("ES256");
  ASSERT_TRUE(key.ok());
  // Traditional "EC PRIVATE KEY" form.
  ossl::bio_ptr bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PrivateKey_traditional(bio.get(), key->evp(), nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  const std::string traditional(data, static_cast<std::size_t>(len));
  ASSERT_NE(traditional.find("BEGIN EC PRIVATE KEY"), std::string::npos);
  auto parsed = jwk::from_pem(traditional);
  ASSERT_TRUE(parsed.ok()) << parsed.err().message;
  EXPECT_EQ(parsed->thumbprint(), key->thumbprint());
  // Encrypted PKCS#8: refused without prompting for a password.
  ossl::bio_ptr enc(BIO_new(BIO_s_mem()));
  char pass[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(enc.get(), key->evp(), EVP_aes_128_cbc(), pass, 6, nullptr, nullptr), 1);
  const long n = BIO_get_mem_data(enc.get(), &data);
  auto refused = jwk::from_pem(std::string(data, static_cast<std::size_t>(n)));
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(jwk::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());
  EXPECT_FALSE(jwk::from_pem("").ok());
}

TEST(JwkStrength, FlagsShortRsaKeysButStillLoadsThem) {
  ossl::pkey_ptr small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024)));
  ASSERT_TRUE(small);
  auto key = jwk::from_evp(small.get());
  ASSERT_TRUE(key.ok());
  EXPECT_NE(key->weakness().find("1024"), std::string::npos) << key->weakness();
  EXPECT_FALSE(key->suits("RS256"));
  auto reparsed = jwk::parse(key->to_json());
  ASSERT_TRUE(reparsed.ok()) << reparsed.err().message;
  EXPECT_FALSE(reparsed->weakness().empty());
}

TEST(JwkStrength, FlagsTheWycheproofRocaKey) {
  const json file = testing::load_json("jose/wycheproof/json_web_key_test.json");
  int found = 0;
  for (const auto& group : file["testGroups"]) {
    if (group["comment"] != "jws_rsa_roca_key") continue;
    auto key = jwk::parse(group["public"]["keys"][0]);
    ASSERT_TRUE(key.ok()) << key.err().message;
    EXPECT_NE(key->weakness().find("ROCA"), std::string::npos) << key->weakness();
    ++found;
  }
  EXPECT_EQ(found, 1);
  // And a healthy key is not flagged.
  auto rfc = jwk::parse(testing::load_json("jose/cookbook/jwk/3_3.rsa_public_key.json"));
  ASSERT_TRUE(rfc.ok());
  EXPECT_EQ(rfc->weakness(), "");
}

}  // namespace
}  // namespace tether::jose
