// Resource-server nonces (RFC 9449 9, 8.2, 11.3): the 401 use_dpop_nonce challenge with
// DPoP-Nonce, the retry, rotation on success, and that a nonce is accepted only by the server
// that issued it.

#include <gtest/gtest.h>

#include "core/dpop/nonce_service.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(RsNonce, ProofWithoutNonceGetsTheChallengeAndANonce) {
  world w(with({{"require_nonce", true}}));
  auto token = dpop_token();
  answer a = w.call(dpop(token, proof(token)));
  // The section 9 example: 401, WWW-Authenticate: DPoP error="use_dpop_nonce", DPoP-Nonce.
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "use_dpop_nonce");
  EXPECT_EQ(a.error_on("Bearer"), "");
  EXPECT_EQ(a.body["error"], "use_dpop_nonce");
  ASSERT_TRUE(a.nonce.has_value());
  EXPECT_EQ(w.event()["dpop"]["check"], "nonce_missing");
  EXPECT_EQ(w.event()["response"]["dpop_nonce"], *a.nonce);

  // The client retries with the nonce: accepted, and a new nonce comes with the 200 (8.2).
  proof_options o;
  o.nonce = *a.nonce;
  answer ok = w.call(dpop(token, proof(token, o)));
  EXPECT_EQ(ok.status, 200) << ok.body.dump();
  ASSERT_TRUE(ok.nonce.has_value());
  EXPECT_NE(*ok.nonce, *a.nonce) << "the nonce rotates on success";

  // The rotated nonce works as well.
  o.nonce = *ok.nonce;
  EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 200);
}

TEST(RsNonce, NonceSyntaxIsNqchar) {
  // RFC 9449 8.1: nonce = 1*NQCHAR (%x21 / %x23-5B / %x5D-7E).
  world w(with({{"require_nonce", true}}));
  auto token = dpop_token();
  answer a = w.call(dpop(token, proof(token)));
  ASSERT_TRUE(a.nonce.has_value());
  ASSERT_FALSE(a.nonce->empty());
  for (char c : *a.nonce) {
    auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E)) << c;
  }
}

TEST(RsNonce, NonceFromAnotherServerIsRefused) {
  // Section 9: "nonces will be only accepted by the server that issued them".
  world w(with({{"require_nonce", true}}));
  dpop::nonce_service as_nonces;
  auto token = dpop_token();
  proof_options o;
  o.nonce = as_nonces.issue(t0);
  answer a = w.call(dpop(token, proof(token, o)));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "use_dpop_nonce");
  EXPECT_EQ(w.event()["dpop"]["check"], "nonce_invalid");
  EXPECT_TRUE(a.nonce.has_value());
}

TEST(RsNonce, StaleNonceIsRefused) {
  world w(with({{"require_nonce", true}, {"nonce_lifetime_s", 30}}));
  auto token = dpop_token();
  answer first = w.call(dpop(token, proof(token)));
  ASSERT_TRUE(first.nonce);
  w.set_clock(t0 + 31);
  proof_options o;
  o.nonce = *first.nonce;
  o.iat = t0 + 31;
  answer a = w.call(dpop(token, proof(token, o)));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "use_dpop_nonce");
}

TEST(RsNonce, NoNonceWhenNotRequired) {
  world w;
  auto token = dpop_token();
  proof_options o;
  o.nonce = "anything";  // not issued here, and not judged: this RS uses no nonces
  answer a = w.call(dpop(token, proof(token, o)));
  EXPECT_EQ(a.status, 200);
  EXPECT_FALSE(a.nonce.has_value());
}

TEST(RsNonce, EveryRefusalCarriesANonce) {
  world w(with({{"require_nonce", true}}));
  answer a = w.call(request());
  EXPECT_EQ(a.status, 401);
  EXPECT_TRUE(a.nonce.has_value()) << "a client can include it in its first proof";
  answer b = w.call(bearer(bearer_token()));
  EXPECT_EQ(b.status, 200);
  EXPECT_FALSE(b.nonce.has_value()) << "a bearer success has no DPoP business";
}

}  // namespace
}  // namespace tether::rs::testing
