// Each `breaks` knob of the flow mode proven against the mocks' event logs: the same flow is
// run with and without the knob, and the logged requests differ exactly where the knob says.
// A knob that changed nothing would let client-role scenarios pass a broken client.

#include <set>

#include <gtest/gtest.h>

#include "e2e_world.hpp"
#include "mocks/client/client_config.hpp"
#include "support.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using namespace testing;

json claims(const json& event) {
  return event.contains("dpop") && event["dpop"].contains("claims") ? event["dpop"]["claims"] : json::object();
}

TEST(e2e_knobs, EveryBreaksKnobHasATestBelow) {
  // Kept in step with the table: a new knob without a proof fails here.
  const std::set<std::string> proven = {"omit_ath", "reuse_jti", "ignore_nonce", "wrong_htm", "wrong_htu",
                                        "bearer_scheme", "omit_client_id", "ignore_mtls_aliases", "other_cert_at_rs",
                                        "new_key_on_refresh", "as_nonce_at_rs", "ignore_nonce_rotation",
                                        "accept_bearer_token_type"};
  std::set<std::string> breaks;
  for (const auto& e : client_knobs().entries())
    if (e.kind == mocks::knob_kind::breaks) breaks.insert(e.name);
  EXPECT_EQ(breaks, proven);
}

TEST(e2e_knobs, OmitAth) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run good = run_flow_process(w, "token+resource", "confidential-dpop", "dpop");
  flow_run bad = run_flow_process(w, "token+resource", "confidential-dpop", "dpop", {"omit_ath=true"});
  EXPECT_TRUE(claims(rs_events(w, good.trace).at(0)).contains("ath"));
  auto e = rs_events(w, bad.trace).at(0);
  EXPECT_FALSE(claims(e).contains("ath"));
  EXPECT_EQ(e["dpop"]["check"], "ath_missing");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.summary["knobs"], json::array({"omit_ath"}));
}

TEST(e2e_knobs, ReuseJti) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "refresh+resource", "confidential-dpop", "dpop", {"reuse_jti=true"});
  auto tokens = as_events(w, bad.trace);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(claims(tokens[0])["jti"], claims(tokens[1])["jti"]);
  EXPECT_EQ(tokens[1]["dpop"]["check"], "replayed");  // same htu, same jti: RFC 9449 11.1
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, IgnoreNonce) {
  world& w = world_named("nonces");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token", "confidential-dpop", "dpop", {"ignore_nonce=true"});
  auto tokens = as_events(w, bad.trace);
  ASSERT_EQ(tokens.size(), 1u);  // no retry with the nonce offered
  EXPECT_FALSE(claims(tokens[0]).contains("nonce"));
  EXPECT_EQ(tokens[0]["response"]["error"], "use_dpop_nonce");
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, WrongHtm) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token", "confidential-dpop", "dpop", {"wrong_htm=true"});
  auto e = as_events(w, bad.trace).at(0);
  EXPECT_EQ(e["method"], "POST");
  EXPECT_EQ(claims(e)["htm"], "GET");
  EXPECT_EQ(e["dpop"]["check"], "htm_mismatch");
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, WrongHtu) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run good = run_flow_process(w, "token", "confidential-dpop", "dpop");
  flow_run bad = run_flow_process(w, "token", "confidential-dpop", "dpop", {"wrong_htu=true"});
  const std::string right = claims(as_events(w, good.trace).at(0))["htu"];
  auto e = as_events(w, bad.trace).at(0);
  EXPECT_EQ(right, good.summary["token_endpoint"]);
  EXPECT_NE(claims(e)["htu"], right);
  EXPECT_EQ(right.rfind(claims(e)["htu"].get<std::string>(), 0), 0u);  // the origin only
  EXPECT_EQ(e["dpop"]["check"], "htu_mismatch");
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, BearerScheme) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token+resource", "confidential-dpop", "dpop", {"bearer_scheme=true"});
  auto e = rs_events(w, bad.trace).at(0);
  EXPECT_EQ(e["authorization"]["scheme"], "Bearer");
  EXPECT_GE(e["response"]["status"].get<int>(), 400);  // RFC 9449 7.2: no downgrade of a DPoP-bound token
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, OmitClientId) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token", "mtls-pki", "mtls", {"omit_client_id=true"});
  auto e = as_events(w, bad.trace).at(0);
  EXPECT_EQ(e["client_id_in_request"], false);
  EXPECT_EQ(e["response"]["status"], 400);
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, IgnoreMtlsAliases) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token", "mtls-pki", "mtls", {"ignore_mtls_aliases=true"});
  auto e = as_events(w, bad.trace).at(0);
  EXPECT_EQ(e["listener"], "main");  // the correct client's goes to "mtls" (MutualTlsUsesTheAlias...)
  EXPECT_EQ(bad.summary["token_endpoint"], w.as.ready["token_endpoint"]);
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, OtherCertAtRs) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token+resource", "mtls-pki", "mtls", {"other_cert_at_rs=true"});
  EXPECT_EQ(as_events(w, bad.trace).at(0)["client_cert"]["x5t#S256"], manifest_x5t("client-a"));
  auto e = rs_events(w, bad.trace).at(0);
  EXPECT_EQ(e["client_cert"]["x5t#S256"], manifest_x5t("client-b"));
  EXPECT_EQ(e["response"]["status"], 401);
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, NewKeyOnRefresh) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  // A confidential client's refresh token is not bound (RFC 9449 5), so the AS goes along;
  // the change is in what the client sent.
  flow_run conf = run_flow_process(w, "refresh+resource", "confidential-dpop", "dpop", {"new_key_on_refresh=true"});
  auto tokens = as_events(w, conf.trace);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_NE(tokens[1]["dpop"]["jkt"], tokens[0]["dpop"]["jkt"]);
  // A public client's refresh token is bound to the first key: refused.
  flow_run pub = run_flow_process(w, "refresh+resource", "public", "dpop", {"new_key_on_refresh=true"});
  auto ptokens = as_events(w, pub.trace);
  ASSERT_EQ(ptokens.size(), 2u);
  EXPECT_NE(ptokens[1]["dpop"]["jkt"], ptokens[0]["dpop"]["jkt"]);
  EXPECT_EQ(ptokens[1]["response"]["status"], 400);
  EXPECT_EQ(pub.exit_code, 1);
}

TEST(e2e_knobs, AsNonceAtRs) {
  world& w = world_named("nonces");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token+resource", "confidential-dpop", "dpop", {"as_nonce_at_rs=true"});
  auto tokens = as_events(w, bad.trace);
  auto resources = rs_events(w, bad.trace);
  ASSERT_FALSE(tokens.empty());
  ASSERT_EQ(resources.size(), 1u);  // no retry with the RS's own nonce
  EXPECT_EQ(claims(resources[0])["nonce"], tokens.back()["response"]["dpop_nonce"]);
  EXPECT_EQ(resources[0]["response"]["error"], "use_dpop_nonce");
  EXPECT_EQ(bad.exit_code, 1);
}

TEST(e2e_knobs, IgnoreNonceRotation) {
  world& w = world_named("nonces");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "refresh+resource", "confidential-dpop", "dpop", {"ignore_nonce_rotation=true"});
  auto tokens = as_events(w, bad.trace);
  ASSERT_EQ(tokens.size(), 3u);
  const json first = tokens[0]["response"]["dpop_nonce"];
  const json rotated = tokens[1]["response"]["dpop_nonce"];
  ASSERT_NE(first, rotated);
  EXPECT_EQ(claims(tokens[2])["nonce"], first);  // the correct client sends `rotated` (NoncesAt...)
}

TEST(e2e_knobs, AcceptBearerTokenType) {
  world& w = world_named("bearer_type");
  ASSERT_TRUE(w.ok());
  flow_run bad = run_flow_process(w, "token+resource", "confidential-dpop", "dpop", {"accept_bearer_token_type=true"});
  auto resources = rs_events(w, bad.trace);
  ASSERT_EQ(resources.size(), 1u);  // the correct client sends nothing to the RS
  EXPECT_EQ(resources[0]["authorization"]["scheme"], "Bearer");
}

}  // namespace
}  // namespace tether::client
