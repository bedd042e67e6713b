// The executor against a scripted transport: proofs per attempt (RFC 9449 4.2 claims, ath known
// answer from RFC 9449 7.1), nonce retry at the AS and at the RS (8, 9), nonces kept per server
// and rotated (8.2), replay of the exact bytes, and the step's time budget shared by retries.

#include <gtest/gtest.h>

#include "core/dpop/proof_builder.hpp"
#include "core/jose/jws.hpp"
#include "fake_transport.hpp"
#include "mocks/client/observation.hpp"
#include "mocks/client/step_executor.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using testing::fake_transport;

constexpr const char* rfc_token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
constexpr const char* rfc_ath = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo";  // RFC 9449 7.1

struct executor_test : ::testing::Test {
  fake_transport net;
  step_executor executor{net, {"/ca.crt", [] { return int64_t{1700000000}; }}};
  run_state state;

  static resolved_step token_step() {
    resolved_step s;
    s.name = "tok";
    s.action = "token";
    s.url = "https://as.example:8443/token";
    s.client = {"dpop-bound", "client_secret_basic", std::string("secret")};
    s.dpop = proof_options{};
    return s;
  }
  static resolved_step resource_step() {
    resolved_step s;
    s.name = "res";
    s.action = "resource";
    s.url = "https://rs.example:9443/resource?q=1#f";
    s.access_token = rfc_token;
    s.token_type = "DPoP";
    s.dpop = proof_options{};
    return s;
  }
  // The claims of the DPoP header of sent request i, decoded independently of the observation.
  json claims_sent(std::size_t i, std::size_t which = 0) {
    auto values = net.sent.at(i).req.headers.all("DPoP");
    auto jws = jose::parse_compact(values.at(which));
    EXPECT_TRUE(jws.ok());
    return json::parse(jws->payload_bytes);
  }
};

TEST_F(executor_test, ResourceProofClaims) {
  auto obs = executor.run(state, resource_step());
  ASSERT_TRUE(obs.ok()) << obs.err().message;
  json c = claims_sent(0);
  EXPECT_EQ(c["htm"], "GET");
  EXPECT_EQ(c["htu"], "https://rs.example:9443/resource");  // RFC 9449 4.2: no query, no fragment
  EXPECT_EQ(c["ath"], rfc_ath);
  EXPECT_EQ(c["iat"], 1700000000);
  EXPECT_FALSE(c.contains("nonce"));
  EXPECT_EQ(net.sent[0].req.headers.first("Authorization"), std::string("DPoP ") + rfc_token);
  EXPECT_EQ(net.sent[0].options.ca_file, "/ca.crt");
  const json& o = *obs;
  EXPECT_EQ(o["request"]["dpop"]["claims"], c);
  EXPECT_EQ(o["request"]["dpop"]["jkt"], state.find_key("k1")->thumbprint());
  EXPECT_EQ(o["request"]["authorization"]["scheme"], "DPoP");
  EXPECT_EQ(o["response"]["status"], 200);
  EXPECT_EQ(o["attempts"].size(), 1u);
  EXPECT_TRUE(o["request"]["cert"].is_null());
}

TEST_F(executor_test, EveryExchangeReadsAtMostTheDocumentedBodySize) {
  // docs/client-protocol.md: 1 MiB, for single requests and each copy of a concurrent replay.
  ASSERT_TRUE(executor.run(state, token_step()).ok());
  ASSERT_FALSE(net.sent.empty());
  EXPECT_EQ(net.sent.back().options.max_body_bytes, 1024u * 1024);
  EXPECT_EQ(max_response_body, 1024u * 1024);
}

TEST_F(executor_test, DefectsAreAppliedAndReported) {
  resolved_step s = resource_step();
  s.dpop->defects.ath = "other_token";
  s.dpop->defects.htm = "POST";
  auto obs = executor.run(state, s);
  ASSERT_TRUE(obs.ok());
  json c = claims_sent(0);
  EXPECT_NE(c["ath"], rfc_ath);
  EXPECT_EQ(c["htm"], "POST");
  EXPECT_EQ((*obs)["request"]["dpop"]["defects"], json::array({"htm", "ath"}));
}

TEST_F(executor_test, KeyTypeFollowsAlgAndKeyIsKept) {
  resolved_step s = resource_step();
  s.dpop->alg = "ES384";
  s.dpop->key = "big";
  ASSERT_TRUE(executor.run(state, s).ok());
  ASSERT_NE(state.find_key("big"), nullptr);
  EXPECT_EQ(state.find_key("big")->curve(), "P-384");
  const std::string jkt = state.find_key("big")->thumbprint();
  ASSERT_TRUE(executor.run(state, s).ok());
  EXPECT_EQ(state.find_key("big")->thumbprint(), jkt);
  auto jws = jose::parse_compact(net.sent[1].req.headers.first("DPoP").value());
  EXPECT_EQ(jws->header["alg"], "ES384");
}

TEST_F(executor_test, TwoHeadersCarryTwoDistinctProofs) {
  resolved_step s = resource_step();
  s.dpop->headers = 2;
  s.dpop->header_name = "dpop";
  auto obs = executor.run(state, s);
  ASSERT_TRUE(obs.ok());
  auto fields = net.sent[0].req.headers.all("DPoP");
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_NE(claims_sent(0, 0)["jti"], claims_sent(0, 1)["jti"]);
  bool lower_case_name = false;
  for (const auto& f : net.sent[0].req.headers.fields()) lower_case_name = lower_case_name || f.name == "dpop";
  EXPECT_TRUE(lower_case_name);
  EXPECT_EQ((*obs)["request"]["dpop"]["count"], 2);
  EXPECT_EQ((*obs)["request"]["dpop"]["proofs"].size(), 2u);

  s.dpop->headers = 0;
  ASSERT_TRUE(executor.run(state, s).ok());
  EXPECT_EQ(net.sent[1].req.headers.count("DPoP"), 0u);
}

TEST_F(executor_test, AsNonceRetryOnce) {
  net.queue.push_back(fake_transport::reply(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "as-n1"}}));
  net.queue.push_back(fake_transport::reply(200, R"({"access_token":"at","token_type":"DPoP"})", {{"DPoP-Nonce", "as-n2"}}));
  auto obs = executor.run(state, token_step());
  ASSERT_TRUE(obs.ok());
  ASSERT_EQ(net.sent.size(), 2u);
  EXPECT_FALSE(claims_sent(0).contains("nonce"));
  EXPECT_EQ(claims_sent(1)["nonce"], "as-n1");
  EXPECT_NE(claims_sent(0)["jti"], claims_sent(1)["jti"]);  // a fresh proof for the retry
  const json& o = *obs;
  EXPECT_EQ(o["attempts"].size(), 2u);
  EXPECT_EQ(o["attempts"][0]["response"]["status"], 400);
  EXPECT_EQ(o["response"]["status"], 200);
  EXPECT_EQ(o["request"]["dpop"]["claims"]["nonce"], "as-n1");
  EXPECT_EQ(o["token"]["token_type"], "DPoP");
  // RFC 9449 8.2: the nonce of the 200 is the one to use next.
  EXPECT_EQ(state.nonce("https://as.example:8443"), "as-n2");
  ASSERT_TRUE(executor.run(state, token_step()).ok());
  EXPECT_EQ(claims_sent(2)["nonce"], "as-n2");
}

TEST_F(executor_test, RsNonceRetryAndServersKeptApart) {
  state.set_nonce("https://as.example:8443", "as-nonce");
  net.queue.push_back(fake_transport::reply(401, "", {{"WWW-Authenticate", "DPoP error=\"use_dpop_nonce\""},
                                                      {"DPoP-Nonce", "rs-n1"}}));
  auto obs = executor.run(state, resource_step());
  ASSERT_TRUE(obs.ok());
  ASSERT_EQ(net.sent.size(), 2u);
  EXPECT_FALSE(claims_sent(0).contains("nonce"));  // the AS nonce is not the RS's (9449 9)
  EXPECT_EQ(claims_sent(1)["nonce"], "rs-n1");
  EXPECT_EQ(claims_sent(1)["ath"], rfc_ath);
  EXPECT_EQ(state.nonce("https://rs.example:9443"), "rs-n1");
  EXPECT_EQ(state.nonce("https://as.example:8443"), "as-nonce");
}

TEST_F(executor_test, RetriesOnlyOnce) {
  for (int i = 0; i < 3; ++i)
    net.queue.push_back(fake_transport::reply(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "n" + std::to_string(i)}}));
  auto obs = executor.run(state, token_step());
  ASSERT_TRUE(obs.ok());
  EXPECT_EQ(net.sent.size(), 2u);
  EXPECT_EQ((*obs)["response"]["status"], 400);
}

TEST_F(executor_test, NoRetryWhenTheStepChoosesItsNonce) {
  auto asks = [] { return fake_transport::reply(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "fresh"}}); };
  resolved_step s = token_step();
  s.dpop->nonce = "none";
  net.fallback = [&](const auto&) { return asks(); };
  ASSERT_TRUE(executor.run(state, s).ok());
  EXPECT_EQ(net.sent.size(), 1u);
  EXPECT_FALSE(claims_sent(0).contains("nonce"));

  s.dpop->nonce = "stale-literal";
  ASSERT_TRUE(executor.run(state, s).ok());
  EXPECT_EQ(net.sent.size(), 2u);
  EXPECT_EQ(claims_sent(1)["nonce"], "stale-literal");

  s.dpop->nonce = "auto";
  s.dpop->retry_on_nonce = false;
  ASSERT_TRUE(executor.run(state, s).ok());
  EXPECT_EQ(net.sent.size(), 3u);
  EXPECT_EQ(claims_sent(2)["nonce"], "fresh");  // auto still uses the nonce learnt before

  // A server that asks for a nonce without giving one: nothing to retry with.
  net.fallback = [](const auto&) { return fake_transport::reply(400, R"({"error":"use_dpop_nonce"})"); };
  run_state fresh;
  ASSERT_TRUE(executor.run(fresh, token_step()).ok());
  EXPECT_EQ(net.sent.size(), 4u);
}

TEST_F(executor_test, TimeBudgetIsSharedByRetries) {
  resolved_step s = token_step();
  s.timeout_ms = 3000;
  net.queue.push_back(fake_transport::reply(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "n"}}));
  ASSERT_TRUE(executor.run(state, s).ok());
  ASSERT_EQ(net.sent.size(), 2u);
  EXPECT_LE(net.sent[0].options.timeout.count(), 3000);
  EXPECT_LE(net.sent[1].options.timeout.count(), net.sent[0].options.timeout.count());
}

TEST_F(executor_test, TlsFailureIsAnObservation) {
  net.queue.push_back(fake_transport::tls_failure("read", "tlsv13 alert certificate required", true));
  auto obs = executor.run(state, resource_step());
  ASSERT_TRUE(obs.ok());
  EXPECT_FALSE(obs->contains("response"));
  EXPECT_EQ((*obs)["tls"]["stage"], "read");
  EXPECT_EQ((*obs)["tls"]["alert"], true);
}

TEST_F(executor_test, ReplaySendsTheSameBytes) {
  ASSERT_TRUE(executor.run(state, resource_step()).ok());
  resolved_step r;
  r.name = "again";
  r.action = "replay";
  r.of = "res";
  net.queue.push_back(fake_transport::reply(401, "", {{"WWW-Authenticate", "DPoP error=\"invalid_dpop_proof\""}}));
  auto obs = executor.run(state, r);
  ASSERT_TRUE(obs.ok()) << obs.err().message;
  ASSERT_EQ(net.sent.size(), 2u);
  EXPECT_EQ(net.sent[1].url, net.sent[0].url);
  EXPECT_EQ(net.sent[1].req.body, net.sent[0].req.body);
  ASSERT_EQ(net.sent[1].req.headers.fields().size(), net.sent[0].req.headers.fields().size());
  for (std::size_t i = 0; i < net.sent[0].req.headers.fields().size(); ++i) {
    EXPECT_EQ(net.sent[1].req.headers.fields()[i].name, net.sent[0].req.headers.fields()[i].name);
    EXPECT_EQ(net.sent[1].req.headers.fields()[i].value, net.sent[0].req.headers.fields()[i].value);
  }
  EXPECT_EQ((*obs)["response"]["status"], 401);
  EXPECT_EQ((*obs)["request"]["dpop"]["claims"], claims_sent(0));
}

TEST_F(executor_test, ConcurrentReplayCounts) {
  ASSERT_TRUE(executor.run(state, resource_step()).ok());
  int n = 0;
  net.fallback = [&](const auto&) {
    if (n++ == 7) return fake_transport::reply(200, "{}");
    if (n == 3) return fake_transport::tls_failure("timeout", "late", false);
    return fake_transport::reply(401, "", {{"WWW-Authenticate", "DPoP error=\"invalid_dpop_proof\""}});
  };
  resolved_step r;
  r.name = "race";
  r.action = "replay";
  r.of = "res";
  r.concurrent = 10;
  auto obs = executor.run(state, r);
  ASSERT_TRUE(obs.ok());
  ASSERT_EQ(net.concurrent_batches.size(), 1u);
  EXPECT_EQ(net.concurrent_batches[0].size(), 10u);
  const json& c = (*obs)["concurrent"];
  EXPECT_EQ(c["sent"], 10);
  EXPECT_EQ(c["accepted"], 1);
  EXPECT_EQ(c["rejected"], 8);
  EXPECT_EQ(c["failed"], 1);
  EXPECT_EQ(c["statuses"]["401"], 8);
  EXPECT_EQ(c["failures"]["timeout"], 1);
  EXPECT_EQ((*obs)["response"]["status"], 200);  // the one that got through
}

TEST_F(executor_test, ReplayOfUnknownStepIsAnError) {
  resolved_step r;
  r.name = "again";
  r.action = "replay";
  r.of = "never";
  auto obs = executor.run(state, r);
  ASSERT_FALSE(obs.ok());
  EXPECT_NE(obs.err().message.find("never"), std::string::npos);
}

TEST_F(executor_test, AuthorizeReadsTheCode) {
  resolved_step s;
  s.name = "az";
  s.action = "authorize";
  s.url = "https://as.example:8443/authorize";
  s.client = {"public", "none", std::nullopt};
  net.fallback = [](const testing::recorded_request& r) {
    auto q = http::parse_form(r.url.substr(r.url.find('?') + 1));
    return fake_transport::reply(302, "", {{"Location", "https://client.tether.test/cb?code=C1&state=" +
                                                            http::url_encode(q.find("state")->second)}});
  };
  auto obs = executor.run(state, s);
  ASSERT_TRUE(obs.ok());
  EXPECT_EQ((*obs)["authorization"]["code"], "C1");
  EXPECT_EQ((*obs)["authorization"]["state_matches"], true);
  EXPECT_TRUE((*obs)["authorization"]["code_verifier"].is_string());
}

TEST_F(executor_test, UnbuildableProofIsAnError) {
  resolved_step s = resource_step();
  ASSERT_TRUE(executor.run(state, s).ok());  // k1 is now a P-256 key
  s.dpop->alg = "RS256";
  auto obs = executor.run(state, s);
  ASSERT_FALSE(obs.ok());
  EXPECT_NE(obs.err().message.find("k1"), std::string::npos);
}

}  // namespace
}  // namespace tether::client

namespace tether::client {
namespace {

TEST(RunState, OriginOfKeepsServersApartAndSpellingsTogether) {
  // RFC 6454 4: scheme, host and port; the default port written out; case folded.
  EXPECT_EQ(origin_of("https://AS.Example/token"), "https://as.example:443");
  EXPECT_EQ(origin_of("https://as.example:443/other"), "https://as.example:443");
  EXPECT_EQ(origin_of("https://as.example:8443/token?x=1#frag"), "https://as.example:8443");
  EXPECT_EQ(origin_of("https://[::1]:9443/resource"), "https://[::1]:9443");
  EXPECT_NE(origin_of("https://127.0.0.1:8443/token"), origin_of("https://127.0.0.1:8444/token"));
  EXPECT_EQ(origin_of("not a url"), "not a url");
}

}  // namespace
}  // namespace tether::client
