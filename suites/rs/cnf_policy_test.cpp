// Tokens whose cnf holds both x5t#S256 and jkt (no normative text: requirements 1.4, table 2.2
// row G), cnf members this RS does not understand, and the path scopes (RFC 6750 3.1
// insufficient_scope).

#include <gtest/gtest.h>

#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(CnfPolicy, AllVerifiesEveryMember) {
  world w;
  auto token = both_token("client-a");
  answer ok = w.call(dpop(token, proof(token)), connection(cert("client-a")));
  EXPECT_EQ(ok.status, 200) << ok.body.dump();
  EXPECT_EQ(ok.body["binding"]["x5t#S256"], "verified");
  EXPECT_EQ(ok.body["binding"]["jkt"], "verified");

  answer wrong_cert = w.call(dpop(token, proof(token)), connection(cert("client-b")));
  EXPECT_EQ(wrong_cert.status, 401);
  EXPECT_EQ(wrong_cert.error_on("DPoP"), "invalid_token") << "the error goes on the scheme used";
  EXPECT_EQ(w.call(dpop(token, proof(token)), connection(nullptr)).status, 401);
  EXPECT_EQ(w.call(bearer(token), connection(cert("client-a"))).status, 401) << "jkt: no downgrade";
}

TEST(CnfPolicy, FirstChecksOnlyTheDpopMember) {
  world w(with({{"cnf_policy", "first"}}));
  auto token = both_token("client-a");
  answer a = w.call(dpop(token, proof(token)), connection(nullptr));
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["binding"]["x5t#S256"], "not_checked");
  EXPECT_EQ(a.body["binding"]["jkt"], "verified");
  EXPECT_EQ(w.knobs(), std::vector<std::string>{"cnf_policy"});
  proof_options o;
  o.key = &other_client_key();
  EXPECT_EQ(w.call(dpop(token, proof(token, o)), connection(cert("client-a"))).status, 401);
}

TEST(CnfPolicy, AnyAcceptsEitherBinding) {
  world w(with({{"cnf_policy", "any"}}));
  auto token = both_token("client-a");
  // The certificate alone, with the Bearer scheme.
  answer by_cert = w.call(bearer(token), connection(cert("client-a")));
  EXPECT_EQ(by_cert.status, 200) << by_cert.body.dump();
  EXPECT_EQ(by_cert.body["binding"]["x5t#S256"], "verified");
  // The proof alone, without a certificate.
  answer by_proof = w.call(dpop(token, proof(token)), connection(nullptr));
  EXPECT_EQ(by_proof.status, 200) << by_proof.body.dump();
  EXPECT_EQ(by_proof.body["binding"]["jkt"], "verified");
  EXPECT_EQ(by_proof.body["binding"]["x5t#S256"], "missing");
  // Neither: refused.
  EXPECT_EQ(w.call(bearer(token), connection(nullptr)).status, 401);
  proof_options o;
  o.key = &other_client_key();
  EXPECT_EQ(w.call(dpop(token, proof(token, o)), connection(cert("client-b"))).status, 401);
}

TEST(CnfPolicy, OnlyOneMemberBehavesTheSameUnderEveryPolicy) {
  for (const char* policy : {"all", "first", "any"}) {
    world w(with({{"cnf_policy", policy}}));
    EXPECT_EQ(w.call(bearer(mtls_token("client-a")), connection(nullptr)).status, 401) << policy;
    EXPECT_EQ(w.call(bearer(dpop_token())).status, 401) << policy;
  }
}

TEST(CnfPolicy, CnfWithoutAnUnderstoodMemberIsRefused) {
  world w;
  auto c = claims();
  c["cnf"] = {{"jwk", client_key().public_json()}};
  answer a = w.call(bearer(issue(c)));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_token");
}

TEST(CnfPolicy, UnknownMembersNextToAKnownOneAreIgnored) {
  // RFC 7800 3.1: unknown members are ignored.
  world w;
  auto c = claims();
  c["cnf"] = {{"x5t#S256", cert("client-a")->x5t_s256()}, {"x-extra", 1}};
  EXPECT_EQ(w.call(bearer(issue(c)), connection(cert("client-a"))).status, 200);
}

TEST(Scope, ScopedPathNeedsItsScope) {
  world w;
  auto token = issue(claims("read"));
  EXPECT_EQ(w.call(bearer(token, "/scoped/read/items")).status, 200);
  answer a = w.call(bearer(token, "/scoped/write/items"));
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(a.error_on("Bearer"), "insufficient_scope");
  EXPECT_EQ(a.find("Bearer")->param("scope").value_or(""), "write");
  EXPECT_EQ(a.body["scope"], "write");
  EXPECT_EQ(w.call(bearer(token, "/scoped/write")).status, 403);
}

TEST(Scope, ScopeIsCheckedOnlyAfterTheBinding) {
  // A stolen certificate-bound token must not learn what it lacks: the binding fails first.
  world w;
  auto c = claims("read");
  c["cnf"] = {{"x5t#S256", cert("client-a")->x5t_s256()}};
  answer a = w.call(bearer(issue(c), "/scoped/admin/"), connection(cert("client-b")));
  EXPECT_EQ(a.status, 401);
}

TEST(Scope, DpopChallengeCarriesInsufficientScope) {
  world w;
  auto c = claims("read");
  c["cnf"] = {{"jkt", client_key().thumbprint()}};
  auto token = issue(c);
  proof_options o;
  o.url = origin + "/scoped/write/x";
  answer a = w.call(dpop(token, proof(token, o), "/scoped/write/x"));
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(a.error_on("DPoP"), "insufficient_scope");
  EXPECT_EQ(a.error_on("Bearer"), "");
}

TEST(Scope, RequiredScopeOfAPath) {
  EXPECT_EQ(required_scope("/resource"), "");
  EXPECT_EQ(required_scope("/scoped/read"), "read");
  EXPECT_EQ(required_scope("/scoped/read/x/y"), "read");
  EXPECT_EQ(required_scope("/scoped/a%3Ab/x"), "a:b");
  EXPECT_EQ(required_scope("/scoped/"), "");
}

}  // namespace
}  // namespace tether::rs::testing
