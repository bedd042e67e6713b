// How credentials arrive (RFC 6750 2, 3.1; RFC 9449 7.1, 7.2) and the refusals of requests that
// are malformed or ambiguous before any token is judged. Expected answers come from the RFC
// texts: the 7.2 examples for no credentials and for two Authorization headers.

#include <algorithm>

#include <gtest/gtest.h>

#include "core/http/message.hpp"
#include "mocks/rs/presentation.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(Presentation, NoCredentialsGetsBothChallengesWithoutError) {
  // RFC 9449 7.2, first example: "WWW-Authenticate: Bearer, DPoP algs=..." and no error.
  world w;
  answer a = w.call(request());
  EXPECT_EQ(a.status, 401);
  ASSERT_NE(a.find("Bearer"), nullptr);
  ASSERT_NE(a.find("DPoP"), nullptr);
  EXPECT_EQ(a.error_on("Bearer"), "");
  EXPECT_EQ(a.error_on("DPoP"), "");
  EXPECT_TRUE(a.find("DPoP")->param("algs").has_value());
  EXPECT_FALSE(a.body.contains("error"));
}

TEST(Presentation, UnsupportedSchemeCountsAsNoCredentials) {
  // RFC 6750 3.1: "attempted using an unsupported authentication method": no error code.
  world w;
  auto r = request();
  r.headers.add("Authorization", "Basic dXNlcjpwYXNz");
  answer a = w.call(r);
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("Bearer"), "");
  EXPECT_EQ(a.error_on("DPoP"), "");
}

TEST(Presentation, TwoAuthorizationHeadersAre400OnBothChallenges) {
  // RFC 9449 7.2, third example: 400 invalid_request on the Bearer and the DPoP challenge.
  world w;
  auto token = bearer_token();
  auto r = request();
  r.headers.add("Authorization", "Bearer " + token);
  r.headers.add("Authorization", "DPoP " + token);
  answer a = w.call(r);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_request");
  EXPECT_EQ(a.error_on("DPoP"), "invalid_request");
  EXPECT_EQ(a.body["error"], "invalid_request");
}

TEST(Presentation, HeaderAndBodyIsMoreThanOneMethod) {
  // RFC 6750 3.1: "uses more than one method for including an access token" -> invalid_request.
  world w;
  auto token = bearer_token();
  auto r = bearer(token);
  r.method = "POST";
  r.headers.add("Content-Type", "application/x-www-form-urlencoded");
  r.body = "access_token=" + token;
  answer a = w.call(r);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.body["error"], "invalid_request");
}

TEST(Presentation, HeaderAndQueryIsMoreThanOneMethod) {
  world w;
  auto token = bearer_token();
  answer a = w.call(bearer(token, "/resource?access_token=" + token));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.body["error"], "invalid_request");
}

TEST(Presentation, TokenInBodyIsAccepted) {
  // RFC 6750 2.2: form-encoded body, a method with body semantics.
  world w;
  auto r = request("/resource", "POST");
  r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  r.body = "other=1&access_token=" + bearer_token();
  answer a = w.call(r);
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["token_via"], "body");
  EXPECT_EQ(w.event()["authorization"]["via"], "body");
}

TEST(Presentation, TokenInQueryIsAccepted) {
  world w;
  answer a = w.call(request("/resource?access_token=" + bearer_token()));
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["token_via"], "query");
}

TEST(Presentation, BodyOfGetRequestIsRefused) {
  // RFC 6750 2.2: "the GET method MUST NOT be used" with the body method.
  world w;
  auto r = request("/resource", "GET");
  r.headers.add("Content-Type", "application/x-www-form-urlencoded");
  r.body = "access_token=" + bearer_token();
  answer a = w.call(r);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_request");
}

TEST(Presentation, RepeatedAccessTokenParameterIsInvalidRequest) {
  world w;
  auto t = bearer_token();
  answer a = w.call(request("/resource?access_token=" + t + "&access_token=" + t));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_request");
}

TEST(Presentation, QueryMethodSwitchedOffIsRefusedClearly) {
  world w(with({{"token_in_query", false}}));
  answer a = w.call(request("/resource?access_token=" + bearer_token()));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_request");
  EXPECT_NE(a.body["error_description"].get<std::string>().find("query"), std::string::npos);
}

TEST(Presentation, BodyMethodSwitchedOffIsRefusedClearly) {
  world w(with({{"token_in_body", false}}));
  auto r = request("/resource", "POST");
  r.headers.add("Content-Type", "application/x-www-form-urlencoded");
  r.body = "access_token=" + bearer_token();
  answer a = w.call(r);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_request");
}

TEST(Presentation, FormLookingBodyWithOtherContentTypeIsNotAToken) {
  world w;
  auto r = request("/resource", "POST");
  r.headers.add("Content-Type", "text/plain");
  r.body = "access_token=" + bearer_token();
  answer a = w.call(r);
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("Bearer"), "");
}

TEST(Presentation, MalformedBearerCredentialsAreInvalidRequest) {
  world w;
  for (const char* value : {"Bearer", "Bearer ", "Bearer a b", "Bearer ä"}) {
    auto r = request();
    r.headers.add("Authorization", value);
    answer a = w.call(r);
    EXPECT_EQ(a.status, 400) << value;
    EXPECT_EQ(a.error_on("Bearer"), "invalid_request") << value;
    EXPECT_EQ(a.error_on("DPoP"), "") << value;
  }
}

TEST(Presentation, SchemeNameIsCaseInsensitive) {
  // RFC 9110 11.1: auth-scheme names are case-insensitive.
  world w;
  auto r = request();
  r.headers.add("Authorization", "bEaReR " + bearer_token());
  EXPECT_EQ(w.call(r).status, 200);

  auto token = dpop_token();
  auto r2 = request();
  r2.headers.add("Authorization", "dpop " + token);
  r2.headers.add("dpop", proof(token));  // 9449 4.1: header names are case-insensitive too
  answer a = w.call(r2);
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["scheme"], "DPoP");
}

struct without_proof_case {
  const char* knob;
  int status;
  const char* error;
};

void PrintTo(const without_proof_case& c, std::ostream* os) { *os << c.knob; }

class DpopSchemeWithoutProof : public ::testing::TestWithParam<without_proof_case> {};

TEST_P(DpopSchemeWithoutProof, AnswersAsConfigured) {
  // RFC 9449 7.1: a proof MUST accompany the DPoP scheme; table 2.2 row D lists the answers.
  const auto& c = GetParam();
  world w(with({{"dpop_scheme_without_proof", c.knob}}));
  auto r = request();
  r.headers.add("Authorization", "DPoP " + dpop_token());
  answer a = w.call(r);
  EXPECT_EQ(a.status, c.status);
  EXPECT_EQ(a.error_on("DPoP"), c.error);
  EXPECT_EQ(a.error_on("Bearer"), "");
  EXPECT_EQ(a.body["error"], c.error);
  bool is_default = std::string(c.knob) == rs_config{}.dpop_scheme_without_proof;
  auto knobs = w.knobs();
  EXPECT_EQ(std::find(knobs.begin(), knobs.end(), "dpop_scheme_without_proof") != knobs.end(), !is_default);
}

INSTANTIATE_TEST_SUITE_P(RowD, DpopSchemeWithoutProof,
                         ::testing::Values(without_proof_case{"400_invalid_request", 400, "invalid_request"},
                                           without_proof_case{"401_invalid_request", 401, "invalid_request"},
                                           without_proof_case{"401_invalid_dpop_proof", 401, "invalid_dpop_proof"}),
                         [](const auto& info) { return std::string(info.param.knob); });

TEST(Presentation, TargetPathAndQuery) {
  EXPECT_EQ(target_path("/a/b?x=1#f"), "/a/b");
  EXPECT_EQ(target_query("/a/b?x=1#f"), "x=1");
  EXPECT_EQ(target_query("/a"), "");
  EXPECT_EQ(target_path("/a#f"), "/a");
}

}  // namespace
}  // namespace tether::rs::testing
