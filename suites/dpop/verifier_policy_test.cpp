// The policy knobs that break the verifier on purpose (so the suite can prove its scenarios catch
// broken servers) must each change behaviour; and the reported check is the first rule of 4.3
// that the proof breaks.

#include <gtest/gtest.h>

#include "core/dpop/replay_cache.hpp"
#include "dpop_test_support.hpp"

namespace tether::dpop {
namespace {

using namespace testing;

TEST(verifier_policy, skip_ath_check_lets_a_missing_or_wrong_ath_through) {
  proof_spec spec = token_request_spec();
  spec.access_token = "at-1";
  for (const bool omit : {true, false}) {
    proof_defects d;
    if (omit) d.omit_claims = {"ath"};
    else d.ath = "other_token";
    proof_request request = request_for(build(d, spec));
    request.access_token = "at-1";
    verify_policy policy;
    EXPECT_EQ(verify_proof(request, policy, t0).check,
              omit ? proof_check::ath_missing : proof_check::ath_mismatch);
    policy.skip_ath_check = true;
    EXPECT_EQ(verify_proof(request, policy, t0).check, proof_check::ok);
  }
}

TEST(verifier_policy, skip_ath_check_still_checks_the_key_binding) {
  proof_spec spec = token_request_spec();
  spec.access_token = "at-1";
  proof_request request = request_for(build({}, spec));
  request.access_token = "at-1";
  request.bound_jkt = other_key().thumbprint();
  verify_policy policy;
  policy.skip_ath_check = true;
  EXPECT_EQ(verify_proof(request, policy, t0).check, proof_check::key_mismatch);
}

TEST(verifier_policy, only_present_claims_skips_absent_members_and_still_checks_present_ones) {
  proof_spec spec = token_request_spec();
  spec.access_token = "at-1";
  auto request_without = [&](proof_defects d) {
    proof_request request = request_for(build(d, spec));
    request.access_token = "at-1";
    return request;
  };
  verify_policy lenient;
  lenient.only_present_claims = true;
  for (const char* claim : {"jti", "htm", "htu", "iat", "ath"}) {
    proof_defects d;
    d.omit_claims = {claim};
    EXPECT_EQ(verify_proof(request_without(d), verify_policy{}, t0).check,
              std::string(claim) == "ath" ? proof_check::ath_missing : proof_check::missing_claim)
        << claim;
    EXPECT_EQ(verify_proof(request_without(d), lenient, t0).check, proof_check::ok) << claim;
  }
  proof_defects no_typ;
  no_typ.omit_header = {"typ"};
  EXPECT_EQ(verify_proof(request_without(no_typ), lenient, t0).check, proof_check::ok);
  // alg and jwk stay required; a claim that is present is still compared.
  for (const char* name : {"alg", "jwk"}) {
    proof_defects d;
    d.omit_header = {name};
    EXPECT_EQ(verify_proof(request_without(d), lenient, t0).check, proof_check::missing_claim) << name;
  }
  proof_defects wrong_htm;
  wrong_htm.omit_claims = {"jti"};
  wrong_htm.htm = "GET";
  EXPECT_EQ(verify_proof(request_without(wrong_htm), lenient, t0).check, proof_check::htm_mismatch);
  // Without jti there is nothing to remember: the same proof passes twice.
  replay_cache cache;
  lenient.replay = &cache;
  proof_defects no_jti;
  no_jti.omit_claims = {"jti"};
  const proof_request once = request_without(no_jti);
  EXPECT_EQ(verify_proof(once, lenient, t0).check, proof_check::ok);
  EXPECT_EQ(verify_proof(once, lenient, t0).check, proof_check::ok);
}

TEST(verifier_policy, accept_private_jwk_lets_a_private_key_through) {
  proof_defects d;
  d.private_jwk = true;
  const auto proof = build(d);
  verify_policy policy;
  EXPECT_EQ(verify(proof, policy).check, proof_check::private_key);
  policy.accept_private_jwk = true;
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
}

TEST(verifier_policy, case_insensitive_htu_accepts_a_path_in_other_case) {
  proof_defects d;
  d.htu = "https://127.0.0.1:8443/TOKEN";
  const auto proof = build(d);
  verify_policy policy;
  EXPECT_EQ(verify(proof, policy).check, proof_check::htu_mismatch);
  policy.case_insensitive_htu = true;
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
  policy.normalise_htu = false;  // the knob works with string comparison too
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
}

TEST(verifier_policy, normalise_htu_off_compares_strings) {
  proof_defects d;
  d.htu = "HTTPS://127.0.0.1:8443/token";
  const auto proof = build(d);
  verify_policy policy;
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
  policy.normalise_htu = false;
  EXPECT_EQ(verify(proof, policy).check, proof_check::htu_mismatch);
}

TEST(verifier_policy, replay_cache_absent_means_no_replay_check) {
  const auto proof = build();
  verify_policy policy;
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
  replay_cache cache;
  policy.replay = &cache;
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
  EXPECT_EQ(verify(proof, policy).check, proof_check::replayed);
}

TEST(verifier_policy, first_broken_rule_in_4_3_order_is_reported) {
  // Two defects each; the earlier check in 4.3's list wins.
  struct combo {
    proof_defects defects;
    proof_check expected;
  };
  std::vector<combo> combos(6);
  combos[0].defects.typ = "JWT";             // (4)
  combos[0].defects.omit_claims = {"htm"};   // (3)
  combos[0].expected = proof_check::missing_claim;
  combos[1].defects.typ = "JWT";             // (4)
  combos[1].defects.alg = "none";            // (5)
  combos[1].expected = proof_check::bad_typ;
  combos[2].defects.bad_signature = true;    // (6)
  combos[2].defects.htm = "GET";             // (8)
  combos[2].expected = proof_check::bad_signature;
  combos[3].defects.private_jwk = true;      // (7)
  combos[3].defects.htu = "https://x.example/"; // (9)
  combos[3].expected = proof_check::private_key;
  combos[4].defects.htm = "GET";             // (8)
  combos[4].defects.iat_offset_s = -3600;    // (11)
  combos[4].expected = proof_check::htm_mismatch;
  combos[5].defects.htu = "https://x.example/"; // (9)
  combos[5].defects.iat_offset_s = 3600;     // (11)
  combos[5].expected = proof_check::htu_mismatch;
  for (std::size_t i = 0; i < combos.size(); ++i) {
    EXPECT_EQ(verify(build(combos[i].defects)).check, combos[i].expected) << "combination " << i;
  }
}

TEST(verifier_policy, check_names_are_stable) {
  // Mocks map these names to error codes in their configuration: they are a contract.
  EXPECT_STREQ(to_string(proof_check::ok), "ok");
  EXPECT_STREQ(to_string(proof_check::missing_claim), "missing_claim");
  EXPECT_STREQ(to_string(proof_check::iat_in_future), "iat_in_future");
  EXPECT_STREQ(to_string(proof_check::key_mismatch), "key_mismatch");
  EXPECT_STREQ(to_string(proof_check::replayed), "replayed");
}

}  // namespace
}  // namespace tether::dpop
