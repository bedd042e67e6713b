// RFC 9449 4.3 checks 3, 8, 9 and 11: required claims, htm, htu (with RFC 3986 normalisation)
// and the iat window.

#include <limits>

#include <gtest/gtest.h>

#include "dpop_test_support.hpp"

namespace tether::dpop {
namespace {

using namespace testing;
using nlohmann::json;

TEST(verifier_claims, each_required_claim_missing) {
  for (const char* claim : {"jti", "htm", "htu", "iat"}) {
    proof_defects d;
    d.omit_claims = {claim};
    const auto proof = build(d);
    EXPECT_FALSE(sent_claims(proof).contains(claim)) << claim;
    const auto verdict = verify(proof);
    EXPECT_EQ(verdict.check, proof_check::missing_claim) << claim;
    EXPECT_NE(verdict.detail.find(claim), std::string::npos) << verdict.detail;
  }
}

TEST(verifier_claims, mistyped_required_claims) {
  const std::vector<std::pair<std::string, json>> cases = {
      {"jti", 42},        {"jti", ""},         {"jti", std::string(513, 'j')},
      {"htm", json::array({"POST"})},          {"htu", nullptr},
      {"iat", "1700000000"}, {"iat", 1700000000.5}, {"iat", true}};
  for (const auto& [claim, value] : cases) {
    proof_defects d;
    d.extra_claims = {{claim, value}};
    const auto proof = build(d);
    EXPECT_EQ(sent_claims(proof)[claim], value);
    const auto verdict = verify(proof);
    EXPECT_EQ(verdict.check, proof_check::missing_claim) << claim << " = " << value.dump();
    EXPECT_NE(verdict.detail.find(claim), std::string::npos) << verdict.detail;
  }
}

TEST(verifier_claims, jti_of_512_bytes_is_accepted) {
  proof_defects d;
  d.extra_claims = {{"jti", std::string(512, 'j')}};
  EXPECT_EQ(verify(build(d)).check, proof_check::ok);
}

TEST(verifier_claims, htm_wrong) {
  proof_defects d;
  d.htm = "PUT";
  const auto proof = build(d);
  EXPECT_EQ(sent_claims(proof)["htm"], "PUT");
  const auto verdict = verify(proof);
  EXPECT_EQ(verdict.check, proof_check::htm_mismatch);
  EXPECT_NE(verdict.detail.find("htm"), std::string::npos) << verdict.detail;
}

TEST(verifier_claims, htm_is_case_sensitive) {
  // RFC 9110 9.1: "The method token is case-sensitive".
  proof_defects d;
  d.htm = "post";
  EXPECT_EQ(verify(build(d)).check, proof_check::htm_mismatch);
}

proof_verdict verify_with_htu(const std::string& htu, const std::string& url,
                              verify_policy policy = {}) {
  proof_defects d;
  d.htu = htu;
  const auto proof = build(d);
  EXPECT_EQ(sent_claims(proof)["htu"], htu);
  return verify_proof(request_for(proof, "POST", url), policy, t0);
}

TEST(verifier_claims, htu_different_path) {
  const auto verdict = verify_with_htu("https://127.0.0.1:8443/other", token_url);
  EXPECT_EQ(verdict.check, proof_check::htu_mismatch);
  EXPECT_NE(verdict.detail.find("htu"), std::string::npos) << verdict.detail;
}

TEST(verifier_claims, htu_different_host) {
  EXPECT_EQ(verify_with_htu("https://localhost:8443/token", token_url).check,
            proof_check::htu_mismatch);
  EXPECT_EQ(verify_with_htu("https://127.0.0.1:9443/token", token_url).check,
            proof_check::htu_mismatch);
}

TEST(verifier_claims, htu_not_a_uri) {
  EXPECT_EQ(verify_with_htu("/token", token_url).check, proof_check::htu_mismatch);
}

TEST(verifier_claims, htu_with_query_and_fragment_is_accepted) {
  // 4.3 (9): "ignoring any query and fragment parts" (on both sides).
  EXPECT_EQ(verify_with_htu(token_url + "?a=1#frag", token_url).check, proof_check::ok);
  EXPECT_EQ(verify_with_htu(token_url, token_url + "?x=y").check, proof_check::ok);
}

TEST(verifier_claims, htu_normalisation_variants) {
  // Accepted with normalisation (4.3: SHOULD apply RFC 3986 6.2.2 and 6.2.3)...
  const std::vector<std::pair<std::string, std::string>> variants = {
      {"HTTPS://127.0.0.1:443/x", "https://127.0.0.1/x"},
      {"https://127.0.0.1/a%2fb", "https://127.0.0.1/a%2Fb"},
      {"https://127.0.0.1/%7euser", "https://127.0.0.1/~user"},
      {"https://RS.Example/x", "https://rs.example/x"},
      {"https://rs.example", "https://rs.example/"},
      {"https://rs.example/a/../x", "https://rs.example/x"},
  };
  verify_policy strict;
  strict.normalise_htu = false;
  for (const auto& [htu, url] : variants) {
    EXPECT_EQ(verify_with_htu(htu, url).check, proof_check::ok) << htu << " vs " << url;
    // ...and rejected when the server compares strings.
    EXPECT_EQ(verify_with_htu(htu, url, strict).check, proof_check::htu_mismatch)
        << htu << " vs " << url;
  }
}

TEST(verifier_claims, htu_percent_encoded_slash_is_not_a_slash) {
  EXPECT_EQ(verify_with_htu("https://rs.example/a%2Fb", "https://rs.example/a/b").check,
            proof_check::htu_mismatch);
}

proof_verdict verify_at_offset(int64_t offset, const verify_policy& policy = {}) {
  proof_defects d;
  d.iat_offset_s = offset;
  const auto proof = build(d);
  EXPECT_EQ(sent_claims(proof)["iat"], t0 + offset);
  return verify(proof, policy);
}

TEST(verifier_claims, iat_too_old) {
  const auto verdict = verify_at_offset(-3600);
  EXPECT_EQ(verdict.check, proof_check::iat_too_old);
  EXPECT_NE(verdict.detail.find("iat"), std::string::npos) << verdict.detail;
  EXPECT_EQ(verify_at_offset(-301).check, proof_check::iat_too_old);
}

TEST(verifier_claims, iat_in_future) {
  const auto verdict = verify_at_offset(3600);
  EXPECT_EQ(verdict.check, proof_check::iat_in_future);
  EXPECT_NE(verdict.detail.find("iat"), std::string::npos) << verdict.detail;
  EXPECT_EQ(verify_at_offset(31).check, proof_check::iat_in_future);
}

TEST(verifier_claims, iat_within_window) {
  for (int64_t offset : {-300, -10, 0, 10, 30}) {
    EXPECT_EQ(verify_at_offset(offset).check, proof_check::ok) << offset;
  }
}

TEST(verifier_claims, iat_window_follows_policy) {
  verify_policy policy;
  policy.max_age_s = 10;
  policy.max_future_s = 0;
  EXPECT_EQ(verify_at_offset(-11, policy).check, proof_check::iat_too_old);
  EXPECT_EQ(verify_at_offset(1, policy).check, proof_check::iat_in_future);
  EXPECT_EQ(verify_at_offset(-10, policy).check, proof_check::ok);
}

TEST(verifier_claims, iat_at_the_limits_of_int64) {
  proof_defects d;
  d.extra_claims = {{"iat", std::numeric_limits<uint64_t>::max()}};
  EXPECT_EQ(verify(build(d)).check, proof_check::iat_in_future);
  d.extra_claims = {{"iat", std::numeric_limits<int64_t>::max()}};
  EXPECT_EQ(verify(build(d)).check, proof_check::iat_in_future);
  d.extra_claims = {{"iat", std::numeric_limits<int64_t>::min()}};
  const auto verdict = verify(build(d));
  EXPECT_EQ(verdict.check, proof_check::iat_too_old);
  EXPECT_NE(verdict.detail.find("century"), std::string::npos) << verdict.detail;
}

}  // namespace
}  // namespace tether::dpop
