// JWS compact: parsing keeps the exact parts; every alg round-trips, and every change to a token
// or a mismatched key is rejected with a named reason.

#include "core/jose/jws.hpp"

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <map>

#include <gtest/gtest.h>

#include "core/jose/base64url.hpp"
#include "core/util/openssl_ptr.hpp"

namespace tether::jose {
namespace {

using nlohmann::json;

const char* const all_algs[] = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256",
                                "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"};

// Two keys per alg (RSA generation is slow, so the keys are made once).
const jwk& key_for(const std::string& alg, int which = 0) {
  static std::map<std::string, jwk> cache;
  const std::string family = alg.substr(0, 2) == "PS" || alg.substr(0, 2) == "RS" ? "RSA" : alg;
  const std::string name = family + "#" + std::to_string(which);
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, *jwk::generate(alg)).first;
  return it->second;
}

class JwsRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(JwsRoundTrip, SignsVerifiesAndRejectsEveryChange) {
  const std::string alg = GetParam();
  const jwk& key = key_for(alg);
  const json header = {{"alg", alg}, {"typ", "dpop+jwt"}};
  auto token = sign_compact(header, R"({"htm":"POST"})", key, alg);
  ASSERT_TRUE(token.ok()) << token.err().message;
  auto jws = parse_compact(*token);
  ASSERT_TRUE(jws.ok()) << jws.err().message;
  EXPECT_EQ(jws->header, header);
  EXPECT_EQ(jws->payload_bytes, R"({"htm":"POST"})");
  EXPECT_EQ(jws->signing_input() + "." + jws->signature_b64, *token);

  EXPECT_TRUE(verify(*jws, key, alg).ok()) << verify(*jws, key, alg).err().message;
  EXPECT_TRUE(verify(*jws, key.public_key(), alg).ok() || alg[0] == 'H');

  // Payload changed: the signature no longer covers it.
  auto tampered = parse_compact(jws->protected_b64 + "." + base64url_encode(R"({"htm":"GET"})") + "." + jws->signature_b64);
  ASSERT_TRUE(tampered.ok());
  EXPECT_EQ(verify(*tampered, key, alg).err().code, "jws.signature");
  // Signature changed in its first byte.
  std::string sig = jws->signature;
  sig[0] = static_cast<char>(sig[0] ^ 0x01);
  auto bad_sig = parse_compact(jws->signing_input() + "." + base64url_encode(sig));
  ASSERT_TRUE(bad_sig.ok());
  EXPECT_EQ(verify(*bad_sig, key, alg).err().code, "jws.signature");
  // One byte too many or too few.
  auto longer = parse_compact(jws->signing_input() + "." + base64url_encode(jws->signature + '\0'));
  EXPECT_EQ(verify(*longer, key, alg).err().code, "jws.signature_length");
  auto shorter = parse_compact(jws->signing_input() + "." + base64url_encode(jws->signature.substr(1)));
  EXPECT_EQ(verify(*shorter, key, alg).err().code, "jws.signature_length");
  // Another key of the same kind.
  EXPECT_EQ(verify(*jws, key_for(alg, 1), alg).err().code, "jws.signature");
}

TEST_P(JwsRoundTrip, RefusesKeysOfTheWrongTypeOrCurve) {
  const std::string alg = GetParam();
  for (const char* other : all_algs) {
    const jwk& key = key_for(other);
    const bool same_kind = key_for(alg).type() == key.type() && key_for(alg).curve() == key.curve();
    if (same_kind) continue;
    auto s = sign("a.b", key, alg);
    ASSERT_FALSE(s.ok()) << alg << " signed with a key made for " << other;
    EXPECT_EQ(s.err().code, "jws.key_type");
    auto token = sign_compact(json{{"alg", alg}}, "x", key_for(alg), alg);
    auto jws = parse_compact(*token);
    EXPECT_EQ(verify(*jws, key, alg).err().code, "jws.key_type") << alg << " with a key made for " << other;
    EXPECT_FALSE(key.suits(alg));
  }
}

INSTANTIATE_TEST_SUITE_P(Algs, JwsRoundTrip, ::testing::ValuesIn(all_algs));

TEST(JwsSign, EcdsaSignaturesHaveTheFixedJwsLength) {
  EXPECT_EQ(sign("a.b", key_for("ES256"), "ES256")->size(), 64u);
  EXPECT_EQ(sign("a.b", key_for("ES384"), "ES384")->size(), 96u);
  EXPECT_EQ(sign("a.b", key_for("ES512"), "ES512")->size(), 132u);
  EXPECT_EQ(sign("a.b", key_for("EdDSA"), "EdDSA")->size(), 64u);
}

TEST(JwsSign, NeedsAPrivateKeyAndAKnownAlg) {
  EXPECT_EQ(sign("a.b", key_for("ES256").public_key(), "ES256").err().code, "jws.key_private");
  EXPECT_EQ(sign("a.b", key_for("ES256"), "none").err().code, "jws.alg");
  EXPECT_EQ(sign("a.b", key_for("ES256"), "ES256K").err().code, "jws.alg");
}

TEST(JwsSign, SignsHeadersThatNeedEscapingButNotInvalidUtf8) {
  auto ok = sign_compact(json{{"alg", "ES256"}, {"kid", "a\"b"}}, "", key_for("ES256"), "ES256");
  ASSERT_TRUE(ok.ok());
  auto bad = sign_compact(json{{"alg", "ES256"}, {"kid", "\xC3\x28"}}, "", key_for("ES256"), "ES256");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().code, "jws.header");
}

jwk parse_key(const json& j) { return *jwk::parse(j); }
json with(json j, const char* member, json value) {
  j[member] = std::move(value);
  return j;
}

TEST(JwsVerify, RequiresTheHeaderAlgToBeTheAcceptedAlg) {
  const jwk& key = key_for("ES256");
  auto jws = parse_compact(*sign_compact(json{{"alg", "ES256"}}, "x", key, "ES256"));
  EXPECT_EQ(verify(*jws, key, "ES384").err().code, "jws.alg");
  EXPECT_EQ(verify(*jws, key, "none").err().code, "jws.alg");
  auto no_alg = parse_compact(*sign_compact(json{{"typ", "JWT"}}, "x", key, "ES256"));
  EXPECT_EQ(verify(*no_alg, key, "ES256").err().code, "jws.alg");
  auto none = parse_compact(assemble_compact(R"({"alg":"none"})", "x", ""));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(verify(*none, key, "ES256").err().code, "jws.alg");
}

TEST(JwsVerify, RejectsCriticalExtensions) {
  const jwk& key = key_for("ES256");
  auto jws = parse_compact(*sign_compact(json{{"alg", "ES256"}, {"crit", {"b64"}}, {"b64", false}}, "x", key, "ES256"));
  EXPECT_EQ(verify(*jws, key, "ES256").err().code, "jws.crit");
  auto empty = parse_compact(*sign_compact(json{{"alg", "ES256"}, {"crit", json::array()}}, "x", key, "ES256"));
  EXPECT_EQ(verify(*empty, key, "ES256").err().code, "jws.crit");
}

TEST(JwsVerify, HonoursTheKeysAlgUseAndKeyOps) {
  json j = key_for("ES256").public_key().to_json();
  auto jws = parse_compact(*sign_compact(json{{"alg", "ES256"}}, "x", key_for("ES256"), "ES256"));
  EXPECT_TRUE(verify(*jws, parse_key(j), "ES256").ok());
  EXPECT_EQ(verify(*jws, parse_key(with(j, "alg", "ES384")), "ES256").err().code, "jws.key_alg");
  EXPECT_EQ(verify(*jws, parse_key(with(j, "use", "enc")), "ES256").err().code, "jws.key_use");
  EXPECT_EQ(verify(*jws, parse_key(with(j, "key_ops", {"sign"})), "ES256").err().code, "jws.key_ops");
  EXPECT_TRUE(verify(*jws, parse_key(with(j, "key_ops", {"verify"})), "ES256").ok());
}

TEST(JwsVerify, SignsWithShortHmacKeysButRefusesToVerifyWithThem) {
  const jwk short_key = parse_key(json{{"kty", "oct"}, {"k", base64url_encode(std::string(31, 'k'))}});
  auto token = sign_compact(json{{"alg", "HS256"}}, "x", short_key, "HS256");
  ASSERT_TRUE(token.ok()) << "defective tokens must remain buildable";
  EXPECT_EQ(verify(*parse_compact(*token), short_key, "HS256").err().code, "jws.key_size");
}

TEST(JwsVerify, RefusesDerEcdsaSignatures) {
  // An ASN.1 DER ECDSA signature is what OpenSSL produces natively; JWS requires r||s.
  const jwk& key = key_for("ES256");
  ossl::md_ctx_ptr ctx(EVP_MD_CTX_new());
  const std::string input = base64url_encode(R"({"alg":"ES256"})") + "." + base64url_encode("x");
  ASSERT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.evp()), 1);
  unsigned char der[80];
  std::size_t len = sizeof der;
  ASSERT_EQ(EVP_DigestSign(ctx.get(), der, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()), 1);
  auto jws = parse_compact(input + "." + base64url_encode(std::string(reinterpret_cast<char*>(der), len)));
  EXPECT_EQ(verify(*jws, key, "ES256").err().code, "jws.signature_length");
}

TEST(JwsVerify, PssRequiresSaltAsLongAsTheHash) {
  // RFC 7518 3.5: the salt length equals the hash output. A PS256 signature with a 222-byte salt
  // (OpenSSL's maximum for RSA-2048) is valid PSS but not valid PS256.
  const jwk& key = key_for("PS256");
  const std::string input = base64url_encode(R"({"alg":"PS256"})") + "." + base64url_encode("x");
  ossl::md_ctx_ptr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  ASSERT_EQ(EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.evp()), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_MAX), 1);
  unsigned char sig[256];
  std::size_t len = sizeof sig;
  ASSERT_EQ(EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()), 1);
  auto jws = parse_compact(input + "." + base64url_encode(std::string(reinterpret_cast<char*>(sig), len)));
  EXPECT_EQ(verify(*jws, key, "PS256").err().code, "jws.signature");
}

TEST(JwsParse, KeepsEachPartExactlyAsReceived) {
  const std::string header = "{ \"alg\" : \"HS256\" }";
  const std::string token = assemble_compact(header, "not json", "\x01\x02");
  EXPECT_EQ(token, base64url_encode(header) + "." + base64url_encode("not json") + ".AQI");
  auto jws = parse_compact(token);
  ASSERT_TRUE(jws.ok()) << jws.err().message;
  EXPECT_EQ(jws->header_bytes, header);
  EXPECT_EQ(jws->protected_b64, base64url_encode(header));
  EXPECT_EQ(jws->payload_bytes, "not json");
  EXPECT_EQ(jws->signature, "\x01\x02");
  EXPECT_EQ(jws->signature_b64, "AQI");
  EXPECT_EQ(jws->header["alg"], "HS256");
}

TEST(JwsParse, AllowsAnEmptySignatureAndPayload) {
  auto jws = parse_compact(assemble_compact(R"({"alg":"none"})", "", ""));
  ASSERT_TRUE(jws.ok());
  EXPECT_EQ(jws->signature, "");
  EXPECT_EQ(jws->payload_bytes, "");
}

void expect_parse_error(const std::string& text, const std::string& code, const std::string& names = "") {
  auto jws = parse_compact(text);
  ASSERT_FALSE(jws.ok()) << "accepted " << text;
  EXPECT_EQ(jws.err().code, code) << text << ": " << jws.err().message;
  if (!names.empty()) {
    EXPECT_NE(jws.err().message.find(names), std::string::npos) << jws.err().message;
  }
}

TEST(JwsParse, RejectsWrongStructureNamingThePart) {
  const std::string h = base64url_encode(R"({"alg":"HS256"})");
  expect_parse_error("", "jws.parts");
  expect_parse_error(h, "jws.parts");
  expect_parse_error(h + ".e30", "jws.parts");
  expect_parse_error(h + ".e30.AA.", "jws.parts");
  expect_parse_error(h + ".e30.AA.AA.AA", "jws.parts");
  expect_parse_error(".e30.AA", "jws.header");
  expect_parse_error(h + "=.e30.AA", "jws.base64url.padding", "protected header");
  expect_parse_error(h + ".e3 0.AA", "jws.base64url.whitespace", "payload");
  expect_parse_error(h + ".e30.A+A", "jws.base64url.alphabet", "signature");
  expect_parse_error(base64url_encode("[1]") + ".e30.AA", "jws.header", "array");
  expect_parse_error(base64url_encode(R"({"alg":"HS256","alg":"none"})") + ".e30.AA", "jws.header", "\"alg\"");
  expect_parse_error(h + ".e31.AA", "jws.base64url.trailing_bits", "payload");
}

TEST(JwsAlgs, KnowsTheThirteenAlgorithms) {
  for (const char* alg : all_algs) EXPECT_TRUE(is_known_alg(alg)) << alg;
  EXPECT_FALSE(is_known_alg("none"));
  EXPECT_FALSE(is_known_alg("es256"));
  EXPECT_FALSE(is_known_alg("RSA1_5"));
  EXPECT_TRUE(is_asymmetric_alg("EdDSA"));
  EXPECT_TRUE(is_asymmetric_alg("PS384"));
  EXPECT_FALSE(is_asymmetric_alg("HS256"));
  EXPECT_FALSE(is_asymmetric_alg("none"));
}

}  // namespace
}  // namespace tether::jose
