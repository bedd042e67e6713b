// The builder's correct proofs follow RFC 9449 4.2, and each defect is really in the bytes sent.
// (The verifier tests then show each defect is rejected for the right reason.)

#include <set>

#include <gtest/gtest.h>

#include "core/jose/jws.hpp"
#include "dpop_test_support.hpp"

namespace tether::dpop {
namespace {

using namespace testing;
using nlohmann::json;

TEST(proof_builder, correct_proof_has_the_4_2_members) {
  proof_spec spec = token_request_spec();
  spec.htu = token_url + "?code=abc#frag";  // 4.2: htu carries no query or fragment
  const auto proof = build({}, spec);
  const json header = sent_header(proof);
  const json claims = sent_claims(proof);
  EXPECT_EQ(header["typ"], "dpop+jwt");
  EXPECT_EQ(header["alg"], "ES256");
  EXPECT_EQ(header["jwk"], client_key().public_json());
  EXPECT_FALSE(header["jwk"].contains("d"));
  EXPECT_EQ(claims["htm"], "POST");
  EXPECT_EQ(claims["htu"], token_url);
  EXPECT_EQ(claims["iat"], t0);
  EXPECT_FALSE(claims.contains("ath"));
  EXPECT_FALSE(claims.contains("nonce"));
  // 4.2: jti with at least 96 bits of randomness: 16 base64url characters.
  ASSERT_TRUE(claims["jti"].is_string());
  EXPECT_GE(claims["jti"].get<std::string>().size(), 16u);
  EXPECT_EQ(header, proof.header);
  EXPECT_EQ(claims, proof.claims);
  EXPECT_TRUE(proof.defects.empty());
  EXPECT_EQ(proof.jkt, client_key().thumbprint());

  auto jws = jose::parse_compact(proof.compact);
  ASSERT_TRUE(jws.ok()) << jws.err().message;
  EXPECT_TRUE(jose::verify(*jws, client_key().public_key(), "ES256").ok());
}

TEST(proof_builder, jti_is_fresh_each_time) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(sent_claims(build())["jti"].get<std::string>());
  EXPECT_EQ(seen.size(), 50u);
}

TEST(proof_builder, resource_proof_carries_ath_and_nonce) {
  proof_spec spec = token_request_spec();
  spec.access_token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
  spec.nonce = "eyJ7S_zG.eyJH0-Z.HX4w-7v";
  spec.jti = "fixed-jti";
  const json claims = sent_claims(build({}, spec));
  // RFC 9449 7.1: the ath printed for this access token.
  EXPECT_EQ(claims["ath"], "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
  EXPECT_EQ(claims["nonce"], "eyJ7S_zG.eyJH0-Z.HX4w-7v");
  EXPECT_EQ(claims["jti"], "fixed-jti");
}

TEST(proof_builder, other_algorithms_sign_verifiable_proofs) {
  for (const char* alg : {"ES384", "PS256", "EdDSA"}) {
    const auto& key = generated(alg, 0);
    proof_spec spec = token_request_spec();
    spec.alg = alg;
    const auto proof = build({}, spec, key);
    EXPECT_EQ(sent_header(proof)["alg"], alg);
    auto jws = jose::parse_compact(proof.compact);
    ASSERT_TRUE(jws.ok());
    EXPECT_TRUE(jose::verify(*jws, key.public_key(), alg).ok()) << alg;
  }
}

TEST(proof_builder, omitting_an_absent_claim_is_not_reported_as_applied) {
  proof_defects d;
  d.omit_claims = {"ath", "htm"};
  const auto proof = build(d);
  EXPECT_TRUE(applied(proof, "omit_claims:htm"));
  EXPECT_FALSE(applied(proof, "omit_claims:ath"));  // there was no access token
  EXPECT_FALSE(sent_claims(proof).contains("htm"));
}

TEST(proof_builder, private_jwk_needs_a_private_key) {
  proof_defects d;
  d.private_jwk = true;
  auto proof = build_proof(client_key().public_key(), token_request_spec(), d);
  ASSERT_FALSE(proof.ok());
  EXPECT_NE(proof.err().message.find("private_jwk"), std::string::npos);
}

TEST(proof_builder, unknown_header_name_to_omit_is_an_error) {
  proof_defects d;
  d.omit_header = {"kid"};
  auto proof = build_proof(client_key(), token_request_spec(), d);
  ASSERT_FALSE(proof.ok());
  EXPECT_NE(proof.err().message.find("kid"), std::string::npos);
}

TEST(proof_builder, claims_that_are_not_utf8_are_an_error_not_a_crash) {
  proof_spec spec = token_request_spec();
  spec.htu = "https://e.com/\xff\xfe";
  auto proof = build_proof(client_key(), spec, {});
  ASSERT_FALSE(proof.ok());
  EXPECT_NE(proof.err().message.find("claims"), std::string::npos) << proof.err().message;
}

TEST(proof_builder, access_token_hash_of_empty_token) {
  // SHA-256("") = e3b0c442...b855 (FIPS 180-4 example), base64url without padding.
  EXPECT_EQ(access_token_hash(""), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
}

}  // namespace
}  // namespace tether::dpop
