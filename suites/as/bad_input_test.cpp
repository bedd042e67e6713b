// Hostile and broken requests: each gets an OAuth error (valid JSON, an event in the log) and
// never an exception, whatever bytes arrive in the body, the headers or the proof.

#include <random>

#include "as_test_support.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

http::request raw_post(const std::string& target, const std::string& body_text) {
  http::request r;
  r.method = "POST";
  r.target = target;
  r.headers.set("Content-Type", "application/x-www-form-urlencoded");
  r.body = body_text;
  return r;
}

void expect_json_answer(test_as& as, const http::request& req, const http::connection_info& conn) {
  auto res = as.call(req, conn);
  EXPECT_GE(res.status, 200);
  EXPECT_LT(res.status, 500) << res.body;
  if (res.status != 302) {
    json b = body(res);
    EXPECT_TRUE(b.is_object()) << "not JSON: " << res.body;
  }
  EXPECT_TRUE(as.last_event().contains("response"));
}

TEST(AsBadInput, MalformedBodies) {
  test_as as;
  for (const std::string& b : std::vector<std::string>{"", "&&&", "=", "%", "%zz=1", "grant_type", "grant_type=%ff%fe",
                              std::string("client_id=\0\0", 13), "client_id=%C3%28&grant_type=client_credentials",
                              std::string(100000, 'a'), "a=1&a=2&a=3"}) {
    expect_json_answer(as, raw_post("/token", b), main_conn());
    expect_json_answer(as, raw_post("/introspect", b), main_conn());
  }
}

TEST(AsBadInput, InvalidUtf8IsEchoedSafely) {
  test_as as;
  // An unknown client_id with invalid UTF-8 appears in the description and the event.
  auto res = as.call(raw_post("/token", "grant_type=client_credentials&client_id=%ff%fe%fd"), main_conn());
  expect_error(res, 400, "invalid_client");
  // A scope with invalid UTF-8 must not reach a JWT (it is refused as a scope).
  auto scope = as.call(token_request({{"grant_type", "client_credentials"}, {"scope", "\xff\xfe"}},
                                     std::make_pair(std::string("secret-basic"), secret_of("secret-basic"))),
                       main_conn());
  expect_error(scope, 400, "invalid_scope");
}

TEST(AsBadInput, BrokenProofHeaders) {
  test_as as;
  auto creds = std::make_pair(std::string("secret-basic"), secret_of("secret-basic"));
  for (const std::string& p : std::vector<std::string>{"", "x", "a.b.c", "..", "eyJ.eyJ.", std::string(20000, 'A'), "e30.e30.e30",
                              "eyJhbGciOiJub25lIn0.e30.", std::string("\xff\xfe.\x01.\x02")}) {
    auto res = as.call(with_proof(token_request({{"grant_type", "client_credentials"}}, creds), p), main_conn());
    expect_error(res, 400, "invalid_dpop_proof");
  }
}

TEST(AsBadInput, BrokenAuthorizationAndClientIds) {
  test_as as;
  for (const std::string& h : std::vector<std::string>{"", "Basic", "Basic ====", "Basic " + std::string(5000, 'Q'), "Basic Og==",
                              "Digest x", std::string("Basic \xff")}) {
    auto req = raw_post("/token", "grant_type=client_credentials");
    req.headers.add("Authorization", h);
    expect_json_answer(as, req, main_conn());
  }
}

TEST(AsBadInput, AuthorizeWithGarbageQueries) {
  test_as as;
  for (const std::string& q : std::vector<std::string>{"", "?", "?%", "?client_id=public&client_id=public", "?client_id=%ff",
                              "?client_id=public&redirect_uri=https://client.tether.test/cb&state=%00%ff",
                              "?response_type=code&client_id=public&redirect_uri=https://client.tether.test/cb"
                              "&code_challenge=x&code_challenge_method=S256"}) {
    http::request r;
    r.target = "/authorize" + q;
    expect_json_answer(as, r, main_conn());
  }
}

TEST(AsBadInput, RandomBytesNeverThrow) {
  test_as as;
  std::mt19937 rng(12345);  // fixed seed: the same bytes on every run
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 200; ++i) {
    std::string junk(static_cast<std::size_t>(i * 7 % 300), '\0');
    for (auto& c : junk) c = static_cast<char>(byte(rng));
    auto req = raw_post(i % 2 ? "/token" : "/introspect", junk);
    req.headers.add("DPoP", junk);
    req.headers.add("Authorization", "Basic " + junk);
    auto res = as.call(req, i % 3 ? main_conn() : mtls_conn("client-a"));
    EXPECT_LT(res.status, 500) << res.body;
  }
}

}  // namespace
}  // namespace tether::as
