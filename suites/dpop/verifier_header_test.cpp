// RFC 9449 4.3 checks 1 to 7: header fields, JWT syntax, typ, alg, jwk, signature, private key.
// Each test shows the defect is in the bytes the builder produced, then that the verifier names
// the right check.

#include <gtest/gtest.h>

#include "core/jose/jws.hpp"
#include "dpop_test_support.hpp"

namespace tether::dpop {
namespace {

using namespace testing;
using nlohmann::json;

TEST(verifier_header, correct_proof_is_accepted) {
  const auto verdict = verify(build());
  EXPECT_EQ(verdict.check, proof_check::ok) << verdict.detail;
  EXPECT_EQ(verdict.jkt, client_key().thumbprint());
  EXPECT_EQ(verdict.header["typ"], "dpop+jwt");
  EXPECT_EQ(verdict.claims["htm"], "POST");
}

TEST(verifier_header, no_dpop_header) {
  proof_request request = request_for(build());
  request.dpop_headers.clear();
  EXPECT_EQ(verify_proof(request, {}, t0).check, proof_check::missing);
}

TEST(verifier_header, two_dpop_headers) {
  proof_request request = request_for(build());
  request.dpop_headers.push_back(build().compact);  // two valid proofs: still check 1
  const auto verdict = verify_proof(request, {}, t0);
  EXPECT_EQ(verdict.check, proof_check::multiple);
  EXPECT_NE(verdict.detail.find("DPoP header"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, typ_wrong) {
  proof_defects d;
  d.typ = "JWT";
  const auto proof = build(d);
  EXPECT_EQ(sent_header(proof)["typ"], "JWT");
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::bad_typ);
  EXPECT_NE(verdict.detail.find("typ"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, typ_missing) {
  proof_defects d;
  d.omit_header = {"typ"};
  const auto proof = build(d);
  EXPECT_FALSE(sent_header(proof).contains("typ"));
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::missing_claim);
  EXPECT_NE(verdict.detail.find("typ"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, alg_missing) {
  proof_defects d;
  d.omit_header = {"alg"};
  const auto proof = build(d);
  EXPECT_FALSE(sent_header(proof).contains("alg"));
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::missing_claim);
  EXPECT_NE(verdict.detail.find("alg"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, alg_none) {
  proof_defects d;
  d.alg = "none";
  const auto proof = build(d);
  EXPECT_EQ(sent_header(proof)["alg"], "none");
  EXPECT_EQ(proof.compact.back(), '.');  // empty signature part (RFC 7518 3.6)
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::bad_alg);
  EXPECT_NE(verdict.detail.find("none"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, alg_hs256) {
  proof_defects d;
  d.alg = "HS256";
  const auto proof = build(d);
  EXPECT_EQ(sent_header(proof)["alg"], "HS256");
  EXPECT_EQ(decoded_part(proof.compact, 2).size(), 32u);  // an HMAC-SHA-256 tag, not ECDSA r||s
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::bad_alg);
  EXPECT_NE(verdict.detail.find("MAC"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, alg_unknown_label) {
  proof_defects d;
  d.alg = "ES999";
  const auto proof = build(d);
  EXPECT_EQ(sent_header(proof)["alg"], "ES999");
  EXPECT_EQ(verify(proof).check, proof_check::bad_alg);
}

TEST(verifier_header, alg_not_allowed_by_policy) {
  const auto proof = build();  // a correct ES256 proof
  verify_policy policy;
  policy.algs = {"PS256", "EdDSA"};
  const auto verdict = verify(proof, policy);
  EXPECT_EQ(verdict.check, proof_check::bad_alg);
  EXPECT_NE(verdict.detail.find("policy"), std::string::npos) << verdict.detail;
  policy.algs.push_back("ES256");
  EXPECT_EQ(verify(build(), policy).check, proof_check::ok);
}

TEST(verifier_header, alg_that_does_not_suit_the_jwk) {
  proof_defects d;
  d.alg = "ES384";  // the jwk is a P-256 key
  const auto proof = build(d);
  EXPECT_EQ(sent_header(proof)["alg"], "ES384");
  EXPECT_EQ(sent_header(proof)["jwk"]["crv"], "P-256");
  EXPECT_EQ(verify(proof).check, proof_check::bad_jwk);
}

TEST(verifier_header, jwk_missing) {
  proof_defects d;
  d.omit_header = {"jwk"};
  const auto proof = build(d);
  EXPECT_FALSE(sent_header(proof).contains("jwk"));
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::missing_claim);
  EXPECT_NE(verdict.detail.find("jwk"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, jwk_unusable) {
  proof_defects d;
  d.jwk = json{{"kty", "EC"}, {"crv", "P-256"}, {"x", "AAAA"}, {"y", "AAAA"}};
  EXPECT_EQ(verify(build(d)).check, proof_check::bad_jwk);
  d.jwk = json{{"kty", "oct"}, {"k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}};
  EXPECT_EQ(verify(build(d)).check, proof_check::bad_jwk);
}

TEST(verifier_header, jwk_with_private_members) {
  proof_defects d;
  d.private_jwk = true;
  const auto proof = build(d);
  EXPECT_TRUE(sent_header(proof)["jwk"].contains("d"));
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::private_key);
  EXPECT_NE(verdict.detail.find("jwk"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, jwk_not_the_signing_key) {
  proof_defects d;
  d.jwk = other_key().public_json();
  const auto proof = build(d);
  EXPECT_EQ(sent_header(proof)["jwk"], other_key().public_json());
  EXPECT_NE(other_key().thumbprint(), client_key().thumbprint());
  EXPECT_EQ(verify(proof).check, proof_check::bad_signature);
}

TEST(verifier_header, bad_signature) {
  proof_defects d;
  d.bad_signature = true;
  const auto proof = build(d);
  ASSERT_TRUE(applied(proof, "bad_signature"));
  // The header and claims are intact; only the signature fails.
  EXPECT_EQ(sent_header(proof)["typ"], "dpop+jwt");
  auto jws = jose::parse_compact(proof.compact);
  ASSERT_TRUE(jws.ok());
  EXPECT_FALSE(jose::verify(*jws, client_key().public_key(), "ES256").ok());
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::bad_signature);
  EXPECT_NE(verdict.detail.find("signature"), std::string::npos) << verdict.detail;
}

TEST(verifier_header, malformed_values) {
  const std::vector<std::string> kinds = {"not_jwt", "two_parts", "bad_base64", "header_not_json",
                                          "payload_not_json", "payload_array"};
  for (const auto& kind : kinds) {
    proof_defects d;
    d.malformed = kind;
    const auto proof = build(d);
    ASSERT_TRUE(applied(proof, "malformed:" + kind)) << kind;
    const auto parts = parts_of(proof.compact);
    if (kind == "not_jwt") {
      EXPECT_EQ(parts.size(), 1u);
    } else if (kind == "two_parts") {
      EXPECT_EQ(parts.size(), 2u);
    } else if (kind == "bad_base64") {
      EXPECT_EQ(decoded_part(proof.compact, 1), "<not base64url>");
    } else if (kind == "header_not_json") {
      EXPECT_TRUE(sent_header(proof).is_discarded());
    } else if (kind == "payload_not_json") {
      EXPECT_TRUE(sent_claims(proof).is_discarded());
    } else if (kind == "payload_array") {
      EXPECT_TRUE(sent_claims(proof).is_array());
    }
    const auto verdict = verify(proof);
    EXPECT_EQ(verdict.check, proof_check::malformed) << kind << ": " << verdict.detail;
    EXPECT_FALSE(verdict.detail.empty());
  }
}

TEST(verifier_header, oversized_and_empty_values_are_malformed) {
  proof_request request = request_for(build());
  request.dpop_headers = {std::string(100000, 'A')};
  EXPECT_EQ(verify_proof(request, {}, t0).check, proof_check::malformed);
  request.dpop_headers = {""};
  EXPECT_EQ(verify_proof(request, {}, t0).check, proof_check::malformed);
  request.dpop_headers = {" " + build().compact};
  EXPECT_EQ(verify_proof(request, {}, t0).check, proof_check::malformed);
}

TEST(verifier_header, extra_header_parameters_and_claims_are_tolerated) {
  // 4.2: "A DPoP proof MAY contain other JOSE header parameters or claims".
  proof_defects d;
  d.extra_header = {{"kid", "k-1"}, {"x-vendor", {{"a", 1}}}};
  d.extra_claims = {{"exp", t0 + 60}, {"client_id", "c1"}};
  const auto proof = build(d);
  EXPECT_EQ(sent_header(proof)["kid"], "k-1");
  EXPECT_EQ(sent_claims(proof)["client_id"], "c1");
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::ok) << verdict.detail;
}

TEST(verifier_header, other_algorithms_verify) {
  for (const char* alg : {"ES384", "ES512", "PS256", "RS256", "EdDSA"}) {
    proof_spec spec = token_request_spec();
    spec.alg = alg;
    const auto verdict = verify(build({}, spec, generated(alg, 0)));
    EXPECT_EQ(verdict.check, proof_check::ok) << alg << ": " << verdict.detail;
  }
}

}  // namespace
}  // namespace tether::dpop
