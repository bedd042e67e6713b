// Sender-constrained tokens: certificate binding (RFC 8705 3, 4), DPoP binding (RFC 9449 5, 6),
// the refusals, refresh-token binding of public clients, and dpop_jkt (RFC 9449 10).

#include "as_test_support.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

std::pair<std::string, std::string> creds(const std::string& id) { return {id, secret_of(id)}; }
const form cc = {{"grant_type", "client_credentials"}};
form cc_for(const std::string& id) { return {{"grant_type", "client_credentials"}, {"client_id", id}}; }

TEST(AsCertificateBinding, PkiClientGetsX5tOfThePresentedCertificate) {
  for (const char* name : {"client-a", "client-a-rekeyed"}) {
    test_as as;
    auto res = as.call(token_request(cc_for("mtls-pki")), mtls_conn(name));
    ASSERT_EQ(res.status, 200) << res.body;
    json b = body(res);
    EXPECT_EQ(b["token_type"], "Bearer");  // RFC 8705 3: still a bearer scheme
    EXPECT_EQ(jwt_claims(b["access_token"])["cnf"], json({{"x5t#S256", x5t_of(name)}})) << name;
    EXPECT_EQ(as.last_event()["cnf"]["x5t#S256"], x5t_of(name));
  }
}

TEST(AsCertificateBinding, SelfSignedClientIsBound) {
  test_as as;
  auto res = as.call(token_request(cc_for("mtls-self-signed")), mtls_conn("client-self-signed"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(jwt_claims(body(res)["access_token"])["cnf"]["x5t#S256"], x5t_of("client-self-signed"));
}

TEST(AsCertificateBinding, SecretClientOverMtlsIsBoundWithoutMtlsAuthentication) {
  test_as as;
  auto res = as.call(token_request(cc, creds("mtls-bound-secret")), mtls_conn("client-a"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(jwt_claims(body(res)["access_token"])["cnf"]["x5t#S256"], x5t_of("client-a"));
}

TEST(AsCertificateBinding, ClientNotRegisteredForBindingIsNotBoundByAPresentedCertificate) {
  test_as as;
  auto res = as.call(token_request(cc, creds("secret-basic")), mtls_conn("client-a"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(jwt_claims(body(res)["access_token"]).contains("cnf"));
}

TEST(AsCertificateBinding, MissingCertificateIsRefusedByDefault) {
  test_as as;  // RFC 8705 3.4: error or unbound; the default is the error
  auto res = as.call(token_request(cc, creds("mtls-bound-secret")), main_conn());
  expect_error(res, 400, "invalid_request");
  EXPECT_TRUE(as.last_event()["knobs"].empty());
}

TEST(AsCertificateBinding, PublicClientWithSelfSignedCertificate) {
  test_as as;  // RFC 8705 4: bound, no chain validation, refresh token bound too
  std::string code = authorize(as, "public-mtls");
  auto res = as.call(token_request(code_exchange("public-mtls", code)), mtls_conn("client-self-signed"));
  ASSERT_EQ(res.status, 200) << res.body;
  json b = body(res);
  EXPECT_EQ(jwt_claims(b["access_token"])["cnf"]["x5t#S256"], x5t_of("client-self-signed"));
  EXPECT_EQ(as.last_event()["refresh_token_binding"]["x5t#S256"], x5t_of("client-self-signed"));
  form refresh = {{"grant_type", "refresh_token"}, {"client_id", "public-mtls"}, {"refresh_token", b["refresh_token"]}};
  EXPECT_EQ(as.call(token_request(refresh), mtls_conn("client-self-signed")).status, 200);
  expect_error(as.call(token_request(refresh), mtls_conn("client-a")), 400, "invalid_grant");
  expect_error(as.call(token_request(refresh), main_conn()), 400, "invalid_grant");
}

TEST(AsCertificateBinding, ConfidentialRefreshTokenFollowsTheClientNotTheKey) {
  test_as as;  // RFC 8705 7.1: re-keyed certificate, same client, refresh works
  auto first = as.call(token_request(cc_for("mtls-pki")), mtls_conn("client-a"));
  ASSERT_EQ(first.status, 200) << first.body;
  form refresh = {{"grant_type", "refresh_token"}, {"client_id", "mtls-pki"},
                  {"refresh_token", body(first)["refresh_token"]}};
  auto res = as.call(token_request(refresh), mtls_conn("client-a-rekeyed"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(jwt_claims(body(res)["access_token"])["cnf"]["x5t#S256"], x5t_of("client-a-rekeyed"));
  EXPECT_TRUE(as.events()[0]["refresh_token_binding"].empty());
}

TEST(AsDpopBinding, ValidProofGivesDpopTokenTypeAndJkt) {
  test_as as;
  auto p = proof(as);
  auto res = as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  json b = body(res);
  EXPECT_EQ(b["token_type"], "DPoP");  // RFC 9449 5
  EXPECT_EQ(jwt_claims(b["access_token"])["cnf"], json({{"jkt", dpop_key(0).thumbprint()}}));  // 6.1
  EXPECT_EQ(as.last_event()["dpop"]["check"], "ok");
  EXPECT_EQ(as.last_event()["dpop"]["jkt"], dpop_key(0).thumbprint());
  EXPECT_FALSE(res.headers.first("DPoP-Nonce"));  // no nonce unless required
}

TEST(AsDpopBinding, HeaderNameIsCaseInsensitive) {
  test_as as;  // RFC 9449 4.1
  auto req = token_request(cc, creds("secret-basic"));
  req.headers.add("DPOP", proof(as).compact);
  auto res = as.call(req, main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body(res)["token_type"], "DPoP");
}

TEST(AsDpopBinding, ProofMustNameTheUrlOfTheListenerItArrivedOn) {
  test_as as;
  auto res = as.call(with_proof(token_request(cc, creds("secret-basic")), proof(as, mtls_token_url).compact), main_conn());
  expect_error(res, 400, "invalid_dpop_proof");
  EXPECT_EQ(as.last_event()["dpop"]["check"], "htu_mismatch");
  auto ok = as.call(with_proof(token_request(cc, creds("secret-basic")), proof(as, mtls_token_url).compact),
                    mtls_conn());
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST(AsDpopBinding, InvalidProofsAreInvalidDpopProof) {
  const std::vector<std::pair<std::string, json>> defects = {
      {"bad_signature", {{"bad_signature", true}}},
      {"htm_mismatch", {{"htm", "GET"}}},
      {"htu_mismatch", {{"htu", "https://as.tether.test:8443/other"}}},
      {"bad_typ", {{"typ", "JWT"}}},
      {"iat_too_old", {{"iat_offset_s", -3600}}},
      {"iat_in_future", {{"iat_offset_s", 3600}}},
      {"bad_alg", {{"alg", "none"}}},
      {"private_key", {{"private_jwk", true}}},
      {"malformed", {{"malformed", "not_jwt"}}},
      {"missing_claim", {{"omit_claims", {"jti"}}}},
  };
  for (const auto& [check, d] : defects) {
    test_as as;
    auto parsed = dpop::proof_defects::from_json(d);
    ASSERT_TRUE(parsed) << parsed.err().message;
    auto p = proof(as, token_url, 0, std::nullopt, *parsed);
    auto res = as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn());
    expect_error(res, 400, "invalid_dpop_proof");  // RFC 9449 5
    EXPECT_EQ(as.last_event()["dpop"]["check"], check);
  }
}

TEST(AsDpopBinding, TwoProofHeadersAreRefused) {
  test_as as;  // RFC 9449 4.3 (1)
  auto req = with_proof(token_request(cc, creds("secret-basic")), proof(as).compact);
  req.headers.add("DPoP", proof(as).compact);
  expect_error(as.call(req, main_conn()), 400, "invalid_dpop_proof");
  EXPECT_EQ(as.last_event()["dpop"]["check"], "multiple");
}

TEST(AsDpopBinding, ReplayedProofIsRefused) {
  test_as as;  // RFC 9449 11.1
  auto p = proof(as);
  ASSERT_EQ(as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn()).status, 200);
  expect_error(as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn()), 400,
               "invalid_dpop_proof");
  EXPECT_EQ(as.last_event()["dpop"]["check"], "replayed");
}

TEST(AsDpopBinding, DpopBoundClientWithoutProofIsRefused) {
  test_as as;  // RFC 9449 5.2
  expect_error(as.call(token_request(cc, creds("dpop-bound")), main_conn()), 400, "invalid_request");
  auto res = as.call(with_proof(token_request(cc, creds("dpop-bound")), proof(as).compact), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body(res)["token_type"], "DPoP");
}

TEST(AsDpopBinding, CertificateAndProofTogetherAreRefusedByDefault) {
  test_as as;  // table 2.2 G: one proof-of-possession key per cnf (RFC 7800 3.1)
  auto res = as.call(with_proof(token_request(cc_for("mtls-pki")), proof(as, mtls_token_url).compact),
                     mtls_conn("client-a"));
  expect_error(res, 400, "invalid_request");
  EXPECT_EQ(as.last_event()["both_bindings_requested"], true);
}

TEST(AsDpopBinding, ConfidentialClientRefreshesWithANewKey) {
  test_as as;  // RFC 9449 5: confidential clients' refresh tokens are not key-bound
  auto first = as.call(with_proof(token_request(cc, creds("confidential-dpop")), proof(as, token_url, 0).compact),
                       main_conn());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(as.last_event()["refresh_token_binding"].empty());
  form refresh = {{"grant_type", "refresh_token"}, {"refresh_token", body(first)["refresh_token"]}};
  auto res = as.call(with_proof(token_request(refresh, creds("confidential-dpop")), proof(as, token_url, 1).compact),
                     main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(jwt_claims(body(res)["access_token"])["cnf"]["jkt"], dpop_key(1).thumbprint());
}

class AsPublicDpopRefresh : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string code = authorize(as, "public");
    auto res = as.call(with_proof(token_request(code_exchange("public", code)), proof(as, token_url, 0).compact),
                       main_conn());
    ASSERT_EQ(res.status, 200) << res.body;
    ASSERT_EQ(body(res)["token_type"], "DPoP");
    ASSERT_EQ(as.last_event()["refresh_token_binding"]["jkt"], dpop_key(0).thumbprint());
    refresh = {{"grant_type", "refresh_token"}, {"client_id", "public"}, {"refresh_token", body(res)["refresh_token"]}};
  }
  test_as as;
  form refresh;
};

TEST_F(AsPublicDpopRefresh, SameKeyRefreshes) {
  auto res = as.call(with_proof(token_request(refresh), proof(as, token_url, 0).compact), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(jwt_claims(body(res)["access_token"])["cnf"]["jkt"], dpop_key(0).thumbprint());
}

TEST_F(AsPublicDpopRefresh, OtherKeyOrNoProofIsInvalidGrant) {
  // RFC 9449 5: the binding MUST be checked on refresh.
  expect_error(as.call(with_proof(token_request(refresh), proof(as, token_url, 1).compact), main_conn()), 400,
               "invalid_grant");
  expect_error(as.call(token_request(refresh), main_conn()), 400, "invalid_grant");
}

TEST(AsDpopJkt, CodeBoundToAKeyNeedsAProofWithThatKey) {
  test_as as;  // RFC 9449 10
  std::string jkt = dpop_key(0).thumbprint();
  std::string code = authorize(as, "public", {{"dpop_jkt", jkt}});
  expect_error(as.call(with_proof(token_request(code_exchange("public", code)), proof(as, token_url, 1).compact),
                       main_conn()),
               400, "invalid_grant");
  expect_error(as.call(token_request(code_exchange("public", code)), main_conn()), 400, "invalid_grant");
  auto res = as.call(with_proof(token_request(code_exchange("public", code)), proof(as, token_url, 0).compact),
                     main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(jwt_claims(body(res)["access_token"])["cnf"]["jkt"], jkt);
  EXPECT_EQ(as.last_event()["dpop_jkt"], jkt);
}

}  // namespace
}  // namespace tether::as
