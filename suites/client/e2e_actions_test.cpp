// Every action of the executor over real TLS against the running tether-as and tether-rs,
// each outcome checked in the observation and in what the mocks logged (docs/mock-events.md).

#include <gtest/gtest.h>

#include "e2e_world.hpp"
#include "mocks/client/discovery.hpp"
#include "mocks/client/step_executor.hpp"
#include "support.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using namespace testing;

class e2e_actions : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(w.ok());
    auto found = discover(exec, state, w.issuer(), tls(""), 30000);
    ASSERT_TRUE(found.ok()) << found.err().message;
    metadata = found->metadata;
  }

  tls_settings tls(const std::string& cert) const {
    tls_settings t;
    t.ca_file = w.ca();
    if (!cert.empty()) t = {w.ca(), certs_dir() + "/" + cert + ".crt", certs_dir() + "/" + cert + ".key", cert};
    return t;
  }

  resolved_step token_step(const std::string& name, const std::string& client, bool dpop) {
    json reg = builtin_client(client);
    resolved_step s;
    s.name = name;
    s.action = "token";
    s.trace = trace + "/" + name;
    s.timeout_ms = 30000;
    const std::string cert = reg.value("cert", "");
    s.tls = tls(cert);
    s.url = endpoint_for(metadata, "token_endpoint", !cert.empty());
    s.client.client_id = reg["client_id"];
    s.client.auth_method = reg["token_endpoint_auth_method"];
    if (reg.contains("client_secret")) s.client.secret = reg["client_secret"].get<std::string>();
    if (dpop) s.dpop = proof_options{};
    return s;
  }

  resolved_step resource_step(const std::string& name, const json& token_obs, const std::string& cert = "") {
    resolved_step s;
    s.name = name;
    s.action = "resource";
    s.trace = trace + "/" + name;
    s.timeout_ms = 30000;
    s.url = w.resource();
    s.tls = tls(cert);
    s.access_token = token_obs["token"]["access_token"].get<std::string>();
    s.token_type = token_obs["token"]["token_type"].get<std::string>();
    if (*s.token_type == "DPoP") s.dpop = proof_options{};
    return s;
  }

  json run(const resolved_step& s) {
    auto obs = exec.run(state, s);
    EXPECT_TRUE(obs.ok()) << (obs.ok() ? "" : obs.err().message);
    return obs.ok() ? *obs : json::object();
  }

  json one_event(const mock_server& m, const std::string& step, const std::string& endpoint) {
    auto events = events_for(m.event_log, trace + "/" + step, endpoint);
    EXPECT_EQ(events.size(), 1u) << step;
    return events.empty() ? json::object() : events.back();
  }

  world& w = world_named("default");
  https_transport net;
  step_executor exec{net, {certs_dir() + "/ca.crt", nullptr}};
  run_state state;
  std::string trace = unique("actions");
  json metadata;
};

TEST_F(e2e_actions, DiscoveryFindsTheAliases) {
  EXPECT_EQ(metadata["issuer"], w.issuer());
  EXPECT_NE(endpoint_for(metadata, "token_endpoint", true), endpoint_for(metadata, "token_endpoint", false));
  EXPECT_EQ(endpoint_for(metadata, "token_endpoint", true), w.as.ready["mtls_token_endpoint"]);
}

TEST_F(e2e_actions, TokenWithSecretBasic) {
  json obs = run(token_step("tok", "secret-basic", false));
  EXPECT_EQ(obs["response"]["status"], 200) << obs.dump();
  EXPECT_EQ(obs["token"]["format"], "jwt");
  EXPECT_EQ(obs["token"]["token_type"], "Bearer");
  EXPECT_EQ(obs["tls"]["ok"], true);
  json e = one_event(w.as, "tok", "token");
  EXPECT_EQ(e["auth_method"], "client_secret_basic");
  EXPECT_EQ(e["client_authenticated"], true);
  EXPECT_EQ(e["authorization"]["scheme"], "Basic");
}

TEST_F(e2e_actions, WrongSecretIsRejected) {
  resolved_step s = token_step("tok", "secret-post", false);
  s.client.secret = "not-the-secret";
  json obs = run(s);
  // RFC 6749 5.2: 400, or 401 (required only when the Authorization header was used).
  EXPECT_TRUE(obs["response"]["status"] == 400 || obs["response"]["status"] == 401) << obs.dump();
  EXPECT_EQ(obs["response"]["json"]["error"], "invalid_client");
  EXPECT_FALSE(obs["token"].is_object());
  EXPECT_EQ(one_event(w.as, "tok", "token")["auth_method"], "client_secret_post");
}

TEST_F(e2e_actions, TokenWithMutualTlsIsBoundToTheCertificate) {
  json obs = run(token_step("tok", "mtls-pki", false));
  ASSERT_EQ(obs["response"]["status"], 200) << obs.dump();
  // RFC 8705 3.1: cnf.x5t#S256 is the thumbprint of the certificate presented.
  EXPECT_EQ(obs["token"]["cnf"]["x5t#S256"], manifest_x5t("client-a"));
  EXPECT_EQ(obs["request"]["cert"]["x5t#S256"], manifest_x5t("client-a"));
  json e = one_event(w.as, "tok", "token");
  EXPECT_EQ(e["listener"], "mtls");
  EXPECT_EQ(e["client_id_in_request"], true);
  EXPECT_EQ(e["client_cert"]["x5t#S256"], manifest_x5t("client-a"));

  json res = run(resource_step("res", obs, "client-a"));
  EXPECT_EQ(res["response"]["status"], 200) << res.dump();
  EXPECT_EQ(one_event(w.rs, "res", "resource")["client_cert"]["x5t#S256"], manifest_x5t("client-a"));

  json other = run(resource_step("other", obs, "client-b"));
  EXPECT_EQ(other["response"]["status"], 401);
  EXPECT_EQ(other["response"]["challenges"][0]["params"]["error"], "invalid_token") << other["response"].dump();
}

TEST_F(e2e_actions, DpopTokenAndResource) {
  json obs = run(token_step("tok", "dpop-bound", true));
  ASSERT_EQ(obs["response"]["status"], 200) << obs.dump();
  const std::string jkt = state.find_key("k1")->thumbprint();
  EXPECT_EQ(obs["token"]["token_type"], "DPoP");
  EXPECT_EQ(obs["token"]["cnf"]["jkt"], jkt);
  json e = one_event(w.as, "tok", "token");
  EXPECT_EQ(e["dpop"]["jkt"], jkt);
  EXPECT_EQ(e["dpop"]["claims"]["htm"], "POST");
  EXPECT_EQ(e["dpop"]["claims"]["htu"], obs["request"]["url"]);

  json res = run(resource_step("res", obs));
  EXPECT_EQ(res["response"]["status"], 200) << res.dump();
  EXPECT_EQ(res["request"]["authorization"]["scheme"], "DPoP");
  json r = one_event(w.rs, "res", "resource");
  EXPECT_EQ(r["authorization"]["scheme"], "DPoP");
  EXPECT_EQ(r["dpop"]["claims"]["ath"], res["request"]["dpop"]["claims"]["ath"]);

  resolved_step bad = resource_step("bad", obs);
  bad.dpop->defects.ath = "other_token";
  json rejected = run(bad);
  EXPECT_EQ(rejected["response"]["status"], 401);
  json dpop_challenge;
  for (const auto& c : rejected["response"]["challenges"])
    if (c["scheme"] == "DPoP") dpop_challenge = c;
  EXPECT_EQ(dpop_challenge["params"]["error"], "invalid_dpop_proof") << rejected["response"].dump();
  EXPECT_EQ(one_event(w.rs, "bad", "resource")["dpop"]["check"], "ath_mismatch");
}

TEST_F(e2e_actions, CodeFlowWithPkceAndDpopJkt) {
  json reg = builtin_client("public");
  resolved_step az;
  az.name = "az";
  az.action = "authorize";
  az.trace = trace + "/az";
  az.url = metadata["authorization_endpoint"];
  az.tls = tls("");
  az.client = {"public", "none", std::nullopt};
  az.dpop_jkt = {{"key", "k1"}};
  json a = run(az);
  ASSERT_EQ(a["response"]["status"], 302) << a.dump();
  ASSERT_TRUE(a["authorization"]["code"].is_string()) << a.dump();
  EXPECT_EQ(a["authorization"]["state_matches"], true);
  EXPECT_EQ(a["authorization"]["iss"], w.issuer());
  EXPECT_EQ(one_event(w.as, "az", "authorize")["dpop_jkt"], state.find_key("k1")->thumbprint());

  resolved_step tok = token_step("tok", "public", true);
  tok.grant = "authorization_code";
  tok.code = a["authorization"]["code"].get<std::string>();
  tok.code_verifier = a["authorization"]["code_verifier"].get<std::string>();
  json t = run(tok);
  ASSERT_EQ(t["response"]["status"], 200) << t.dump();
  EXPECT_EQ(t["token"]["cnf"]["jkt"], state.find_key("k1")->thumbprint());
  ASSERT_TRUE(t["token"]["refresh_token"].is_string());

  // RFC 9449 5: the refresh is proven with the same key; another key is refused for a public client.
  resolved_step refresh = token_step("refresh", "public", true);
  refresh.grant = "refresh_token";
  refresh.refresh_token = t["token"]["refresh_token"].get<std::string>();
  EXPECT_EQ(run(refresh)["response"]["status"], 200);
  refresh.name = "refresh-other-key";
  refresh.trace = trace + "/refresh-other-key";
  refresh.dpop->key = "k2";
  EXPECT_EQ(run(refresh)["response"]["status"], 400);
}

TEST_F(e2e_actions, IntrospectAndFetch) {
  json t = run(token_step("tok", "dpop-bound", true));
  resolved_step in;
  in.name = "in";
  in.action = "introspect";
  in.trace = trace + "/in";
  in.url = metadata["introspection_endpoint"];
  in.tls = tls("");
  in.client = {"rs", "client_secret_basic", builtin_client("rs")["client_secret"].get<std::string>()};
  in.token = t["token"]["access_token"];
  json i = run(in);
  EXPECT_EQ(i["response"]["status"], 200) << i.dump();
  EXPECT_EQ(i["response"]["json"]["active"], true);
  EXPECT_EQ(i["response"]["json"]["cnf"]["jkt"], state.find_key("k1")->thumbprint());
  EXPECT_EQ(one_event(w.as, "in", "introspect")["endpoint"], "introspect");

  resolved_step f;
  f.name = "jwks";
  f.action = "fetch";
  f.trace = trace + "/jwks";
  f.url = metadata["jwks_uri"];
  f.tls = tls("");
  json k = run(f);
  EXPECT_EQ(k["response"]["status"], 200);
  EXPECT_TRUE(k["response"]["json"]["keys"].is_array());
}

TEST_F(e2e_actions, TlsRefusalIsObserved) {
  // Trusting the wrong CA: the server's certificate does not verify, the handshake fails.
  resolved_step s = token_step("tok", "secret-basic", false);
  s.tls.ca_file = certs_dir() + "/ca-2.crt";
  json obs = run(s);
  EXPECT_FALSE(obs.contains("response"));
  EXPECT_EQ(obs["tls"]["stage"], "handshake");
  EXPECT_EQ(obs["tls"]["ok"], false);
}

}  // namespace
}  // namespace tether::client

namespace tether::client {
namespace {

using nlohmann::json;
using namespace testing;

TEST(e2e_nonces, RetryAtTheAsAndAtTheRsWithTheirOwnNonces) {
  world& w = world_named("nonces");
  ASSERT_TRUE(w.ok());
  https_transport net;
  step_executor exec{net, {w.ca(), nullptr}};
  run_state state;
  const std::string trace = unique("nonces");
  resolved_step tok;
  tok.name = "tok";
  tok.action = "token";
  tok.url = w.as.ready["token_endpoint"];
  tok.trace = trace + "/tok";
  tok.client = {"dpop-bound", "client_secret_basic", builtin_client("dpop-bound")["client_secret"].get<std::string>()};
  tok.dpop = proof_options{};
  auto t = exec.run(state, tok);
  ASSERT_TRUE(t.ok());
  // RFC 9449 8: 400 use_dpop_nonce in the body, then the retry with that nonce.
  ASSERT_EQ((*t)["attempts"].size(), 2u) << t->dump();
  EXPECT_EQ((*t)["attempts"][0]["response"]["status"], 400);
  EXPECT_EQ((*t)["attempts"][0]["response"]["json"]["error"], "use_dpop_nonce");
  EXPECT_EQ((*t)["attempts"][1]["request"]["dpop"]["claims"]["nonce"], (*t)["attempts"][0]["response"]["dpop_nonce"]);
  ASSERT_EQ((*t)["response"]["status"], 200);

  resolved_step res;
  res.name = "res";
  res.action = "resource";
  res.url = w.resource();
  res.trace = trace + "/res";
  res.access_token = (*t)["token"]["access_token"].get<std::string>();
  res.token_type = "DPoP";
  res.dpop = proof_options{};
  auto r = exec.run(state, res);
  ASSERT_TRUE(r.ok());
  // RFC 9449 9: 401 with a DPoP challenge; the AS's nonce is never offered to the RS.
  ASSERT_EQ((*r)["attempts"].size(), 2u) << r->dump();
  EXPECT_FALSE((*r)["attempts"][0]["request"]["dpop"]["claims"].contains("nonce"));
  EXPECT_EQ((*r)["attempts"][0]["response"]["status"], 401);
  EXPECT_EQ((*r)["attempts"][1]["request"]["dpop"]["claims"]["nonce"], (*r)["attempts"][0]["response"]["dpop_nonce"]);
  EXPECT_EQ((*r)["response"]["status"], 200);
  EXPECT_EQ(events_for(w.rs.event_log, trace + "/res", "resource").size(), 2u);

  // The next request at each server uses the nonce its last answer (a 200) handed out (8.2).
  tok.name = "tok2";
  tok.trace = trace + "/tok2";
  auto t2 = exec.run(state, tok);
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ((*t2)["attempts"].size(), 1u);
  EXPECT_EQ((*t2)["request"]["dpop"]["claims"]["nonce"], (*t)["response"]["dpop_nonce"]);
}

}  // namespace
}  // namespace tether::client
