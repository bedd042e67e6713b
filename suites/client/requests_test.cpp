// What goes on the wire for each action, read from the prepared request before any socket:
// client authentication per method (RFC 6749 2.3.1 example as a known answer), form overrides,
// PKCE (RFC 7636 appendix B as a known answer), token placement, forwarded certificates, and
// the shell's --defect values.

#include <gtest/gtest.h>

#include "core/dpop/proof_builder.hpp"
#include "core/http/message.hpp"
#include "core/tls/certificate.hpp"
#include "mocks/client/requests.hpp"
#include "mocks/client/shell_commands.hpp"
#include "support.hpp"

namespace tether::client {
namespace {

using nlohmann::json;

std::multimap<std::string, std::string> form_of(const prepared_request& p) { return http::parse_form(p.req.body); }

resolved_step token_step(const std::string& method) {
  resolved_step s;
  s.name = "tok";
  s.action = "token";
  s.url = "https://as.example/token";
  s.trace = "trace-1";
  s.client = {"cid", method, std::string("sec ret")};
  return s;
}

TEST(Requests, BasicCredentialsKnownAnswerRfc6749) {
  // RFC 6749 2.3.1: "Authorization: Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3".
  EXPECT_EQ(basic_credentials("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw"), "czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
  // Form-encoded before joining: "a b" -> "a+b", ':' -> "%3A" (base64 of "a+b:x%3Ay").
  EXPECT_EQ(basic_credentials("a b", "x:y"), "YStiOnglM0F5");
}

TEST(Requests, TokenWithEachAuthMethod) {
  auto basic = prepare_token(token_step("client_secret_basic"));
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->req.method, "POST");
  EXPECT_EQ(basic->req.headers.first("Authorization"), "Basic " + basic_credentials("cid", "sec ret"));
  EXPECT_EQ(form_of(*basic).count("client_id"), 0u);
  EXPECT_EQ(basic->req.headers.first("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(basic->req.headers.first("Tether-Trace"), "trace-1");

  auto post = prepare_token(token_step("client_secret_post"));
  ASSERT_TRUE(post.ok());
  auto f = form_of(*post);
  EXPECT_EQ(f.find("client_secret")->second, "sec ret");
  EXPECT_EQ(f.find("client_id")->second, "cid");
  EXPECT_FALSE(post->req.headers.first("Authorization").has_value());

  // RFC 8705 2: client_id in every request authenticated with a certificate.
  for (const char* m : {"tls_client_auth", "self_signed_tls_client_auth", "none"}) {
    auto p = prepare_token(token_step(m));
    ASSERT_TRUE(p.ok());
    auto form = form_of(*p);
    EXPECT_EQ(form.find("client_id")->second, "cid") << m;
    EXPECT_EQ(form.count("client_secret"), 0u) << m;
    EXPECT_FALSE(p->req.headers.first("Authorization").has_value()) << m;
  }
}

TEST(Requests, TokenGrantsAndOverrides) {
  resolved_step s = token_step("none");
  s.grant = "authorization_code";
  s.code = "c0de";
  s.code_verifier = "v";
  s.redirect_uri = "https://client/cb";
  s.params = {{"scope", "a b"}, {"resource", "https://rs/"}};
  s.omit_params = {"client_id"};
  auto p = prepare_token(s);
  ASSERT_TRUE(p.ok());
  auto f = form_of(*p);
  EXPECT_EQ(f.find("grant_type")->second, "authorization_code");
  EXPECT_EQ(f.find("code")->second, "c0de");
  EXPECT_EQ(f.find("redirect_uri")->second, "https://client/cb");
  EXPECT_EQ(f.find("code_verifier")->second, "v");
  EXPECT_EQ(f.find("scope")->second, "a b");
  EXPECT_EQ(f.count("client_id"), 0u);
  // Without a redirect_uri in the authorization request, none in the token request (6749 4.1.3).
  s.redirect_uri = "";
  EXPECT_EQ(form_of(*prepare_token(s)).count("redirect_uri"), 0u);

  s = token_step("client_secret_post");
  s.grant = "refresh_token";
  s.refresh_token = "rt";
  s.params = {{"client_secret", "wrong"}};
  auto r = prepare_token(s);
  auto rf = form_of(*r);
  EXPECT_EQ(rf.find("refresh_token")->second, "rt");
  EXPECT_EQ(rf.count("client_secret"), 1u);  // replaced, not repeated
  EXPECT_EQ(rf.find("client_secret")->second, "wrong");
  EXPECT_FALSE(r->proof.has_value());
  s.dpop = proof_options{};
  auto withproof = prepare_token(s);
  ASSERT_TRUE(withproof->proof.has_value());
  EXPECT_EQ(withproof->proof->htm, "POST");
  EXPECT_EQ(withproof->proof->htu, "https://as.example/token");
  EXPECT_FALSE(withproof->proof->access_token.has_value());
}

TEST(Requests, PkceS256KnownAnswerRfc7636) {
  // RFC 7636 appendix B: the S256 transform the authorize request uses.
  EXPECT_EQ(dpop::access_token_hash("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Requests, AuthorizeQuery) {
  resolved_step s;
  s.name = "az";
  s.action = "authorize";
  s.url = "https://as.example/authorize";
  s.client = {"public", "none", std::nullopt};
  s.dpop_jkt = {{"key", "k9"}};
  s.params = {{"redirect_uri", "https://client.tether.test/cb"}};
  run_state state;
  authorize_secrets secrets;
  auto p = prepare_authorize(s, state, secrets);
  ASSERT_TRUE(p.ok()) << p.err().message;
  EXPECT_EQ(p->req.method, "GET");
  auto q = http::parse_form(p->url.substr(p->url.find('?') + 1));
  EXPECT_EQ(q.find("response_type")->second, "code");
  EXPECT_EQ(q.find("client_id")->second, "public");
  EXPECT_EQ(q.find("code_challenge_method")->second, "S256");
  ASSERT_TRUE(secrets.code_verifier.has_value());
  EXPECT_GE(secrets.code_verifier->size(), 43u);  // RFC 7636 4.1
  EXPECT_EQ(q.find("code_challenge")->second, dpop::access_token_hash(*secrets.code_verifier));
  ASSERT_NE(state.find_key("k9"), nullptr);  // created for dpop_jkt
  EXPECT_EQ(q.find("dpop_jkt")->second, state.find_key("k9")->thumbprint());
  EXPECT_EQ(q.find("state")->second, secrets.state);
  EXPECT_EQ(secrets.redirect_uri, "https://client.tether.test/cb");

  s.pkce = false;
  s.dpop_jkt = "literal";
  authorize_secrets s2;
  auto p2 = prepare_authorize(s, state, s2);
  auto q2 = http::parse_form(p2->url.substr(p2->url.find('?') + 1));
  EXPECT_EQ(q2.count("code_challenge"), 0u);
  EXPECT_EQ(q2.find("dpop_jkt")->second, "literal");
  EXPECT_NE(s2.state, secrets.state);
}

TEST(Requests, AuthorizationResponseIsReadFromLocation) {
  authorize_secrets secrets;
  secrets.state = "st";
  secrets.code_verifier = "ver";
  http::response res;
  res.status = 302;
  res.headers.add("Location", "https://client.tether.test/cb?code=abc%2Bd&state=st&iss=https%3A%2F%2Fas");
  json a = authorization_json(res, secrets);
  EXPECT_EQ(a["code"], "abc+d");
  EXPECT_EQ(a["state_matches"], true);
  EXPECT_EQ(a["iss"], "https://as");
  EXPECT_EQ(a["code_verifier"], "ver");
  EXPECT_TRUE(a["redirect_uri"].is_null());

  res.headers.set("Location", "https://client.tether.test/cb?error=access_denied&state=other");
  a = authorization_json(res, secrets);
  EXPECT_EQ(a["error"], "access_denied");
  EXPECT_TRUE(a["code"].is_null());
  EXPECT_EQ(a["state_matches"], false);
}

resolved_step resource_step() {
  resolved_step s;
  s.name = "res";
  s.action = "resource";
  s.url = "https://rs.example/resource?x=1#frag";
  s.access_token = "AT";
  s.token_type = "DPoP";
  return s;
}

TEST(Requests, ResourceTokenPlacement) {
  resolved_step s = resource_step();
  auto p = prepare_resource(s);
  EXPECT_EQ(p->req.headers.first("Authorization"), "DPoP AT");  // auto: DPoP token -> DPoP (9449 7.1)
  EXPECT_TRUE(p->req.body.empty());

  s.token_type = "Bearer";
  EXPECT_EQ(prepare_resource(s)->req.headers.first("Authorization"), "Bearer AT");
  s.token_type = std::nullopt;
  s.dpop = proof_options{};
  EXPECT_EQ(prepare_resource(s)->req.headers.first("Authorization"), "DPoP AT");

  s.scheme = "none";
  EXPECT_EQ(prepare_resource(s)->req.headers.count("Authorization"), 0u);
  s.scheme = "MAC";
  s.authorization_headers = 2;
  auto two = prepare_resource(s);
  EXPECT_EQ(two->req.headers.all("Authorization"), (std::vector<std::string>{"MAC AT", "MAC AT"}));
  EXPECT_EQ(two->observed["authorization"]["count"], 2);

  s = resource_step();
  s.token_in = "body";
  s.method = "POST";
  auto body = prepare_resource(s);
  EXPECT_EQ(body->req.body, "access_token=AT");
  EXPECT_EQ(body->req.headers.count("Authorization"), 0u);
  s.token_in = "header_and_body";
  auto both = prepare_resource(s);
  EXPECT_EQ(both->req.body, "access_token=AT");
  EXPECT_EQ(both->req.headers.count("Authorization"), 1u);
  s.token_in = "query";
  auto query = prepare_resource(s);
  EXPECT_EQ(query->url, "https://rs.example/resource?x=1&access_token=AT#frag");

  s = resource_step();
  s.access_token = std::nullopt;
  EXPECT_EQ(prepare_resource(s)->req.headers.count("Authorization"), 0u);
}

TEST(Requests, ResourceProofTargetAndExtraHeaders) {
  resolved_step s = resource_step();
  s.method = "PUT";
  s.dpop = proof_options{};
  s.headers = {{"X-One", "1"}, {"X-One", "2"}};
  auto p = prepare_resource(s);
  ASSERT_TRUE(p->proof.has_value());
  EXPECT_EQ(p->proof->htm, "PUT");
  EXPECT_EQ(p->proof->access_token, "AT");
  EXPECT_EQ(p->req.headers.all("X-One"), (std::vector<std::string>{"1", "2"}));
}

TEST(Requests, ForwardedCertificateInEachFormat) {
  auto cert = tls::certificate::load_file(testing::certs_dir() + "/client-a.crt");
  ASSERT_TRUE(cert.ok());
  for (auto format : {tls::forwarded_format::rfc9440, tls::forwarded_format::xfcc, tls::forwarded_format::escaped_pem,
                      tls::forwarded_format::base64_der}) {
    resolved_step s = resource_step();
    forwarded_cert_options f;
    f.format = format;
    f.cert_name = "client-a";
    f.cert_file = testing::certs_dir() + "/client-a.crt";
    s.forwarded_cert = f;
    auto p = prepare_resource(s);
    ASSERT_TRUE(p.ok()) << p.err().message;
    auto values = p->req.headers.all(tls::default_header_name(format));
    ASSERT_EQ(values.size(), 1u);
    // Read back with the RS's parser: the same certificate comes out.
    auto back = tls::parse_forwarded_certificate(format, values);
    ASSERT_TRUE(back.ok()) << tls::to_string(format) << ": " << back.err().message;
    EXPECT_EQ(back->x5t_s256(), testing::manifest_x5t("client-a"));
    EXPECT_EQ(p->observed["forwarded_cert"]["format"], tls::to_string(format));
  }
  resolved_step s = resource_step();
  forwarded_cert_options literal;
  literal.value = "";
  s.forwarded_cert = literal;
  auto p = prepare_resource(s);
  EXPECT_EQ(p->req.headers.all("Client-Cert"), std::vector<std::string>{""});
  literal.value.reset();
  literal.cert_file = "/nonexistent.crt";
  s.forwarded_cert = literal;
  EXPECT_FALSE(prepare_resource(s).ok());
}

TEST(Requests, Overrides) {
  string_pairs base = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  auto out = with_overrides(base, {{"a", "x"}, {"c", "4"}}, {"b"});
  EXPECT_EQ(out, (string_pairs{{"a", "x"}, {"a", "3"}, {"c", "4"}}));
}


TEST(ShellDefects, ValuesTakeTheTypeTheDefectWants) {
  auto d = defects_from_assignments({"htm=PUT", "jti=123", "iat_offset_s=-600", "bad_signature=true",
                                     "omit_claims=[\"ath\",\"nonce\"]", "extra_claims={\"x\":1}"});
  ASSERT_TRUE(d.ok()) << d.err().message;
  EXPECT_EQ((*d)["htm"], "PUT");
  EXPECT_EQ((*d)["jti"], "123");  // jti is text: the number stays as written
  EXPECT_EQ((*d)["iat_offset_s"], -600);
  EXPECT_EQ((*d)["bad_signature"], true);
  EXPECT_EQ((*d)["omit_claims"], json::array({"ath", "nonce"}));
  EXPECT_EQ((*d)["extra_claims"]["x"], 1);
  EXPECT_TRUE(dpop::proof_defects::from_json(*d).ok());
  EXPECT_FALSE(defects_from_assignments({"novalue"}).ok());
  EXPECT_FALSE(dpop::proof_defects::from_json(*defects_from_assignments({"athh=1"})).ok());
}


// Scenarios cannot know the ephemeral port they will call, so htu defects name parts of the
// correct htu; the expected strings are written out by hand from the request URL.
TEST(HtuPattern, ExpandsEachPartOfTheRequestUrl) {
  const std::string url = "https://127.0.0.1:40123/scoped/read/x?q=1#f";
  EXPECT_EQ(*expand_htu_pattern("{url}", url), "https://127.0.0.1:40123/scoped/read/x");
  EXPECT_EQ(*expand_htu_pattern("{origin}/other", url), "https://127.0.0.1:40123/other");
  EXPECT_EQ(*expand_htu_pattern("HTTPS://{host}:{port}{path}", url), "HTTPS://127.0.0.1:40123/scoped/read/x");
  EXPECT_EQ(*expand_htu_pattern("{scheme}://{host}:{port}/a/../{path}", url),
            "https://127.0.0.1:40123/a/..//scoped/read/x");
  EXPECT_EQ(*expand_htu_pattern("https://other.example/x", url), "https://other.example/x");
  // {authority} keeps the port only when the URL has one (an RS on 443 is reached without).
  EXPECT_EQ(*expand_htu_pattern("http://{authority}{path}", url), "http://127.0.0.1:40123/scoped/read/x");
  EXPECT_EQ(*expand_htu_pattern("http://{authority}{path}", "https://rs.example/r"), "http://rs.example/r");
  EXPECT_EQ(*expand_htu_pattern("http://{host}:{port}{path}", "https://rs.example/r"), "http://rs.example:/r");
}

TEST(HtuPattern, UnknownPlaceholderIsAnErrorNamingIt) {
  auto r = expand_htu_pattern("{origin}{query}", "https://127.0.0.1:1/x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("{query}"), std::string::npos) << r.err().message;
}

}  // namespace
}  // namespace tether::client
