// One test per knob, named AsKnob.<knob>, each comparing the same request with the knob at its
// default and set: a knob that silently did nothing would fail its test. The listener knob
// (mtls_client_cert_mode) is tested over real TLS in e2e_test.cpp. AsKnobCoverage checks that
// every knob of the table has its test.

#include <set>

#include <openssl/evp.h>

#include "as_test_support.hpp"
#include "core/jose/base64url.hpp"
#include "core/jose/jwk.hpp"
#include "core/token/access_token.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

const form cc = {{"grant_type", "client_credentials"}};
std::pair<std::string, std::string> creds(const std::string& id) { return {id, secret_of(id)}; }
form cc_for(const std::string& id) { return {{"grant_type", "client_credentials"}, {"client_id", id}}; }

template <typename F>
as_config with(F set) {
  as_config c;
  set(c);
  return c;
}

bool names_knob(const json& event, const std::string& knob) {
  for (const auto& k : event["knobs"])
    if (k == knob) return true;
  return false;
}

http::response dpop_token(test_as& as, const std::string& client = "secret-basic", int key = 0,
                          const dpop::proof_defects& defects = {}) {
  return as.call(with_proof(token_request(cc, creds(client)), proof(as, token_url, key, std::nullopt, defects).compact),
                 main_conn());
}

http::response mtls_token(test_as& as, const std::string& cert_name = "client-a") {
  return as.call(token_request(cc_for("mtls-pki")), mtls_conn(cert_name));
}

json cnf_of(const http::response& res) { return jwt_claims(body(res)["access_token"].get<std::string>())["cnf"]; }

// --- settings ---------------------------------------------------------------------------------

TEST(AsKnob, require_nonce) {
  test_as plain;
  EXPECT_EQ(dpop_token(plain).status, 200);
  test_as strict(with([](as_config& c) { c.require_nonce = true; }));
  expect_error(dpop_token(strict), 400, "use_dpop_nonce");
}

TEST(AsKnob, token_format) {
  test_as jwt;
  EXPECT_TRUE(token::looks_like_jwt(
      body(jwt.call(token_request(cc, creds("secret-basic")), main_conn()))["access_token"].get<std::string>()));
  test_as opaque(with([](as_config& c) { c.token_format = "opaque"; }));
  auto res = opaque.call(token_request(cc, creds("secret-basic")), main_conn());
  ASSERT_EQ(res.status, 200);
  EXPECT_FALSE(token::looks_like_jwt(body(res)["access_token"].get<std::string>()));
}

TEST(AsKnob, signing_alg) {
  for (const char* alg : {"RS256", "PS256", "EdDSA"}) {
    test_as as(with([&](as_config& c) { c.signing_alg = alg; }));
    auto res = as.call(token_request(cc, creds("secret-basic")), main_conn());
    ASSERT_EQ(res.status, 200) << res.body;
    std::string token = body(res)["access_token"];
    EXPECT_EQ(jwt_header(token)["alg"], alg);
    auto keys = jose::jwk_set::parse(as.state().jwks());
    ASSERT_TRUE(keys);
    token::validation_policy policy;
    policy.issuer = issuer;
    policy.audience = "tether-rs";
    auto v = token::validate_jwt(token, *keys, policy, as.now());
    EXPECT_TRUE(v.ok()) << alg << ": " << v.detail;
  }
  test_as es;
  EXPECT_EQ(jwt_header(body(es.call(token_request(cc, creds("secret-basic")), main_conn()))["access_token"])["alg"], "ES256");
}

TEST(AsKnob, access_token_lifetime_s) {
  test_as as(with([](as_config& c) { c.access_token_lifetime_s = 60; }));
  auto res = as.call(token_request(cc, creds("secret-basic")), main_conn());
  EXPECT_EQ(body(res)["expires_in"], 60);
  json claims = jwt_claims(body(res)["access_token"]);
  EXPECT_EQ(claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>(), 60);
}

TEST(AsKnob, publish_mtls_aliases) {
  http::request req;
  req.target = "/.well-known/oauth-authorization-server";
  test_as with_aliases;
  EXPECT_TRUE(body(with_aliases.call(req, main_conn())).contains("mtls_endpoint_aliases"));
  test_as without(with([](as_config& c) { c.publish_mtls_aliases = false; }));
  EXPECT_FALSE(body(without.call(req, main_conn())).contains("mtls_endpoint_aliases"));
}

TEST(AsKnob, audience) {
  test_as as(with([](as_config& c) { c.audience = "https://rs.example"; }));
  EXPECT_EQ(jwt_claims(body(as.call(token_request(cc, creds("secret-basic")), main_conn()))["access_token"])["aud"],
            "https://rs.example");
}

TEST(AsKnob, nonce_lifetime_s) {
  auto after_90s = [](as_config c) {
    c.require_nonce = true;
    test_as as(c);
    std::string n = *as.call(with_proof(token_request(cc, creds("secret-basic")), proof(as).compact), main_conn())
                         .headers.first("DPoP-Nonce");
    as.advance(90);
    return as.call(with_proof(token_request(cc, creds("secret-basic")), proof(as, token_url, 0, n).compact), main_conn())
        .status;
  };
  EXPECT_EQ(after_90s(as_config{}), 200);
  EXPECT_EQ(after_90s(with([](as_config& c) { c.nonce_lifetime_s = 60; })), 400);
}

TEST(AsKnob, max_refresh_grants) {
  // Full, the store refuses to issue and never forgets a refresh token it issued.
  test_as as(with([](as_config& c) { c.max_refresh_grants = 2; }));
  auto ask = [&] { return as.call(token_request(cc, creds("secret-basic")), main_conn()); };
  std::vector<std::string> kept;
  for (int i = 0; i < 2; ++i) {
    auto res = ask();
    ASSERT_EQ(res.status, 200) << res.body;
    kept.push_back(body(res)["refresh_token"]);
  }
  // Full: nothing is issued (no access token either), and the answer says why.
  auto full = ask();
  expect_error(full, 503, "temporarily_unavailable");
  EXPECT_FALSE(body(full).contains("access_token"));
  EXPECT_NE(body(full)["error_description"].get<std::string>().find("max_refresh_grants"), std::string::npos);
  EXPECT_EQ(as.state().grants.refresh_count(), 2u);
  // The tokens already issued still work: none was dropped to make room.
  for (const auto& rt : kept) {
    auto res = as.call(token_request({{"grant_type", "refresh_token"}, {"refresh_token", rt}}, creds("secret-basic")),
                       main_conn());
    EXPECT_EQ(res.status, 200) << res.body;
  }
  // A client without refresh tokens is not concerned.
  form f = {{"grant_type", "client_credentials"}, {"client_id", "secret-post"}, {"client_secret", secret_of("secret-post")}};
  EXPECT_EQ(as.call(token_request(f), main_conn()).status, 200);
  // Once they expire (24 h), there is room again.
  as.advance(24 * 3600 + 1);
  EXPECT_EQ(ask().status, 200);
  EXPECT_EQ(as.state().grants.refresh_count(), 1u);
}

// --- emulates ---------------------------------------------------------------------------------

http::response both(test_as& as) {
  return as.call(with_proof(token_request(cc_for("mtls-pki")), proof(as, mtls_token_url).compact), mtls_conn("client-a"));
}

TEST(AsKnob, mtls_and_dpop) {
  test_as reject;
  expect_error(both(reject), 400, "invalid_request");

  test_as both_as(with([](as_config& c) { c.mtls_and_dpop = "bind_both"; }));
  auto res = both(both_as);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(cnf_of(res), json({{"x5t#S256", x5t_of("client-a")}, {"jkt", dpop_key(0).thumbprint()}}));
  EXPECT_EQ(body(res)["token_type"], "DPoP");
  EXPECT_TRUE(names_knob(both_as.last_event(), "mtls_and_dpop"));

  test_as dpop_only(with([](as_config& c) { c.mtls_and_dpop = "dpop_only"; }));
  res = both(dpop_only);
  EXPECT_EQ(cnf_of(res), json({{"jkt", dpop_key(0).thumbprint()}}));
  EXPECT_EQ(body(res)["token_type"], "DPoP");

  test_as mtls_only(with([](as_config& c) { c.mtls_and_dpop = "mtls_only"; }));
  res = both(mtls_only);
  EXPECT_EQ(cnf_of(res), json({{"x5t#S256", x5t_of("client-a")}}));
  EXPECT_EQ(body(res)["token_type"], "Bearer");
}

TEST(AsKnob, missing_cert_policy) {
  test_as strict;
  expect_error(strict.call(token_request(cc, creds("mtls-bound-secret")), main_conn()), 400, "invalid_request");
  test_as lenient(with([](as_config& c) { c.missing_cert_policy = "issue_unbound"; }));
  auto res = lenient.call(token_request(cc, creds("mtls-bound-secret")), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(cnf_of(res).is_null());
  EXPECT_TRUE(names_knob(lenient.last_event(), "missing_cert_policy"));
}

TEST(AsKnob, missing_cert_error) {
  for (const char* code : {"invalid_grant", "invalid_client", "unauthorized_client"}) {
    test_as as(with([&](as_config& c) { c.missing_cert_error = code; }));
    auto res = as.call(token_request(cc, creds("mtls-bound-secret")), main_conn());
    // invalid_client keeps RFC 6749 5.2's rule: the client used the Authorization header.
    expect_error(res, std::string(code) == "invalid_client" ? 401 : 400, code);
    EXPECT_TRUE(names_knob(as.last_event(), "missing_cert_error"));
  }
}

TEST(AsKnob, bad_proof_error) {
  dpop::proof_defects broken;
  broken.bad_signature = true;
  test_as rfc;
  expect_error(dpop_token(rfc, "secret-basic", 0, broken), 400, "invalid_dpop_proof");
  test_as kc(with([](as_config& c) { c.bad_proof_error = "invalid_request"; }));
  expect_error(dpop_token(kc, "secret-basic", 0, broken), 400, "invalid_request");
  EXPECT_TRUE(names_knob(kc.last_event(), "bad_proof_error"));
}

http::response mismatched_jkt(test_as& as) {
  std::string code = authorize(as, "public", {{"dpop_jkt", dpop_key(0).thumbprint()}});
  return as.call(with_proof(token_request(code_exchange("public", code)), proof(as, token_url, 1).compact), main_conn());
}

TEST(AsKnob, dpop_jkt_mismatch_error) {
  test_as def;
  expect_error(mismatched_jkt(def), 400, "invalid_grant");
  for (const char* code : {"invalid_request", "invalid_dpop_proof"}) {
    test_as as(with([&](as_config& c) { c.dpop_jkt_mismatch_error = code; }));
    expect_error(mismatched_jkt(as), 400, code);
    EXPECT_TRUE(names_knob(as.last_event(), "dpop_jkt_mismatch_error"));
  }
}

TEST(AsKnob, dpop_bound_without_proof_error) {
  test_as def;
  expect_error(def.call(token_request(cc, creds("dpop-bound")), main_conn()), 400, "invalid_request");
  for (const char* code : {"invalid_dpop_proof", "invalid_grant", "unauthorized_client"}) {
    test_as as(with([&](as_config& c) { c.dpop_bound_without_proof_error = code; }));
    expect_error(as.call(token_request(cc, creds("dpop-bound")), main_conn()), 400, code);
  }
}

TEST(AsKnob, dpop_max_age_s) {
  dpop::proof_defects minute_old;
  minute_old.iat_offset_s = -60;
  test_as def;
  EXPECT_EQ(dpop_token(def, "secret-basic", 0, minute_old).status, 200);
  test_as kc(with([](as_config& c) { c.dpop_max_age_s = 25; }));
  expect_error(dpop_token(kc, "secret-basic", 0, minute_old), 400, "invalid_dpop_proof");
  EXPECT_EQ(kc.last_event()["dpop"]["check"], "iat_too_old");
}

TEST(AsKnob, dpop_max_future_s) {
  dpop::proof_defects ahead;
  ahead.iat_offset_s = 20;
  test_as def;
  EXPECT_EQ(dpop_token(def, "secret-basic", 0, ahead).status, 200);
  test_as strict(with([](as_config& c) { c.dpop_max_future_s = 5; }));
  expect_error(dpop_token(strict, "secret-basic", 0, ahead), 400, "invalid_dpop_proof");
  EXPECT_EQ(strict.last_event()["dpop"]["check"], "iat_in_future");
}

TEST(AsKnob, clock_offset_s) {
  test_as as(with([](as_config& c) { c.clock_offset_s = 3600; }));
  auto res = as.call(token_request(cc, creds("secret-basic")), main_conn());
  EXPECT_EQ(jwt_claims(body(res)["access_token"])["iat"], as.now() + 3600);
  EXPECT_TRUE(names_knob(as.last_event(), "clock_offset_s"));
  // A proof made at the true time is an hour old to this AS.
  expect_error(dpop_token(as), 400, "invalid_dpop_proof");
}

// --- breaks -----------------------------------------------------------------------------------

TEST(AsKnob, omit_cnf) {
  test_as as(with([](as_config& c) { c.omit_cnf = true; }));
  auto mtls = mtls_token(as);
  ASSERT_EQ(mtls.status, 200);
  EXPECT_TRUE(cnf_of(mtls).is_null());
  EXPECT_TRUE(names_knob(as.last_event(), "omit_cnf"));
  auto dpop = dpop_token(as);
  EXPECT_TRUE(cnf_of(dpop).is_null());
  EXPECT_EQ(body(dpop)["token_type"], "DPoP");
}

// The header's typ, read from the first part of the token without verifying it.
std::string typ_of(const http::response& res) {
  std::string token = body(res)["access_token"].get<std::string>();
  auto header = jose::base64url_decode(token.substr(0, token.find('.')));
  return json::parse(*header)["typ"].get<std::string>();
}

TEST(AsKnob, plain_jwt_typ_client) {
  test_as correct(with([](as_config&) {}));
  EXPECT_EQ(typ_of(mtls_token(correct)), "at+jwt");
  test_as as(with([](as_config& c) { c.plain_jwt_typ_client = "mtls-pki"; }));
  EXPECT_EQ(typ_of(mtls_token(as)), "JWT");
  EXPECT_TRUE(names_knob(as.last_event(), "plain_jwt_typ_client"));
  // Other clients keep at+jwt: the scenario's control depends on it.
  EXPECT_EQ(typ_of(dpop_token(as)), "at+jwt");
}

TEST(AsKnob, pad_x5t) {
  test_as as(with([](as_config& c) { c.pad_x5t = true; }));
  EXPECT_EQ(cnf_of(mtls_token(as))["x5t#S256"], x5t_of("client-a") + "=");
  EXPECT_TRUE(names_knob(as.last_event(), "pad_x5t"));
}

TEST(AsKnob, x5t_standard_base64) {
  // The standard-alphabet encoding of SHA-256(DER), computed here with OpenSSL.
  std::string der = cert("client-a").der();
  unsigned char digest[32];
  unsigned int size = 0;
  ASSERT_EQ(EVP_Digest(der.data(), der.size(), digest, &size, EVP_sha256(), nullptr), 1);
  unsigned char encoded[64] = {};
  int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(size));
  std::string expected(reinterpret_cast<char*>(encoded), static_cast<std::size_t>(n));
  ASSERT_EQ(expected.back(), '=');

  test_as as(with([](as_config& c) { c.x5t_standard_base64 = true; }));
  json cnf = cnf_of(mtls_token(as));
  EXPECT_EQ(cnf["x5t#S256"], expected);
  EXPECT_NE(cnf["x5t#S256"], x5t_of("client-a"));
}

TEST(AsKnob, token_type_bearer_for_dpop) {
  test_as as(with([](as_config& c) {
    c.token_type_bearer_for_dpop = true;
    c.token_format = "opaque";
  }));
  auto res = dpop_token(as);
  EXPECT_EQ(body(res)["token_type"], "Bearer");
  EXPECT_TRUE(names_knob(as.last_event(), "token_type_bearer_for_dpop"));
  http::request intro = post_form("/introspect", {{"token", body(res)["access_token"]}});
  intro.headers.add("Authorization", basic_header("rs", secret_of("rs")));
  json info = body(as.call(intro, main_conn()));
  EXPECT_EQ(info["cnf"]["jkt"], dpop_key(0).thumbprint());  // still bound
}

TEST(AsKnob, accept_invalid_proof) {
  dpop::proof_defects broken;
  broken.bad_signature = true;
  test_as as(with([](as_config& c) { c.accept_invalid_proof = true; }));
  auto res = dpop_token(as, "secret-basic", 0, broken);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(cnf_of(res)["jkt"], dpop_key(0).thumbprint());
  EXPECT_EQ(as.last_event()["dpop"]["check"], "bad_signature");
  EXPECT_TRUE(names_knob(as.last_event(), "accept_invalid_proof"));
}

TEST(AsKnob, skip_chain_validation) {
  test_as as(with([](as_config& c) { c.skip_chain_validation = true; }));
  for (const char* name : {"client-other-ca", "client-expired"}) {
    auto res = mtls_token(as, name);
    ASSERT_EQ(res.status, 200) << name << ": " << res.body;
    EXPECT_TRUE(names_knob(as.last_event(), "skip_chain_validation"));
  }
  // Still checks the subject.
  expect_error(mtls_token(as, "client-b"), 400, "invalid_client");
}

TEST(AsKnob, skip_subject_check) {
  test_as as(with([](as_config& c) { c.skip_subject_check = true; }));
  auto res = mtls_token(as, "client-b");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(cnf_of(res)["x5t#S256"], x5t_of("client-b"));
  EXPECT_TRUE(names_knob(as.last_event(), "skip_subject_check"));
  expect_error(mtls_token(as, "client-other-ca"), 400, "invalid_client");  // chain still checked
}

TEST(AsKnob, ignore_dpop_bound) {
  test_as as(with([](as_config& c) { c.ignore_dpop_bound = true; }));
  auto res = as.call(token_request(cc, creds("dpop-bound")), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body(res)["token_type"], "Bearer");
  EXPECT_TRUE(names_knob(as.last_event(), "ignore_dpop_bound"));
}

TEST(AsKnob, skip_refresh_binding_check) {
  test_as as(with([](as_config& c) { c.skip_refresh_binding_check = true; }));
  std::string code = authorize(as, "public");
  auto first = as.call(with_proof(token_request(code_exchange("public", code)), proof(as, token_url, 0).compact),
                       main_conn());
  form refresh = {{"grant_type", "refresh_token"}, {"client_id", "public"}, {"refresh_token", body(first)["refresh_token"]}};
  auto res = as.call(with_proof(token_request(refresh), proof(as, token_url, 1).compact), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(names_knob(as.last_event(), "skip_refresh_binding_check"));
}

TEST(AsKnob, skip_dpop_jkt_check) {
  test_as as(with([](as_config& c) { c.skip_dpop_jkt_check = true; }));
  auto res = mismatched_jkt(as);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(cnf_of(res)["jkt"], dpop_key(1).thumbprint());
  EXPECT_TRUE(names_knob(as.last_event(), "skip_dpop_jkt_check"));
}

TEST(AsKnob, introspection_omit_cnf) {
  auto introspected_cnf = [](as_config c) {
    c.token_format = "opaque";
    test_as as(c);
    auto res = dpop_token(as);
    http::request intro = post_form("/introspect", {{"token", body(res)["access_token"]}});
    intro.headers.add("Authorization", basic_header("rs", secret_of("rs")));
    return body(as.call(intro, main_conn())).value("cnf", json());
  };
  EXPECT_EQ(introspected_cnf(as_config{})["jkt"], dpop_key(0).thumbprint());
  EXPECT_TRUE(introspected_cnf(with([](as_config& c) { c.introspection_omit_cnf = true; })).is_null());
}

TEST(AsKnob, no_replay_cache) {
  test_as as(with([](as_config& c) { c.no_replay_cache = true; }));
  auto p = proof(as);
  EXPECT_EQ(as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn()).status, 200);
  auto again = as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(as.last_event()["dpop"]["check"], "replayed");
  EXPECT_TRUE(names_knob(as.last_event(), "no_replay_cache"));
}

TEST(AsKnob, replay_key_whole_proof) {
  // A fresh proof (another iat, another signature) with the jti of one the AS has accepted.
  auto jti_reuse = [](as_config c) {
    test_as as(c);
    dpop::proof_defects same_jti;
    same_jti.jti = "jti-used-once";
    auto first = proof(as, token_url, 0, std::nullopt, same_jti);
    EXPECT_EQ(as.call(with_proof(token_request(cc, creds("secret-basic")), first.compact), main_conn()).status, 200);
    dpop::proof_defects fresh = same_jti;
    fresh.iat_offset_s = -1;
    auto second = proof(as, token_url, 0, std::nullopt, fresh);
    EXPECT_NE(second.compact, first.compact);
    auto res = as.call(with_proof(token_request(cc, creds("secret-basic")), second.compact), main_conn());
    return std::make_pair(res.status, as.last_event());
  };
  auto [correct_status, correct_event] = jti_reuse(as_config{});
  EXPECT_EQ(correct_status, 400);
  EXPECT_EQ(correct_event["dpop"]["check"], "replayed");
  auto [broken_status, broken_event] = jti_reuse(with([](as_config& c) { c.replay_key_whole_proof = true; }));
  EXPECT_EQ(broken_status, 200);
  EXPECT_TRUE(names_knob(broken_event, "replay_key_whole_proof"));

  // The identical proof is still refused, and then the knob changed nothing.
  test_as as(with([](as_config& c) { c.replay_key_whole_proof = true; }));
  auto p = proof(as);
  EXPECT_EQ(as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn()).status, 200);
  EXPECT_FALSE(names_knob(as.last_event(), "replay_key_whole_proof"));
  auto again = as.call(with_proof(token_request(cc, creds("secret-basic")), p.compact), main_conn());
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(as.last_event()["dpop"]["check"], "replayed");
  EXPECT_FALSE(names_knob(as.last_event(), "replay_key_whole_proof"));
}

TEST(AsKnob, skip_nonce_check) {
  test_as as(with([](as_config& c) {
    c.require_nonce = true;
    c.skip_nonce_check = true;
  }));
  auto res = dpop_token(as);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(res.headers.first("DPoP-Nonce"));  // still hands nonces out
  EXPECT_TRUE(names_knob(as.last_event(), "skip_nonce_check"));
}

// Every knob in the table has a test named AsKnob.<name> in this program.
TEST(AsKnobCoverage, EveryKnobHasATest) {
  std::set<std::string> tested;
  const auto* unit = ::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit->total_test_suite_count(); ++i) {
    const auto* suite = unit->GetTestSuite(i);
    if (std::string(suite->name()) != "AsKnob") continue;
    for (int j = 0; j < suite->total_test_count(); ++j) tested.insert(suite->GetTestInfo(j)->name());
  }
  for (const auto& k : knobs().describe())
    EXPECT_TRUE(tested.count(k["name"].get<std::string>())) << "knob " << k["name"] << " has no AsKnob." << k["name"].get<std::string>() << " test";
}

}  // namespace
}  // namespace tether::as
