// The proof key cache saves parsing a client's key again, and must never change a verdict.

#include <gtest/gtest.h>

#include "core/dpop/proof_key_cache.hpp"
#include "core/dpop/replay_cache.hpp"
#include "dpop_test_support.hpp"

namespace tether::dpop {
namespace {

using namespace testing;

proof_key_cache::entry entry_for(const jose::jwk& key) {
  return {std::make_shared<const jose::jwk>(key.public_key()), key.thumbprint()};
}

TEST(proof_key_cache, finds_only_the_exact_header_bytes) {
  proof_key_cache cache;
  cache.store("{\"a\":1}", entry_for(client_key()));
  EXPECT_TRUE(cache.find("{\"a\":1}").key);
  EXPECT_EQ(cache.find("{\"a\":1}").jkt, client_key().thumbprint());
  EXPECT_FALSE(cache.find("{\"a\": 1}").key);
  EXPECT_FALSE(cache.find("").key);
}

TEST(proof_key_cache, keeps_no_private_keys_and_no_oversized_headers) {
  proof_key_cache cache;
  cache.store("private", {std::make_shared<const jose::jwk>(client_key()), "x"});
  EXPECT_FALSE(cache.find("private").key);
  const std::string big(proof_key_cache::max_header_size + 1, 'h');
  cache.store(big, entry_for(client_key()));
  EXPECT_FALSE(cache.find(big).key);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(proof_key_cache, is_bounded_first_in_first_out) {
  proof_key_cache cache(2);
  cache.store("h1", entry_for(client_key()));
  cache.store("h2", entry_for(client_key()));
  cache.store("h3", entry_for(other_key()));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.find("h1").key);
  EXPECT_TRUE(cache.find("h2").key);
  EXPECT_EQ(cache.find("h3").jkt, other_key().thumbprint());
}

TEST(proof_key_cache, verifier_stores_a_verified_key_and_reuses_it) {
  proof_key_cache keys;
  verify_policy policy;
  policy.keys = &keys;
  const auto first = verify(build(), policy);
  ASSERT_EQ(first.check, proof_check::ok) << first.detail;
  EXPECT_EQ(keys.size(), 1u);
  const auto second = verify(build(), policy);  // same header bytes, new jti
  EXPECT_EQ(second.check, proof_check::ok) << second.detail;
  EXPECT_EQ(second.jkt, client_key().thumbprint());
  EXPECT_EQ(keys.size(), 1u);
}

TEST(proof_key_cache, warm_cache_does_not_change_verdicts) {
  proof_key_cache keys;
  replay_cache replay;
  verify_policy policy;
  policy.keys = &keys;
  policy.replay = &replay;
  ASSERT_TRUE(verify(build(), policy).ok());

  proof_defects forged;
  forged.bad_signature = true;  // same header bytes as the cached proof
  EXPECT_EQ(verify(build(forged), policy).check, proof_check::bad_signature);

  proof_defects other;
  other.jwk = other_key().public_json();  // another header: not a hit, signature fails
  EXPECT_EQ(verify(build(other), policy).check, proof_check::bad_signature);

  proof_defects private_jwk;
  private_jwk.private_jwk = true;
  EXPECT_EQ(verify(build(private_jwk), policy).check, proof_check::private_key);
  EXPECT_EQ(keys.size(), 1u);  // neither the forgery's nor the private key was stored

  verify_policy strict = policy;
  strict.algs = {"EdDSA"};  // policy is applied on a hit too
  EXPECT_EQ(verify(build(), strict).check, proof_check::bad_alg);
}

}  // namespace
}  // namespace tether::dpop
