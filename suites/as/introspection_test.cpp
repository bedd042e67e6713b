// RFC 7662 introspection with the binding as a top-level cnf (RFC 8705 3.2, RFC 9449 6.2).

#include "as_test_support.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

const form cc = {{"grant_type", "client_credentials"}};
std::pair<std::string, std::string> creds(const std::string& id) { return {id, secret_of(id)}; }

as_config opaque() {
  as_config c;
  c.token_format = "opaque";
  return c;
}

http::request introspect(const std::string& token, const std::string& client = "rs") {
  http::request r = post_form("/introspect", {{"token", token}});
  r.headers.add("Authorization", basic_header(client, secret_of(client)));
  return r;
}

TEST(AsIntrospection, OpaqueDpopTokenShowsJktAndDpopType) {
  test_as as(opaque());
  auto res = as.call(with_proof(token_request(cc, creds("secret-basic")), proof(as).compact), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  std::string token = body(res)["access_token"];
  EXPECT_EQ(token.find('.'), std::string::npos);  // opaque
  auto info = as.call(introspect(token), main_conn());
  ASSERT_EQ(info.status, 200) << info.body;
  json b = body(info);
  EXPECT_EQ(b["active"], true);
  EXPECT_EQ(b["token_type"], "DPoP");
  EXPECT_EQ(b["cnf"], json({{"jkt", dpop_key(0).thumbprint()}}));
  EXPECT_EQ(b["client_id"], "secret-basic");
  EXPECT_EQ(b["sub"], "secret-basic");
  EXPECT_EQ(b["iss"], issuer);
  EXPECT_EQ(b["aud"], "tether-rs");
  EXPECT_EQ(b["exp"], as.now() + 300);
  EXPECT_EQ(info.headers.first("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(as.last_event()["endpoint"], "introspect");
  EXPECT_EQ(as.last_event()["introspected"]["cnf"]["jkt"], dpop_key(0).thumbprint());
}

TEST(AsIntrospection, CertificateBoundTokenShowsX5tAndBearerType) {
  test_as as(opaque());
  auto res = as.call(token_request({{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}, {"scope", "read"}}),
                     mtls_conn("client-a"));
  ASSERT_EQ(res.status, 200) << res.body;
  json b = body(as.call(introspect(body(res)["access_token"]), main_conn()));
  EXPECT_EQ(b["active"], true);
  EXPECT_EQ(b["token_type"], "Bearer");
  EXPECT_EQ(b["scope"], "read");
  EXPECT_EQ(b["cnf"], json({{"x5t#S256", x5t_of("client-a")}}));
}

TEST(AsIntrospection, JwtTokensAreIntrospectableToo) {
  test_as as;
  auto res = as.call(token_request(cc, creds("secret-basic")), main_conn());
  json b = body(as.call(introspect(body(res)["access_token"]), main_conn()));
  EXPECT_EQ(b["active"], true);
  EXPECT_FALSE(b.contains("cnf"));
}

TEST(AsIntrospection, UnknownAndExpiredTokensAreInactive) {
  test_as as(opaque());
  EXPECT_EQ(body(as.call(introspect("no-such-token"), main_conn())), json({{"active", false}}));
  auto res = as.call(token_request(cc, creds("secret-basic")), main_conn());
  as.advance(301);
  EXPECT_EQ(body(as.call(introspect(body(res)["access_token"]), main_conn())), json({{"active", false}}));
}

TEST(AsIntrospection, OnlyTheResourceServerClientMayAsk) {
  test_as as(opaque());
  auto wrong = post_form("/introspect", {{"token", "x"}});
  wrong.headers.add("Authorization", basic_header("rs", "wrong"));
  expect_error(as.call(wrong, main_conn()), 401, "invalid_client");
  expect_error(as.call(introspect("x", "secret-basic"), main_conn()), 401, "invalid_client");
  expect_error(as.call(post_form("/introspect", {{"token", "x"}}), main_conn()), 400, "invalid_client");
  expect_error(as.call(introspect(""), main_conn()), 400, "invalid_request");
}

}  // namespace
}  // namespace tether::as
