// Scenario steps -> the client protocol's resolved steps (docs/client-protocol.md).

#include <gtest/gtest.h>

#include "runner/scenario_loader.hpp"
#include "runner/step_resolver.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;

struct fixture {
  target t;
  scenario sc;
  std::map<std::string, json> observations, resolved;
  resolve_context ctx;

  explicit fixture(json steps) {
    problem_list p;
    t = load_target(std::string(TETHER_SOURCE_ROOT) + "/targets/builtin.json", knob_catalog(), p);
    t.certificates["client-b"] = {"/own/b.crt", "/own/b.key"};
    json doc = {{"schema", "tether-scenarios/1"}, {"spec", "RFC 9449"}, {"section", "5"}, {"title", "t"},
                {"scenarios", {{{"id", "t/r"}, {"title", "t"}, {"role", "as"}, {"refs", {"r"}}, {"level", "MUST"},
                                {"requirement", "r"}, {"steps", steps}}}}};
    scenario_file f = read_scenario_file(doc, "t.json", knob_catalog(), p);
    EXPECT_TRUE(p.empty()) << p.to_text();
    sc = f.scenarios.at(0);
    ctx.tgt = &t;
    ctx.certs_dir = "/certs";
    ctx.ep.issuer = "https://127.0.0.1:1";
    ctx.ep.token_endpoint = "https://127.0.0.1:1/token";
    ctx.ep.mtls_token_endpoint = "https://127.0.0.1:2/token";
    ctx.ep.authorization_endpoint = "https://127.0.0.1:1/authorize";
    ctx.ep.introspection_endpoint = "https://127.0.0.1:1/introspect";
    ctx.ep.rs_url = "https://127.0.0.1:3";
    ctx.ep.rs_resource = "https://127.0.0.1:3/resource";
    ctx.trace = "r1/t-r/x";
    ctx.observations = &observations;
    ctx.resolved = &resolved;
  }
  result<json> resolve(int i) {
    auto r = resolve_step(sc.steps.at(i), ctx);
    if (r) resolved[sc.steps[i].name] = *r;
    return r;
  }
};

json accept() { return {{"outcome", "accept"}}; }

TEST(StepResolver, TokenWithACertificateUsesTheMtlsAlias) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "mtls-pki"}, {"expect", accept()}},
                 {{"name", "plain"}, {"action", "token"}, {"client", "secret-basic"}, {"expect", accept()}},
                 {{"name", "nocert"}, {"action", "token"}, {"client", "mtls-pki"}, {"cert", nullptr}, {"expect", accept()}}});
  auto tok = f.resolve(0);
  ASSERT_TRUE(tok) << tok.err().message;
  EXPECT_EQ((*tok)["endpoint_url"], "https://127.0.0.1:2/token");  // RFC 8705 5
  EXPECT_EQ((*tok)["method"], "POST");
  EXPECT_EQ((*tok)["tls"]["cert_file"], "/certs/client-a.crt");
  EXPECT_EQ((*tok)["tls"]["key_file"], "/certs/client-a.key");
  EXPECT_EQ((*tok)["tls"]["ca_file"], "/certs/ca.crt");
  EXPECT_EQ((*tok)["client"]["client_id"], "mtls-pki");
  EXPECT_EQ((*tok)["client"]["auth_method"], "tls_client_auth");
  EXPECT_EQ((*tok)["trace"], "r1/t-r/x");
  auto plain = f.resolve(1);
  EXPECT_EQ((*plain)["endpoint_url"], "https://127.0.0.1:1/token");
  EXPECT_EQ((*plain)["client"]["secret"], "secret-basic-test-secret");
  EXPECT_TRUE((*plain)["tls"]["cert_file"].is_null());
  auto nocert = f.resolve(2);
  EXPECT_EQ((*nocert)["endpoint_url"], "https://127.0.0.1:1/token");
  EXPECT_TRUE((*nocert)["tls"]["cert_name"].is_null());
}

TEST(StepResolver, ResourceTakesTokenAndCertificateFromItsTokenStep) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "mtls-pki"}, {"dpop", {{"alg", "ES256"}}}, {"expect", accept()}},
                 {{"name", "call"}, {"action", "resource"}, {"token_from", "tok"}, {"path", "/other"}, {"query", "a=1"},
                  {"dpop", {{"defects", {{"ath", "other_token"}}}}}, {"expect", accept()}},
                 {{"name", "other"}, {"action", "resource"}, {"token_from", "tok"}, {"cert", "client-b"}, {"expect", accept()}}});
  ASSERT_TRUE(f.resolve(0));
  f.observations["tok"] = {{"token", {{"access_token", "AT"}, {"token_type", "DPoP"}}}};
  auto call = f.resolve(1);
  ASSERT_TRUE(call) << call.err().message;
  EXPECT_EQ((*call)["url"], "https://127.0.0.1:3/other?a=1");
  EXPECT_EQ((*call)["access_token"], "AT");
  EXPECT_EQ((*call)["token_type"], "DPoP");
  EXPECT_EQ((*call)["scheme"], "auto");
  EXPECT_EQ((*call)["tls"]["cert_name"], "client-a");
  // The key keeps the alg it was created with at the token endpoint.
  EXPECT_EQ((*call)["dpop"], json({{"key", "k1"}, {"alg", "ES256"}, {"nonce", "auto"}, {"retry_on_nonce", true},
                                   {"headers", 1}, {"header_name", "DPoP"}, {"defects", {{"ath", "other_token"}}}}));
  auto other = f.resolve(2);
  EXPECT_EQ((*other)["tls"]["cert_file"], "/own/b.crt");  // the target's replacement certificate
  EXPECT_EQ((*other)["url"], "https://127.0.0.1:3/resource");
}

TEST(StepResolver, RegistrationAlgAndExternalRsPaths) {
  // An AS that takes only EdDSA proofs: the registration says so, a proof that names its alg wins.
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "dpop-bound"}, {"dpop", json::object()}, {"expect", accept()}},
                 {{"name", "rs256"}, {"action", "token"}, {"client", "dpop-bound"}, {"dpop", {{"key", "k2"}, {"alg", "RS256"}}},
                  {"expect", accept()}},
                 {{"name", "write"}, {"action", "resource"}, {"token_from", "tok"}, {"path", "/scoped/write/x"},
                  {"expect", accept()}},
                 {{"name", "other"}, {"action", "resource"}, {"token_from", "tok"}, {"path", "/elsewhere"}, {"expect", accept()}}});
  f.t.clients["dpop-bound"].dpop_alg = "EdDSA";
  f.ctx.ep.rs_paths = {{"/scoped/write/x", "https://rs.example/api/admin"}};
  EXPECT_EQ((*f.resolve(0))["dpop"]["alg"], "EdDSA");
  EXPECT_EQ((*f.resolve(1))["dpop"]["alg"], "RS256");
  f.observations["tok"] = {{"token", {{"access_token", "AT"}, {"token_type", "DPoP"}}}};
  EXPECT_EQ((*f.resolve(2))["url"], "https://rs.example/api/admin");  // the external RS's URL for that path
  EXPECT_EQ((*f.resolve(3))["url"], "https://127.0.0.1:3/elsewhere");  // unmapped: the RS's origin
}

TEST(StepResolver, JtiOfBecomesTheJtiTheEarlierProofCarried) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "dpop-bound"}, {"dpop", json::object()}, {"expect", accept()}},
                 {{"name", "again"}, {"action", "token"}, {"client", "dpop-bound"},
                  {"dpop", {{"defects", {{"jti_of", "tok"}, {"iat_offset_s", -5}}}}}, {"expect", accept()}},
                 {{"name", "call"}, {"action", "resource"}, {"token_from", "tok"},
                  {"dpop", {{"defects", {{"jti_of", "tok"}}}}}, {"expect", accept()}}});
  // The last attempt's proof is the top-level request (docs/client-protocol.md).
  f.observations["tok"] = {{"request", {{"dpop", {{"claims", {{"jti", "J-1"}}}}}}},
                           {"token", {{"access_token", "AT"}, {"token_type", "DPoP"}}}};
  auto again = f.resolve(1);
  ASSERT_TRUE(again) << again.err().message;
  EXPECT_EQ((*again)["dpop"]["defects"], json({{"jti", "J-1"}, {"iat_offset_s", -5}}));
  auto call = f.resolve(2);
  ASSERT_TRUE(call) << call.err().message;
  EXPECT_EQ((*call)["dpop"]["defects"], json({{"jti", "J-1"}}));
  f.observations["tok"]["request"]["dpop"] = nullptr;  // that step sent no proof
  auto none = f.resolve(1);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.err().message, "step \"tok\" sent no DPoP proof with a jti");
}

TEST(StepResolver, NoTokenFromTheEarlierStepIsAnError) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "dpop-bound"}, {"expect", accept()}},
                 {{"name", "call"}, {"action", "resource"}, {"token_from", "tok"}, {"expect", accept()}}});
  f.observations["tok"] = {{"response", {{"status", 400}}}};
  auto call = f.resolve(1);
  ASSERT_FALSE(call);
  EXPECT_EQ(call.err().message, "step \"tok\" obtained no access token");
}

TEST(StepResolver, CodeFlowAndRefresh) {
  fixture f(json{{{"name", "auth"}, {"action", "authorize"}, {"client", "public"}, {"dpop_jkt", {{"key", "k1"}}}, {"expect", accept()}},
                 {{"name", "tok"}, {"action", "token"}, {"client", "public"}, {"grant", "authorization_code"}, {"from", "auth"},
                  {"expect", accept()}},
                 {{"name", "ref"}, {"action", "token"}, {"client", "public"}, {"grant", "refresh_token"}, {"from", "tok"},
                  {"expect", accept()}}});
  auto auth = f.resolve(0);
  EXPECT_EQ((*auth)["url"], "https://127.0.0.1:1/authorize");
  EXPECT_EQ((*auth)["pkce"], true);
  EXPECT_EQ((*auth)["dpop_jkt"], json({{"key", "k1"}}));
  f.observations["auth"] = {{"authorization", {{"code", "C"}, {"code_verifier", "V"}, {"redirect_uri", "https://client.tether.test/cb"}}}};
  auto tok = f.resolve(1);
  ASSERT_TRUE(tok) << tok.err().message;
  EXPECT_EQ((*tok)["code"], "C");
  EXPECT_EQ((*tok)["code_verifier"], "V");
  EXPECT_EQ((*tok)["redirect_uri"], "https://client.tether.test/cb");
  f.observations["tok"] = {{"token", {{"access_token", "AT"}, {"refresh_token", "RT"}}}};
  auto ref = f.resolve(2);
  EXPECT_EQ((*ref)["grant"], "refresh_token");
  EXPECT_EQ((*ref)["refresh_token"], "RT");
}

TEST(StepResolver, ForwardedCertificateGoesThroughTheProxyCertificate) {
  fixture f(json{{{"name", "call"}, {"action", "resource"}, {"token", "AT"},
                  {"forwarded_cert", {{"format", "xfcc"}, {"cert", "client-a"}}}, {"expect", accept()}}});
  auto call = f.resolve(0);
  ASSERT_TRUE(call);
  EXPECT_EQ((*call)["forwarded_cert"]["format"], "xfcc");
  EXPECT_EQ((*call)["forwarded_cert"]["via"], "proxy");
  EXPECT_EQ((*call)["forwarded_cert"]["cert_file"], "/certs/client-a.crt");
  EXPECT_EQ((*call)["tls"]["cert_name"], "proxy");
}

TEST(StepResolver, ReplayRepeatsTheOriginalsMethodUrlAndTls) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "mtls-pki"}, {"expect", accept()}},
                 {{"name", "again"}, {"action", "replay"}, {"of", "tok"}, {"concurrent", 5}, {"expect", accept()}}});
  ASSERT_TRUE(f.resolve(0));
  auto again = f.resolve(1);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)["of"], "tok");
  EXPECT_EQ((*again)["concurrent"], 5);
  EXPECT_EQ((*again)["method"], "POST");
  EXPECT_EQ((*again)["tls"]["cert_name"], "client-a");
  // A target with fewer workers than the race's copies caps it (targets/README.md).
  f.t.max_concurrency = 3;
  EXPECT_EQ((*f.resolve(1))["concurrent"], 3);
  f.t.max_concurrency = 16;
  EXPECT_EQ((*f.resolve(1))["concurrent"], 5);
}

TEST(StepResolver, TheRegistrationsScopeGoesWithClientCredentialsAndAuthorization) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "secret-basic"}, {"expect", accept()}},
                 {{"name", "own"}, {"action", "token"}, {"client", "secret-basic"}, {"scope", "write"}, {"expect", accept()}},
                 {{"name", "auth"}, {"action", "authorize"}, {"client", "secret-basic"}, {"expect", accept()}}});
  EXPECT_TRUE((*f.resolve(0))["scope"].is_null());
  f.t.clients["secret-basic"].scope = "api:read";
  EXPECT_EQ((*f.resolve(0))["scope"], "api:read");
  EXPECT_EQ((*f.resolve(1))["scope"], "write");  // the step's own wins
  EXPECT_EQ((*f.resolve(2))["params"]["scope"], "api:read");
}

TEST(StepResolver, TheMetadataDocumentIsWhereDiscoveryFoundIt) {
  // An issuer with a path: RFC 8414 3.1 puts its metadata under the well-known segment, which a
  // path appended to the issuer's origin would miss.
  fixture f(json{{{"name", "meta"}, {"action", "fetch"}, {"server", "as"}, {"document", "metadata"},
                  {"expect", accept()}}});
  f.ctx.ep.issuer = "https://127.0.0.1:1/realms/x";
  EXPECT_FALSE(f.resolve(0)) << "no metadata URL known: an error, never a guess";
  f.ctx.ep.metadata_url = "https://127.0.0.1:1/.well-known/oauth-authorization-server/realms/x";
  auto meta = f.resolve(0);
  ASSERT_TRUE(meta) << meta.err().message;
  EXPECT_EQ((*meta)["url"], "https://127.0.0.1:1/.well-known/oauth-authorization-server/realms/x");
}

TEST(StepResolver, InstanceTwoGoesToTheSecondRsAndKeepsThePublicUrl) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "dpop-bound"}, {"expect", accept()}},
                 {{"name", "call"}, {"action", "resource"}, {"token_from", "tok"}, {"instance", 2}, {"expect", accept()}},
                 {{"name", "again"}, {"action", "replay"}, {"of", "call"}, {"instance", 2}, {"expect", accept()}}});
  ASSERT_TRUE(f.resolve(0));
  f.observations["tok"] = {{"token", {{"access_token", "AT"}, {"token_type", "DPoP"}}}};
  EXPECT_FALSE(f.resolve(1)) << "no second instance: an error, not the first instance";
  f.ctx.ep.rs_second_instance = "https://127.0.0.1:4";
  auto call = f.resolve(1);
  ASSERT_TRUE(call) << call.err().message;
  EXPECT_EQ((*call)["to"], "https://127.0.0.1:4");
  EXPECT_EQ((*call)["url"], "https://127.0.0.1:3/resource");
  auto again = f.resolve(2);
  ASSERT_TRUE(again) << again.err().message;
  EXPECT_EQ((*again)["to"], "https://127.0.0.1:4");
}

TEST(StepResolver, IntrospectAndFetch) {
  fixture f(json{{{"name", "tok"}, {"action", "token"}, {"client", "secret-basic"}, {"expect", accept()}},
                 {{"name", "intro"}, {"action", "introspect"}, {"token_from", "tok"}, {"expect", accept()}},
                 {{"name", "meta"}, {"action", "fetch"}, {"server", "as"}, {"path", "/.well-known/oauth-authorization-server"},
                  {"expect", accept()}},
                 {{"name", "jwks"}, {"action", "fetch"}, {"url_from", {{"step", "meta"}, {"pointer", "/response/json/jwks_uri"}}},
                  {"expect", accept()}}});
  f.observations["tok"] = {{"token", {{"access_token", "AT"}}}};
  auto intro = f.resolve(1);
  EXPECT_EQ((*intro)["client"]["client_id"], "rs");
  EXPECT_EQ((*intro)["token"], "AT");
  EXPECT_EQ((*intro)["url"], "https://127.0.0.1:1/introspect");
  auto meta = f.resolve(2);
  EXPECT_EQ((*meta)["url"], "https://127.0.0.1:1/.well-known/oauth-authorization-server");
  f.observations["meta"] = {{"response", {{"json", {{"jwks_uri", "https://127.0.0.1:1/jwks"}}}}}};
  auto jwks = f.resolve(3);
  EXPECT_EQ((*jwks)["url"], "https://127.0.0.1:1/jwks");
  f.observations["meta"] = json::object();
  EXPECT_FALSE(f.resolve(3));
}

}  // namespace
}  // namespace tether::runner
