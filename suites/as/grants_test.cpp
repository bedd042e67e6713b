// The grants: client_credentials, authorization_code with PKCE through the auto-approving
// authorization endpoint, refresh_token; RFC 8707 resources; request shape errors.

#include "as_test_support.hpp"
#include "core/jose/jwk.hpp"
#include "core/token/access_token.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

std::pair<std::string, std::string> creds(const std::string& id) { return {id, secret_of(id)}; }

http::request authorize_request(const form& fields) {
  http::request r;
  r.target = "/authorize?" + http::format_form(fields);
  return r;
}

TEST(AsClientCredentials, IssuesAnRfc9068JwtThatVerifiesWithTheJwks) {
  test_as as;
  auto res = as.call(token_request({{"grant_type", "client_credentials"}, {"scope", "read write"}},
                                   creds("secret-basic")),
                     main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  json b = body(res);
  EXPECT_EQ(b["token_type"], "Bearer");
  EXPECT_EQ(b["expires_in"], 300);
  EXPECT_EQ(b["scope"], "read write");
  // secret-basic registered the refresh_token grant, so it gets one even here.
  EXPECT_TRUE(b.contains("refresh_token"));
  EXPECT_EQ(res.headers.first("Cache-Control").value_or(""), "no-store");

  auto keys = jose::jwk_set::parse(as.state().jwks());
  ASSERT_TRUE(keys);
  token::validation_policy policy;
  policy.issuer = issuer;
  policy.audience = "tether-rs";
  auto v = token::validate_jwt(b["access_token"].get<std::string>(), *keys, policy, as.now());
  ASSERT_TRUE(v.ok()) << v.detail;
  EXPECT_EQ(v.header["typ"], "at+jwt");
  EXPECT_EQ(v.claims["sub"], "secret-basic");
  EXPECT_EQ(v.claims["client_id"], "secret-basic");
  EXPECT_EQ(v.claims["scope"], "read write");
  EXPECT_EQ(v.claims["exp"].get<int64_t>() - v.claims["iat"].get<int64_t>(), 300);
  EXPECT_EQ(v.claims["iat"], as.now());
  EXPECT_FALSE(v.claims.contains("cnf"));
}

TEST(AsClientCredentials, NoRefreshTokenUnlessTheClientRegisteredTheGrant) {
  test_as as;  // RFC 6749 4.4.3: a refresh token SHOULD NOT be included otherwise
  form f = {{"grant_type", "client_credentials"}, {"client_id", "secret-post"}, {"client_secret", secret_of("secret-post")}};
  auto res = as.call(token_request(f), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(body(res).contains("refresh_token"));
}

TEST(AsClientCredentials, PublicClientsCannotUseIt) {
  test_as as;
  // "public" registered only authorization_code and refresh_token.
  expect_error(as.call(token_request({{"grant_type", "client_credentials"}, {"client_id", "public"}}), main_conn()),
               400, "unauthorized_client");
}

TEST(AsClientCredentials, ResourceParametersBecomeTheAudience) {
  test_as as;  // RFC 8707 2
  auto one = as.call(token_request({{"grant_type", "client_credentials"}, {"resource", "https://rs.example/api"}},
                                   creds("secret-basic")),
                     main_conn());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(jwt_claims(body(one)["access_token"])["aud"], "https://rs.example/api");
  auto two = as.call(token_request({{"grant_type", "client_credentials"}, {"resource", "https://a.example/"},
                                    {"resource", "https://b.example/"}},
                                   creds("secret-basic")),
                     main_conn());
  ASSERT_EQ(two.status, 200) << two.body;
  EXPECT_EQ(jwt_claims(body(two)["access_token"])["aud"], json::array({"https://a.example/", "https://b.example/"}));
  expect_error(as.call(token_request({{"grant_type", "client_credentials"}, {"resource", "not a uri"}},
                                     creds("secret-basic")),
                       main_conn()),
               400, "invalid_target");
}

TEST(AsTokenRequest, ShapeErrors) {
  test_as as;
  auto c = creds("secret-basic");
  // RFC 6749 3.2: parameters MUST NOT be repeated.
  auto rep = expect_error(as.call(token_request({{"grant_type", "client_credentials"}, {"grant_type", "client_credentials"}}, c),
                                  main_conn()),
                          400, "invalid_request");
  EXPECT_NE(rep["error_description"].get<std::string>().find("grant_type"), std::string::npos);
  expect_error(as.call(token_request({}, c), main_conn()), 400, "invalid_request");
  expect_error(as.call(token_request({{"grant_type", "password"}}, c), main_conn()), 400, "unsupported_grant_type");
  expect_error(as.call(token_request({{"grant_type", "client_credentials"}, {"scope", "bad\"scope"}}, c), main_conn()),
               400, "invalid_scope");
  http::request get = token_request({{"grant_type", "client_credentials"}}, c);
  get.method = "GET";
  auto res = as.call(get, main_conn());
  EXPECT_EQ(res.status, 405);
  http::request json_body = token_request({{"grant_type", "client_credentials"}}, c);
  json_body.headers.set("Content-Type", "application/json");
  expect_error(as.call(json_body, main_conn()), 400, "invalid_request");
}

TEST(AsTokenRequest, ClientNotRegisteredForTheGrantIsUnauthorized) {
  test_as as;  // mtls-self-signed registered client_credentials and refresh_token only
  auto res = as.call(token_request({{"grant_type", "authorization_code"}, {"client_id", "mtls-self-signed"},
                                    {"code", "x"}}),
                     mtls_conn("client-self-signed"));
  expect_error(res, 400, "unauthorized_client");
}

TEST(AsAuthorizationCode, PublicClientWithPkce) {
  test_as as;
  std::string code = authorize(as, "public", {{"scope", "read"}});
  auto res = as.call(token_request(code_exchange("public", code)), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  json b = body(res);
  EXPECT_EQ(b["scope"], "read");
  EXPECT_TRUE(b.contains("refresh_token"));
  EXPECT_EQ(jwt_claims(b["access_token"])["sub"], "tether-user");
  EXPECT_EQ(as.last_event()["auth_method"], "none");
  // RFC 6749 4.1.2: a code is used once.
  expect_error(as.call(token_request(code_exchange("public", code)), main_conn()), 400, "invalid_grant");
}

TEST(AsAuthorizationCode, ConfidentialClientWithoutPkce) {
  test_as as;
  std::string code = authorize(as, "secret-basic", {}, /*pkce=*/false);
  auto res = as.call(token_request(code_exchange("secret-basic", code, false), creds("secret-basic")), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
}

TEST(AsAuthorizationCode, WrongVerifierRedirectUriClientOrAgeIsInvalidGrant) {
  test_as as;
  std::string code = authorize(as, "public");
  form wrong_verifier = code_exchange("public", code, false);
  wrong_verifier.emplace_back("code_verifier", std::string(43, 'a'));
  expect_error(as.call(token_request(wrong_verifier), main_conn()), 400, "invalid_grant");
  expect_error(as.call(token_request(code_exchange("public", code, false)), main_conn()), 400, "invalid_grant");
  form other_redirect = code_exchange("public", code);
  other_redirect[2].second = "https://evil.example/cb";
  expect_error(as.call(token_request(other_redirect), main_conn()), 400, "invalid_grant");
  // Issued to "public", presented by another client.
  expect_error(as.call(token_request(code_exchange("confidential-dpop", code), creds("confidential-dpop")), main_conn()),
               400, "invalid_grant");
  // Failed attempts leave the code usable; the right request still works.
  ASSERT_EQ(as.call(token_request(code_exchange("public", code)), main_conn()).status, 200);

  std::string late = authorize(as, "public");
  as.advance(61);
  expect_error(as.call(token_request(code_exchange("public", late)), main_conn()), 400, "invalid_grant");
}

TEST(AsAuthorize, ErrorsBeforeTheRedirectUriIsTrustedAreNotRedirected) {
  test_as as;  // RFC 6749 4.1.2.1
  auto unknown = as.call(authorize_request({{"response_type", "code"}, {"client_id", "nobody"}}), main_conn());
  EXPECT_EQ(unknown.status, 400);
  EXPECT_FALSE(unknown.headers.first("Location"));
  auto bad_uri = as.call(authorize_request({{"response_type", "code"}, {"client_id", "public"},
                                            {"redirect_uri", "https://evil.example/cb"}}),
                         main_conn());
  EXPECT_EQ(bad_uri.status, 400);
  EXPECT_FALSE(bad_uri.headers.first("Location"));
}

TEST(AsAuthorize, OtherErrorsAreRedirectedWithStateAndIss) {
  test_as as;
  auto no_pkce = as.call(authorize_request({{"response_type", "code"}, {"client_id", "public"}, {"state", "s1"}}),
                         main_conn());
  ASSERT_EQ(no_pkce.status, 302);
  auto p = redirect_params(no_pkce);
  EXPECT_EQ(p["error"], "invalid_request");  // public clients must use PKCE
  EXPECT_EQ(p["state"], "s1");
  EXPECT_EQ(p["iss"], issuer);  // RFC 9207
  auto plain = as.call(authorize_request({{"response_type", "code"}, {"client_id", "public"},
                                          {"code_challenge", pkce_verifier()}, {"code_challenge_method", "plain"}}),
                       main_conn());
  EXPECT_EQ(redirect_params(plain)["error"], "invalid_request");
  auto token = as.call(authorize_request({{"response_type", "token"}, {"client_id", "public"}}), main_conn());
  EXPECT_EQ(redirect_params(token)["error"], "unsupported_response_type");
  auto jkt = as.call(authorize_request({{"response_type", "code"}, {"client_id", "public"}, {"dpop_jkt", "short"},
                                        {"code_challenge", pkce_challenge()}, {"code_challenge_method", "S256"}}),
                     main_conn());
  EXPECT_EQ(redirect_params(jkt)["error"], "invalid_request");
}

TEST(AsAuthorize, SuccessRedirectsToTheRegisteredUriWithCodeAndState) {
  test_as as;
  auto res = as.call(authorize_request({{"response_type", "code"}, {"client_id", "public"}, {"state", "xyz"},
                                        {"code_challenge", pkce_challenge()}, {"code_challenge_method", "S256"}}),
                     main_conn());
  ASSERT_EQ(res.status, 302);
  EXPECT_EQ(res.headers.first("Location")->rfind("https://client.tether.test/cb?", 0), 0u);
  auto p = redirect_params(res);
  EXPECT_FALSE(p["code"].empty());
  EXPECT_EQ(p["state"], "xyz");
  EXPECT_EQ(as.last_event()["endpoint"], "authorize");
}

TEST(AsRefreshToken, ConfidentialClientRefreshesAndScopeOnlyNarrows) {
  test_as as;
  auto first = as.call(token_request({{"grant_type", "client_credentials"}, {"scope", "a b"}}, creds("confidential-dpop")),
                       main_conn());
  ASSERT_EQ(first.status, 200) << first.body;
  std::string rt = body(first)["refresh_token"];
  auto res = as.call(token_request({{"grant_type", "refresh_token"}, {"refresh_token", rt}, {"scope", "a"}},
                                   creds("confidential-dpop")),
                     main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body(res)["scope"], "a");
  expect_error(as.call(token_request({{"grant_type", "refresh_token"}, {"refresh_token", rt}, {"scope", "c"}},
                                     creds("confidential-dpop")),
                       main_conn()),
               400, "invalid_scope");
  expect_error(as.call(token_request({{"grant_type", "refresh_token"}, {"refresh_token", "nope"}}, creds("confidential-dpop")),
                       main_conn()),
               400, "invalid_grant");
  // Another client's refresh token.
  expect_error(as.call(token_request({{"grant_type", "refresh_token"}, {"refresh_token", rt}}, creds("dpop-bound")),
                       main_conn()),
               400, "invalid_grant");
}

TEST(AsConfig, MaxRefreshGrantsMustBePositive) {
  as_config c;
  c.max_refresh_grants = 0;
  auto s = validate(c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.err().message.find("max_refresh_grants"), std::string::npos);
}

}  // namespace
}  // namespace tether::as
