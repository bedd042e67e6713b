// Access token validation at the RS: RFC 9068 4 (signature, typ, iss, aud, exp) against the
// JWKS with reload on an unknown kid, RFC 7662 introspection, the size bound, and the cache that
// never replaces the binding checks.

#include <atomic>

#include <gtest/gtest.h>

#include "core/jose/base64url.hpp"
#include "mocks/rs/introspection.hpp"
#include "mocks/rs/token_validation.hpp"
#include "core/jose/jws.hpp"
#include "core/tls/forwarded_cert.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(TokenValidation, ValidBearerTokenIsAccepted) {
  world w;
  answer a = w.call(bearer(bearer_token()));
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["subject"], "user-1");
  EXPECT_EQ(a.body["client_id"], "c-1");
  EXPECT_EQ(a.body["scope"], nlohmann::json::array({"read", "write"}));
  EXPECT_EQ(w.event()["token"]["valid"], true);
  EXPECT_EQ(w.event()["token"]["format"], "jwt");
}

struct bad_token_case {
  const char* name;
  std::function<std::string()> make;
  const char* check;
};

void PrintTo(const bad_token_case& c, std::ostream* os) { *os << c.name; }

class BadToken : public ::testing::TestWithParam<bad_token_case> {};

TEST_P(BadToken, Is401InvalidTokenOnTheBearerChallenge) {
  const auto& c = GetParam();
  world w;
  answer a = w.call(bearer(c.make()));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_token");
  EXPECT_EQ(a.error_on("DPoP"), "");
  EXPECT_EQ(a.body["error"], "invalid_token");
  EXPECT_EQ(w.event()["token"]["valid"], false);
  EXPECT_EQ(w.event()["token"]["check"], c.check);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc9068, BadToken,
    ::testing::Values(
        bad_token_case{"expired", [] { auto c = claims(); c["exp"] = t0 - 100; return issue(c); }, "expired"},
        bad_token_case{"wrong_issuer", [] { auto c = claims(); c["iss"] = "https://evil"; return issue(c); }, "bad_issuer"},
        bad_token_case{"wrong_audience", [] { auto c = claims(); c["aud"] = "other-rs"; return issue(c); }, "bad_audience"},
        bad_token_case{"forged_signature", [] { return issue(claims(), rogue_as_key()); }, "bad_signature"},
        bad_token_case{"typ_jwt", [] {
          auto t = jose::sign_compact({{"typ", "JWT"}, {"alg", "ES256"}, {"kid", "as-1"}}, claims().dump(), as_key(), "ES256");
          return t ? *t : std::string();
        }, "bad_typ"},
        bad_token_case{"alg_none", [] {
          return jose::assemble_compact(R"({"typ":"at+jwt","alg":"none"})", claims().dump(), "");
        }, "bad_alg"},
        bad_token_case{"missing_sub", [] { auto c = claims(); c.erase("sub"); return issue(c); }, "missing_claim"},
        bad_token_case{"opaque", [] { return std::string("opaque-token-value"); }, "malformed"},
        bad_token_case{"bad_cnf", [] { auto c = claims(); c["cnf"] = "x"; return issue(c); }, "bad_cnf"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TokenValidation, HugeTokenIsRefusedUnread) {
  world w;
  auto r = request("/resource", "POST");
  r.headers.add("Content-Type", "application/x-www-form-urlencoded");
  r.body = "access_token=" + std::string(max_token_bytes + 1, 'a');
  answer a = w.call(r);
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_token");
  EXPECT_EQ(w.event()["token"]["check"], "too_long");
}

TEST(TokenValidation, UnknownKidReloadsTheJwks) {
  // Key rotation: the RS sees a kid it does not know and asks the AS again.
  auto rotated = jose::jwk::generate("ES256");
  ASSERT_TRUE(rotated);
  rotated->set_member("kid", "as-2");
  auto published = std::make_shared<std::atomic<bool>>(false);
  auto jwks = [published, key = *rotated] {
    nlohmann::json keys = {as_key().public_json()};
    if (*published) keys.push_back(key.public_json());
    return nlohmann::json{{"keys", keys}}.dump();
  };
  world w(rs_config{}, jwks);
  EXPECT_EQ(w.jwks_loads(), 1);
  std::string token = issue(claims(), *rotated);
  EXPECT_EQ(w.call(bearer(token)).status, 401);
  EXPECT_EQ(w.event()["token"]["check"], "unknown_key");
  EXPECT_EQ(w.jwks_loads(), 2) << "an unknown kid triggers one reload";
  *published = true;
  answer a = w.call(bearer(token));
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(w.jwks_loads(), 3);
}

TEST(TokenValidation, JwksReloadIsRateLimited) {
  int loads = 0;
  jwks_source source([&loads]() -> result<std::string> { ++loads; return jwks_json(); },
                     std::chrono::hours(1), "test");
  ASSERT_TRUE(source.load());
  EXPECT_FALSE(source.refresh());
  EXPECT_FALSE(source.refresh());
  EXPECT_EQ(loads, 1);
}

TEST(TokenValidation, FailedReloadKeepsTheOldKeys) {
  bool broken = false;
  jwks_source source([&broken]() -> result<std::string> {
    if (broken) return make_error("x", "AS down");
    return jwks_json();
  }, std::chrono::milliseconds(0), "test");
  ASSERT_TRUE(source.load());
  broken = true;
  EXPECT_FALSE(source.refresh());
  ASSERT_NE(source.current(), nullptr);
  EXPECT_EQ(source.current()->keys().size(), 1u);
}

TEST(TokenValidation, EmptyOrBrokenJwksIsAStartError) {
  jwks_source empty([]() -> result<std::string> { return std::string(R"({"keys":[]})"); },
                    std::chrono::milliseconds(0), "empty.json");
  auto s = empty.load();
  ASSERT_FALSE(s);
  EXPECT_NE(s.err().message.find("empty.json"), std::string::npos);
  jwks_source broken([]() -> result<std::string> { return std::string("{"); }, std::chrono::milliseconds(0), "b");
  EXPECT_FALSE(broken.load());
}

TEST(TokenValidation, CacheSkipsTheSignatureButNotTheBinding) {
  world w;
  auto token = mtls_token("client-a");
  answer first = w.call(bearer(token), connection(cert("client-a")));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body["token"]["cached"], false);
  answer second = w.call(bearer(token), connection(cert("client-a")));
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body["token"]["cached"], true);
  // The cached token with another certificate: the binding is checked again and fails.
  answer third = w.call(bearer(token), connection(cert("client-b")));
  EXPECT_EQ(third.status, 401);
  EXPECT_EQ(third.error_on("Bearer"), "invalid_token");
  EXPECT_EQ(w.event()["token"]["cached"], true);
  EXPECT_EQ(w.event()["binding"]["x5t#S256"], "mismatch");
}

TEST(TokenValidation, CacheNeverOutlivesExp) {
  world w;
  auto c = claims();
  c["exp"] = t0 + 5;
  auto token = issue(c);
  EXPECT_EQ(w.call(bearer(token)).status, 200);
  w.set_clock(t0 + 5 + rs_config{}.token_leeway_s + 1);
  answer a = w.call(bearer(token));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(w.event()["token"]["check"], "expired");
}

TEST(TokenValidation, CacheOffValidatesEveryTime) {
  world w(with({{"token_cache_s", 0}}));
  auto token = bearer_token();
  w.call(bearer(token));
  answer a = w.call(bearer(token));
  EXPECT_EQ(a.body["token"]["cached"], false);
}

TEST(TokenCache, BoundedAndEvictsTheSoonestToExpire) {
  token_cache cache(2);
  auto v = std::make_shared<const validated_token>();
  cache.store("a", v, 100, 0);
  cache.store("b", v, 50, 0);
  cache.store("c", v, 200, 0);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.find("b", 0), nullptr);
  EXPECT_NE(cache.find("a", 0), nullptr);
  EXPECT_EQ(cache.find("a", 101), nullptr);
  cache.store("d", v, 5, 10);  // already expired: not stored
  EXPECT_EQ(cache.find("d", 10), nullptr);
}

// --- introspection (RFC 7662) --------------------------------------------------------------

TEST(Introspection, RequestUsesBasicAuthAndTheTokenParameter) {
  introspection_client client{"https://as.example/introspect", "rs", "s3cret"};
  auto req = make_introspection_request(client, "tok en");
  EXPECT_EQ(req.method, "POST");
  // RFC 6749 2.3.1 / RFC 7617: "Basic " + base64("rs:s3cret").
  EXPECT_EQ(req.headers.first("Authorization").value_or(""), "Basic cnM6czNjcmV0");
  EXPECT_EQ(req.headers.first("Content-Type").value_or(""), "application/x-www-form-urlencoded");
  EXPECT_EQ(req.body, "token=tok+en&token_type_hint=access_token");
}

TEST(Introspection, ResponseMustBeAJsonObjectWithActive) {
  http::response r;
  r.body = R"({"active":true,"sub":"x"})";
  EXPECT_TRUE(read_introspection_response(r));
  r.body = R"({"sub":"x"})";
  EXPECT_FALSE(read_introspection_response(r));
  r.body = "[]";
  EXPECT_FALSE(read_introspection_response(r));
  r.body = R"({"active":true})";
  r.status = 401;
  EXPECT_FALSE(read_introspection_response(r));
}

TEST(Introspection, CredentialsSyntax) {
  EXPECT_TRUE(parse_introspection_credentials("https://as/i", "rs:secret"));
  EXPECT_FALSE(parse_introspection_credentials("https://as/i", "rs"));
  EXPECT_FALSE(parse_introspection_credentials("http://as/i", "rs:secret"));
}

class introspection_world {
 public:
  explicit introspection_world(std::function<result<nlohmann::json>(const std::string&)> as,
                               rs_config config = with({{"token_format", "introspection"}})) {
    rs_environment env;
    env.issuer = issuer;
    env.introspect = std::move(as);
    env.clock = [] { return t0; };
    auto made = resource_server::make(std::move(config), std::move(env));
    if (!made) ADD_FAILURE() << made.err().message;
    else server = std::move(*made);
  }
  answer call(const http::request& r, const http::connection_info& i = connection()) {
    return read(server->handle(r, i));
  }
  std::unique_ptr<resource_server> server;
};

TEST(Introspection, ActiveTokenWithCnfIsBoundLikeAJwt) {
  int calls = 0;
  introspection_world w([&calls](const std::string& token) -> result<nlohmann::json> {
    ++calls;
    if (token != "opaque-1") return nlohmann::json{{"active", false}};
    return nlohmann::json{{"active", true}, {"sub", "user-9"}, {"scope", "read"}, {"aud", "tether-rs"},
                          {"exp", t0 + 60}, {"cnf", {{"x5t#S256", cert("client-a")->x5t_s256()}}}};
  });
  answer ok = w.call(bearer("opaque-1"), connection(cert("client-a")));
  EXPECT_EQ(ok.status, 200) << ok.body.dump();
  EXPECT_EQ(ok.body["token"]["format"], "introspection");
  EXPECT_EQ(ok.body["binding"]["x5t#S256"], "verified");
  answer wrong = w.call(bearer("opaque-1"), connection(cert("client-b")));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_on("Bearer"), "invalid_token");
  EXPECT_EQ(calls, 1) << "the second request used the cache, and still checked the certificate";
  answer inactive = w.call(bearer("opaque-2"));
  EXPECT_EQ(inactive.status, 401);
  EXPECT_EQ(inactive.error_on("Bearer"), "invalid_token");
}

TEST(Introspection, OtherAudienceIsRefused) {
  introspection_world w([](const std::string&) -> result<nlohmann::json> {
    return nlohmann::json{{"active", true}, {"aud", "another-rs"}};
  });
  EXPECT_EQ(w.call(bearer("t")).status, 401);
}

TEST(Introspection, UnreachableAsIs503NotInvalidToken) {
  introspection_world w([](const std::string&) -> result<nlohmann::json> {
    return make_error("x", "connection refused");
  });
  answer a = w.call(bearer("t"));
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.body["error"], "temporarily_unavailable");
  EXPECT_TRUE(a.challenges.empty());
}

}  // namespace
}  // namespace tether::rs::testing

namespace tether::rs::testing {
namespace {

TEST(TokenSettings, AudienceKnob) {
  world w(with({{"audience", "https://api.example"}}));
  EXPECT_EQ(w.call(bearer(bearer_token())).status, 401) << "aud tether-rs is not this RS any more";
  auto c = claims();
  c["aud"] = nlohmann::json::array({"other", "https://api.example"});
  EXPECT_EQ(w.call(bearer(issue(c))).status, 200) << "an aud array containing the audience";
}

TEST(TokenSettings, LeewayKnob) {
  auto c = claims();
  c["exp"] = t0 - 20;
  auto token = issue(c);
  world lenient;  // token_leeway_s 30
  EXPECT_EQ(lenient.call(bearer(token)).status, 200);
  world strict(with({{"token_leeway_s", 0}}));
  EXPECT_EQ(strict.call(bearer(token)).status, 401);
  EXPECT_EQ(strict.event()["token"]["check"], "expired");
}

}  // namespace
}  // namespace tether::rs::testing
