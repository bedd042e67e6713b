// RFC 9449 4.3 checks 10 and 12 and section 11.1: nonce, ath, key binding, replay.

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "core/dpop/nonce_service.hpp"
#include "core/dpop/replay_cache.hpp"
#include "dpop_test_support.hpp"

namespace tether::dpop {
namespace {

using namespace testing;

const std::string resource_url = "https://127.0.0.1:9443/resource";
const std::string access_token = "at-0123456789";

proof_spec resource_spec() {
  proof_spec spec;
  spec.htm = "GET";
  spec.htu = resource_url;
  spec.iat = t0;
  spec.access_token = access_token;
  return spec;
}

proof_request resource_request(const built_proof& proof) {
  proof_request request = request_for(proof, "GET", resource_url);
  request.access_token = access_token;
  return request;
}

TEST(verifier_binding, ath_right) {
  const auto proof = build({}, resource_spec());
  EXPECT_EQ(sent_claims(proof)["ath"], access_token_hash(access_token));
  const auto verdict = verify_proof(resource_request(proof), {}, t0);
  EXPECT_EQ(verdict.check, proof_check::ok) << verdict.detail;
}

TEST(verifier_binding, ath_missing) {
  proof_defects d;
  d.omit_claims = {"ath"};
  const auto proof = build(d, resource_spec());
  EXPECT_FALSE(sent_claims(proof).contains("ath"));
  const auto verdict = verify_proof(resource_request(proof), {}, t0);
  EXPECT_EQ(verdict.check, proof_check::ath_missing);
  EXPECT_NE(verdict.detail.find("ath"), std::string::npos) << verdict.detail;
}

TEST(verifier_binding, ath_wrong) {
  for (const std::string ath : {"other_token", "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"}) {
    proof_defects d;
    d.ath = ath;
    const auto proof = build(d, resource_spec());
    EXPECT_NE(sent_claims(proof)["ath"], access_token_hash(access_token));
    const auto verdict = verify_proof(resource_request(proof), {}, t0);
    EXPECT_EQ(verdict.check, proof_check::ath_mismatch) << ath;
    EXPECT_NE(verdict.detail.find("ath"), std::string::npos) << verdict.detail;
  }
}

TEST(verifier_binding, ath_not_checked_without_an_access_token) {
  // At the token endpoint there is no access token: ath is not required (4.2).
  EXPECT_EQ(verify(build()).check, proof_check::ok);
}

TEST(verifier_binding, key_mismatch_with_bound_jkt) {
  const auto proof = build({}, resource_spec());
  proof_request request = resource_request(proof);
  request.bound_jkt = other_key().thumbprint();
  const auto verdict = verify_proof(request, {}, t0);
  EXPECT_EQ(verdict.check, proof_check::key_mismatch);
  EXPECT_NE(verdict.detail.find("jkt"), std::string::npos) << verdict.detail;
  request.bound_jkt = client_key().thumbprint();
  EXPECT_EQ(verify_proof(request, {}, t0).check, proof_check::ok);
}

TEST(verifier_binding, nonce_required_and_missing) {
  nonce_service nonces;
  verify_policy policy;
  policy.require_nonce = true;
  policy.nonces = &nonces;
  const auto proof = build();
  EXPECT_FALSE(sent_claims(proof).contains("nonce"));
  const auto verdict = verify(proof, policy);
  EXPECT_EQ(verdict.check, proof_check::nonce_missing);
  EXPECT_NE(verdict.detail.find("nonce"), std::string::npos) << verdict.detail;
}

TEST(verifier_binding, nonce_valid) {
  nonce_service nonces;
  verify_policy policy;
  policy.require_nonce = true;
  policy.nonces = &nonces;
  proof_spec spec = token_request_spec();
  spec.nonce = nonces.issue(t0 - 5);
  const auto verdict = verify(build({}, spec), policy);
  EXPECT_EQ(verdict.check, proof_check::ok) << verdict.detail;
}

TEST(verifier_binding, nonce_stale) {
  nonce_service nonces(60);
  verify_policy policy;
  policy.require_nonce = true;
  policy.nonces = &nonces;
  proof_defects d;
  d.nonce = nonces.issue(t0 - 61);
  const auto proof = build(d);
  EXPECT_EQ(sent_claims(proof)["nonce"], *d.nonce);
  const auto verdict = verify(proof, policy);
  EXPECT_EQ(verdict.check, proof_check::nonce_invalid);
  EXPECT_NE(verdict.detail.find("stale"), std::string::npos) << verdict.detail;
}

TEST(verifier_binding, nonce_from_another_service) {
  nonce_service as_nonces;
  nonce_service rs_nonces;
  verify_policy policy;
  policy.require_nonce = true;
  policy.nonces = &rs_nonces;
  proof_defects d;
  d.nonce = as_nonces.issue(t0);
  const auto verdict = verify(build(d), policy);
  EXPECT_EQ(verdict.check, proof_check::nonce_invalid);
  EXPECT_NE(verdict.detail.find("not issued by this server"), std::string::npos) << verdict.detail;
}

TEST(verifier_binding, bogus_nonce_is_refused_even_when_not_required) {
  nonce_service nonces;
  verify_policy policy;
  policy.nonces = &nonces;
  proof_defects d;
  d.nonce = "made-up";
  EXPECT_EQ(verify(build(d), policy).check, proof_check::nonce_invalid);
  d.extra_claims = {{"nonce", 5}};
  EXPECT_EQ(verify(build(d), policy).check, proof_check::nonce_invalid);
}

TEST(verifier_binding, replay_second_use_rejected) {
  replay_cache cache;
  verify_policy policy;
  policy.replay = &cache;
  const auto proof = build();
  EXPECT_EQ(verify(proof, policy).check, proof_check::ok);
  const auto verdict = verify(proof, policy, t0 + 1);
  EXPECT_EQ(verdict.check, proof_check::replayed);
  EXPECT_NE(verdict.detail.find("jti"), std::string::npos) << verdict.detail;
}

TEST(verifier_binding, replay_of_a_reused_jti_in_a_new_proof_rejected) {
  replay_cache cache;
  verify_policy policy;
  policy.replay = &cache;
  const auto first = build();
  EXPECT_EQ(verify(first, policy).check, proof_check::ok);
  proof_defects d;
  d.jti = first.claims["jti"].get<std::string>();
  const auto second = build(d);  // a new proof (new signature) reusing the jti
  EXPECT_TRUE(applied(second, "jti"));
  EXPECT_NE(second.compact, first.compact);
  EXPECT_EQ(sent_claims(second)["jti"], sent_claims(first)["jti"]);
  EXPECT_EQ(verify(second, policy, t0 + 2).check, proof_check::replayed);
}

TEST(verifier_binding, replay_same_jti_other_htu_accepted) {
  replay_cache cache;
  verify_policy policy;
  policy.replay = &cache;
  proof_spec spec = token_request_spec();
  spec.jti = "shared-jti";
  EXPECT_EQ(verify(build({}, spec), policy).check, proof_check::ok);
  spec.htu = "https://127.0.0.1:8443/par";
  const auto other = build({}, spec);
  EXPECT_EQ(sent_claims(other)["jti"], "shared-jti");
  EXPECT_EQ(verify_proof(request_for(other, "POST", spec.htu), policy, t0).check, proof_check::ok);
}

TEST(verifier_binding, replay_spelling_variants_of_one_uri_share_the_jti_scope) {
  replay_cache cache;
  verify_policy policy;
  policy.replay = &cache;
  proof_defects d;
  d.htu = "HTTPS://127.0.0.1:8443/token";
  proof_spec spec = token_request_spec();
  spec.jti = "variant-jti";
  EXPECT_EQ(verify(build({}, spec), policy).check, proof_check::ok);
  EXPECT_EQ(verify(build(d, spec), policy).check, proof_check::replayed);
}

TEST(verifier_binding, replay_after_expiry_accepted) {
  replay_cache cache;
  verify_policy policy;
  policy.replay = &cache;
  proof_spec spec = token_request_spec();
  spec.jti = "reused-jti";
  EXPECT_EQ(verify(build({}, spec), policy).check, proof_check::ok);
  spec.iat = t0 + 100;  // still inside the first proof's window
  EXPECT_EQ(verify(build({}, spec), policy, t0 + 100).check, proof_check::replayed);
  spec.iat = t0 + policy.max_age_s + 1;  // the first proof can no longer be accepted
  EXPECT_EQ(verify(build({}, spec), policy, spec.iat).check, proof_check::ok);
}

TEST(verifier_binding, forged_proof_does_not_burn_the_jti) {
  // 11.1 replay is checked after the signature: an attacker who guesses a jti cannot make the
  // real client's proof fail by sending a forgery first.
  replay_cache cache;
  verify_policy policy;
  policy.replay = &cache;
  proof_spec spec = token_request_spec();
  spec.jti = "victim-jti";
  proof_defects forged;
  forged.bad_signature = true;
  EXPECT_EQ(verify(build(forged, spec), policy).check, proof_check::bad_signature);
  EXPECT_EQ(verify(build({}, spec), policy).check, proof_check::ok);
}

TEST(verifier_binding, concurrent_identical_proofs_exactly_one_accepted) {
  replay_cache cache;
  verify_policy policy;
  policy.replay = &cache;
  const auto request = request_for(build());
  std::atomic<int> accepted{0};
  std::atomic<int> replayed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      const auto verdict = verify_proof(request, policy, t0);
      if (verdict.ok()) ++accepted;
      if (verdict.check == proof_check::replayed) ++replayed;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(replayed.load(), 49);
}

}  // namespace
}  // namespace tether::dpop
