// The event log (docs/mock-events.md) and hostile input: garbage headers, repeated fields,
// oversized tokens and proofs give a proper refusal, never a crash or an exception.

#include <random>

#include <gtest/gtest.h>

#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(Event, ResourceEventHasTheDocumentedMembers) {
  world w;
  auto token = dpop_token();
  auto r = dpop(token, proof(token));
  r.headers.add("Tether-Trace", "r1/rfc9449-4.3-x/probe");
  answer a = w.call(r, connection(cert("client-a")));
  ASSERT_EQ(a.status, 200);
  const auto& e = w.event();
  EXPECT_EQ(e["server"], "rs");
  EXPECT_EQ(e["endpoint"], "resource");
  EXPECT_EQ(e["trace"], "r1/rfc9449-4.3-x/probe");
  EXPECT_EQ(e["listener"], "main");
  EXPECT_EQ(e["method"], "GET");
  EXPECT_EQ(e["path"], "/resource");
  EXPECT_EQ(e["remote"], "127.0.0.1:50000");
  EXPECT_EQ(e["tls"]["version"], "TLSv1.3");
  EXPECT_EQ(e["client_cert"]["x5t#S256"], cert("client-a")->x5t_s256());
  EXPECT_EQ(e["client_cert"]["verify"], "ok");
  EXPECT_EQ(e["authorization"]["count"], 1);
  EXPECT_EQ(e["authorization"]["scheme"], "DPoP");
  EXPECT_EQ(e["dpop"]["count"], 1);
  EXPECT_EQ(e["dpop"]["check"], "ok");
  EXPECT_TRUE(e["dpop"]["claims"].contains("ath"));
  EXPECT_EQ(e["token"]["format"], "jwt");
  EXPECT_EQ(e["token"]["valid"], true);
  EXPECT_EQ(e["token"]["subject"], "user-1");
  EXPECT_EQ(e["token"]["cnf"]["jkt"], client_key().thumbprint());
  EXPECT_EQ(e["binding"]["jkt"], "verified");
  EXPECT_EQ(e["response"]["status"], 200);
  EXPECT_TRUE(e.contains("ts"));
  EXPECT_FALSE(e["reason"].get<std::string>().empty());
  EXPECT_EQ(a.body["trace"], "r1/rfc9449-4.3-x/probe");
}

TEST(Event, RefusalEventCarriesTheChallengeAndTheReason) {
  world w;
  answer a = w.call(bearer(dpop_token()));
  const auto& e = w.event();
  EXPECT_EQ(e["response"]["status"], 401);
  EXPECT_EQ(e["response"]["error"], "invalid_token");
  EXPECT_EQ(e["response"]["www_authenticate"], a.www_authenticate);
  EXPECT_NE(e["reason"].get<std::string>().find("7.2"), std::string::npos);
  EXPECT_TRUE(e["knobs"].empty());
}

TEST(Event, SelfSignedCertificateVerifyResultIsReported) {
  world w;
  auto info = connection(cert("client-self-signed"));
  info.chain_verify_result = 18;  // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
  w.call(bearer(bearer_token()), info);
  EXPECT_EQ(w.event()["client_cert"]["verify"], "self-signed certificate");
}

TEST(HostileInput, OversizedProofIsInvalidDpopProof) {
  world w;
  auto token = dpop_token();
  answer a = w.call(dpop(token, std::string(64 * 1024, 'e')));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "invalid_dpop_proof");
}

TEST(HostileInput, RandomHeaderValuesNeverCrash) {
  // Random bytes in every field the RS reads; each answer is a 4xx with parsable challenges.
  world w(with({{"trusted_proxy", "xfcc"}, {"require_nonce", true}}));
  std::mt19937 rng(12345);
  auto random_text = [&](std::size_t max) {
    std::string s(rng() % max, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 256);
    return s;
  };
  const std::string token = dpop_token();
  const std::string good_proof = proof(token);
  for (int i = 0; i < 300; ++i) {
    auto r = request(i % 3 == 0 ? "/scoped/" + random_text(20) : "/resource?" + random_text(30),
                     i % 2 ? "GET" : "POST");
    switch (i % 6) {
      case 0: r.headers.add("Authorization", random_text(200)); break;
      case 1: r.headers.add("Authorization", "DPoP " + token); r.headers.add("DPoP", random_text(400)); break;
      case 2: r.headers.add("Authorization", "Bearer " + random_text(100)); break;
      case 3:
        r.headers.add("Authorization", "DPoP " + token);
        r.headers.add("DPoP", good_proof.substr(0, rng() % good_proof.size()) + random_text(5));
        break;
      case 4:
        r.headers.add("Content-Type", "application/x-www-form-urlencoded");
        r.body = "access_token=" + random_text(100) + "&access_token" + random_text(10);
        break;
      case 5:
        r.headers.add("Authorization", "Bearer " + mtls_token());
        r.headers.add("X-Forwarded-Client-Cert", random_text(300));
        break;
    }
    answer a = w.call(r, connection(i % 4 == 0 ? cert("proxy") : nullptr));
    EXPECT_GE(a.status, 400) << i;
    EXPECT_LT(a.status, 500) << i;
    EXPECT_FALSE(a.challenges.empty()) << i;
  }
}

TEST(HostileInput, ManyAuthorizationAndDpopFields) {
  world w;
  auto token = dpop_token();
  auto r = request();
  for (int i = 0; i < 50; ++i) r.headers.add("Authorization", "DPoP " + token);
  EXPECT_EQ(w.call(r).status, 400);
  auto r2 = dpop(token, proof(token));
  for (int i = 0; i < 50; ++i) r2.headers.add("DPoP", proof(token));
  answer a = w.call(r2);
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(w.event()["dpop"]["check"], "multiple");
}

}  // namespace
}  // namespace tether::rs::testing
