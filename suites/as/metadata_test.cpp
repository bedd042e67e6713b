// RFC 8414 metadata, RFC 8705 5 aliases, the JWK Set, and routing.

#include "as_test_support.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

http::request get(const std::string& target) {
  http::request r;
  r.target = target;
  return r;
}

bool has(const json& array, const std::string& value) {
  for (const auto& v : array)
    if (v == value) return true;
  return false;
}

TEST(AsMetadata, AdvertisesEndpointsMethodsAndBindings) {
  test_as as;
  auto res = as.call(get("/.well-known/oauth-authorization-server"), main_conn());
  ASSERT_EQ(res.status, 200);
  json m = body(res);
  EXPECT_EQ(m["issuer"], issuer);
  EXPECT_EQ(m["token_endpoint"], issuer + "/token");
  EXPECT_EQ(m["authorization_endpoint"], issuer + "/authorize");
  EXPECT_EQ(m["introspection_endpoint"], issuer + "/introspect");
  EXPECT_EQ(m["jwks_uri"], issuer + "/jwks");
  // RFC 8705 2.1.1, 2.2.1, 3.3; RFC 9449 5.1.
  EXPECT_TRUE(has(m["token_endpoint_auth_methods_supported"], "tls_client_auth"));
  EXPECT_TRUE(has(m["token_endpoint_auth_methods_supported"], "self_signed_tls_client_auth"));
  EXPECT_TRUE(has(m["token_endpoint_auth_methods_supported"], "client_secret_basic"));
  EXPECT_TRUE(has(m["token_endpoint_auth_methods_supported"], "none"));
  EXPECT_EQ(m["tls_client_certificate_bound_access_tokens"], true);
  EXPECT_TRUE(has(m["dpop_signing_alg_values_supported"], "ES256"));
  EXPECT_FALSE(has(m["dpop_signing_alg_values_supported"], "HS256"));  // 4.2: asymmetric only
  EXPECT_TRUE(has(m["grant_types_supported"], "client_credentials"));
  EXPECT_TRUE(has(m["grant_types_supported"], "refresh_token"));
  EXPECT_EQ(m["code_challenge_methods_supported"], json::array({"S256"}));
  EXPECT_EQ(m["mtls_endpoint_aliases"]["token_endpoint"], mtls_origin + "/token");
  EXPECT_EQ(m["mtls_endpoint_aliases"]["introspection_endpoint"], mtls_origin + "/introspect");
  EXPECT_EQ(as.last_event()["endpoint"], "metadata");
}

TEST(AsMetadata, OpenIdConfigurationIsTheSameDocument) {
  test_as as;
  auto a = as.call(get("/.well-known/oauth-authorization-server"), main_conn());
  auto b = as.call(get("/.well-known/openid-configuration"), main_conn());
  EXPECT_EQ(body(a), body(b));
}

TEST(AsMetadata, OnlyGet) {
  test_as as;
  auto res = as.call(post_form("/.well-known/oauth-authorization-server", {}), main_conn());
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.first("Allow").value_or(""), "GET");
}

TEST(AsJwks, PublishesThePublicSigningKeyOnly) {
  test_as as;
  auto res = as.call(get("/jwks"), main_conn());
  ASSERT_EQ(res.status, 200);
  json set = body(res);
  ASSERT_EQ(set["keys"].size(), 1u);
  const json& k = set["keys"][0];
  EXPECT_EQ(k["kty"], "EC");
  EXPECT_EQ(k["crv"], "P-256");
  EXPECT_FALSE(k.contains("d"));
  EXPECT_EQ(k["kid"], as.state().signing_key.thumbprint());
  EXPECT_EQ(k["alg"], "ES256");
  EXPECT_EQ(res.headers.first("Content-Type").value_or(""), "application/jwk-set+json");
}

TEST(AsRouting, UnknownPathIs404WithAnEvent) {
  test_as as;
  auto res = as.call(get("/nope"), main_conn());
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(as.last_event()["endpoint"], "unknown");
  EXPECT_EQ(as.last_event()["response"]["status"], 404);
}

TEST(AsRouting, EventCarriesTraceListenerAndClientCertificate) {
  test_as as;
  http::request req = get("/jwks");
  req.headers.set("Tether-Trace", "r1/some-scenario/probe");
  as.call(req, mtls_conn("client-a"));
  json e = as.last_event();
  EXPECT_EQ(e["server"], "as");
  EXPECT_EQ(e["trace"], "r1/some-scenario/probe");
  EXPECT_EQ(e["listener"], "mtls");
  EXPECT_EQ(e["method"], "GET");
  EXPECT_EQ(e["path"], "/jwks");
  EXPECT_EQ(e["tls"]["version"], "TLSv1.3");
  EXPECT_EQ(e["client_cert"]["x5t#S256"], x5t_of("client-a"));
  EXPECT_EQ(e["client_cert"]["subject"], "CN=client-a,O=Tether Test");
  EXPECT_EQ(e["client_cert"]["verify"], "ok");
  EXPECT_TRUE(e["knobs"].is_array());
}

TEST(AsRouting, IssuerWithAPathPrefixesEveryEndpoint) {
  test_as as;
  as.state().urls = endpoints{"https://as.tether.test:8443/realm", "https://as.tether.test:8444/realm"};
  auto meta = as.call(get("/.well-known/oauth-authorization-server/realm"), main_conn());
  ASSERT_EQ(meta.status, 200);  // RFC 8414 3
  EXPECT_EQ(body(meta)["token_endpoint"], "https://as.tether.test:8443/realm/token");
  EXPECT_EQ(as.call(get("/realm/jwks"), main_conn()).status, 200);
}

}  // namespace
}  // namespace tether::as
