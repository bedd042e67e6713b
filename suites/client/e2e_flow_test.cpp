// `tether-client flow` as the runner runs it (a process with the TETHER_* environment) against
// the running mocks: each flow succeeds as a correct client, and what it did is read back from
// the mocks' event logs: aliases (RFC 8705 5), client_id (8705 2), the same certificate at the
// RS (8705 3), fresh proofs with ath (RFC 9449 4.2, 7), separate nonces and rotation (8, 8.2,
// 9), the same key across refresh (5), dpop_jkt (10), and a discarded Bearer answer (5).

#include <set>

#include <gtest/gtest.h>

#include "e2e_world.hpp"
#include "support.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using namespace testing;

std::set<std::string> jtis(const std::vector<json>& events) {
  std::set<std::string> out;
  for (const auto& e : events)
    if (e.contains("dpop") && e["dpop"].contains("claims")) out.insert(e["dpop"]["claims"].value("jti", ""));
  return out;
}

TEST(e2e_flow, TokenWithSecretBasic) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "token", "secret-basic", "none");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.summary["result"], "ok");
  auto tokens = as_events(w, r.trace);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0]["response"]["status"], 200);
  EXPECT_TRUE(rs_events(w, r.trace).empty());
  EXPECT_EQ(as_events(w, r.trace, "metadata").size(), 1u);
}

TEST(e2e_flow, MutualTlsUsesTheAliasAndTheSameCertificate) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "token+resource", "mtls-pki", "mtls");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto tokens = as_events(w, r.trace);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0]["listener"], "mtls");            // RFC 8705 5
  EXPECT_EQ(tokens[0]["client_id_in_request"], true);  // RFC 8705 2
  EXPECT_EQ(tokens[0]["client_cert"]["x5t#S256"], manifest_x5t("client-a"));
  auto resources = rs_events(w, r.trace);
  ASSERT_EQ(resources.size(), 1u);
  EXPECT_EQ(resources[0]["client_cert"]["x5t#S256"], manifest_x5t("client-a"));  // RFC 8705 3
  EXPECT_EQ(resources[0]["response"]["status"], 200);
  EXPECT_EQ(resources[0]["token"]["cnf"]["x5t#S256"], manifest_x5t("client-a"));
}

TEST(e2e_flow, SelfSignedCertificate) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "token+resource", "mtls-self-signed", "mtls");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(rs_events(w, r.trace).at(0)["client_cert"]["x5t#S256"], manifest_x5t("client-self-signed"));
}

TEST(e2e_flow, DpopTokenAndResource) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "token+resource", "confidential-dpop", "dpop");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto tokens = as_events(w, r.trace);
  auto resources = rs_events(w, r.trace);
  ASSERT_EQ(tokens.size(), 1u);
  ASSERT_EQ(resources.size(), 1u);
  EXPECT_EQ(tokens[0]["listener"], "main");  // no certificate: the top-level endpoint
  EXPECT_EQ(tokens[0]["dpop"]["check"], "ok");
  EXPECT_EQ(resources[0]["authorization"]["scheme"], "DPoP");  // RFC 9449 7.1
  EXPECT_EQ(resources[0]["dpop"]["jkt"], tokens[0]["dpop"]["jkt"]);
  EXPECT_TRUE(resources[0]["dpop"]["claims"].contains("ath"));
  EXPECT_EQ(resources[0]["dpop"]["claims"]["htm"], "GET");
  EXPECT_EQ(resources[0]["dpop"]["claims"]["htu"], w.resource());
  EXPECT_EQ(jtis({tokens[0], resources[0]}).size(), 2u);
}

TEST(e2e_flow, RefreshKeepsTheKey) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "refresh+resource", "confidential-dpop", "dpop");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto tokens = as_events(w, r.trace);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0]["grant_type"], "client_credentials");
  EXPECT_EQ(tokens[1]["grant_type"], "refresh_token");
  EXPECT_EQ(tokens[1]["dpop"]["jkt"], tokens[0]["dpop"]["jkt"]);  // RFC 9449 5
  EXPECT_EQ(jtis(tokens).size(), 2u);
  EXPECT_EQ(rs_events(w, r.trace).at(0)["response"]["status"], 200);
}

TEST(e2e_flow, PublicClientCodeFlowBindsTheCode) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "code+resource", "public", "dpop");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto az = as_events(w, r.trace, "authorize");
  auto tokens = as_events(w, r.trace);
  ASSERT_EQ(az.size(), 1u);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(az[0]["pkce"], true);
  EXPECT_EQ(az[0]["dpop_jkt"], tokens[0]["dpop"]["jkt"]);  // RFC 9449 10
  EXPECT_EQ(tokens[0]["grant_type"], "authorization_code");
  EXPECT_EQ(rs_events(w, r.trace).at(0)["response"]["status"], 200);

  flow_run refresh = run_flow_process(w, "refresh+resource", "public", "dpop");
  EXPECT_EQ(refresh.exit_code, 0) << refresh.output;
  EXPECT_EQ(as_events(w, refresh.trace).size(), 2u);
}

TEST(e2e_flow, NoncesAtEachServerSeparatelyAndRotated) {
  world& w = world_named("nonces");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "refresh+resource", "confidential-dpop", "dpop");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto tokens = as_events(w, r.trace);
  auto resources = rs_events(w, r.trace);
  // AS: no nonce -> 400 use_dpop_nonce -> retry with it -> 200 with the next nonce -> the refresh
  // uses that next one (RFC 9449 8, 8.2).
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0]["response"]["error"], "use_dpop_nonce");
  EXPECT_FALSE(tokens[0]["dpop"]["claims"].contains("nonce"));
  EXPECT_EQ(tokens[1]["dpop"]["claims"]["nonce"], tokens[0]["response"]["dpop_nonce"]);
  EXPECT_EQ(tokens[1]["response"]["status"], 200);
  EXPECT_EQ(tokens[2]["dpop"]["claims"]["nonce"], tokens[1]["response"]["dpop_nonce"]);
  EXPECT_NE(tokens[1]["response"]["dpop_nonce"], tokens[0]["response"]["dpop_nonce"]);
  // RS: its own nonce, never the AS's (RFC 9449 9).
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_FALSE(resources[0]["dpop"].contains("claims") && resources[0]["dpop"]["claims"].contains("nonce"));
  EXPECT_EQ(resources[0]["response"]["status"], 401);
  EXPECT_EQ(resources[1]["dpop"]["claims"]["nonce"], resources[0]["response"]["dpop_nonce"]);
  EXPECT_EQ(resources[1]["response"]["status"], 200);
  EXPECT_EQ(jtis(tokens).size(), 3u);
}

TEST(e2e_flow, BearerAnswerToADpopRequestIsDiscarded) {
  world& w = world_named("bearer_type");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "token+resource", "confidential-dpop", "dpop");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.summary.value("reason", "").find("discarded"), std::string::npos);
  EXPECT_EQ(as_events(w, r.trace).size(), 1u);
  EXPECT_TRUE(rs_events(w, r.trace).empty());  // the token was never used
}

TEST(e2e_flow, UnsupportedAndBadInput) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(run_flow_process(w, "implicit", "public", "dpop").exit_code, 89);
  EXPECT_EQ(run_flow_process(w, "token", "public", "gnap").exit_code, 89);
  flow_run alg = run_flow_process(w, "token", "dpop-bound", "dpop", {}, {{"TETHER_DPOP_ALG", "HS256"}});
  EXPECT_EQ(alg.exit_code, 89);
  EXPECT_EQ(alg.summary["result"], "unsupported");
  flow_run missing = run_flow_process(w, "token", "secret-basic", "none", {}, {{"TETHER_AS_ISSUER", ""}});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.summary.value("reason", "").find("TETHER_AS_ISSUER"), std::string::npos);
  EXPECT_EQ(run_flow_process(w, "token", "secret-basic", "none", {"no_such_knob=true"}).exit_code, 2);
}

TEST(e2e_flow, UnreachableAsFails) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run r = run_flow_process(w, "token", "secret-basic", "none", {},
                                {{"TETHER_AS_ISSUER", "https://127.0.0.1:1"}, {"TETHER_AS_METADATA", ""}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.summary.value("reason", "").find("discovery"), std::string::npos);
}

}  // namespace
}  // namespace tether::client
