// Challenge building: RFC 6750 3 (Bearer params, quoted), RFC 9449 7.1 (algs, extra params the
// client must ignore) and 7.2 (where the error goes), the JSON body and no-store.

#include <gtest/gtest.h>

#include "core/http/www_authenticate.hpp"
#include "mocks/rs/challenge.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(Challenge, NoCredentialsHasNoErrorAnywhere) {
  rs_config c = with({{"dpop_algs", "ES256 PS256"}, {"realm", ""}});
  // The RFC 9449 7.2 example, byte for byte: "Bearer, DPoP algs=\"ES256 PS256\"".
  EXPECT_EQ(challenge_header(no_credentials(""), c), "Bearer, DPoP algs=\"ES256 PS256\"");
}

TEST(Challenge, ErrorOnlyOnTheMechanismUsed) {
  rs_config c = with({{"dpop_algs", "ES256 PS256"}, {"realm", ""}});
  auto r = invalid_token("Invalid token", mechanism::bearer, "");
  // RFC 9449 7.2, second example.
  EXPECT_EQ(challenge_header(r, c),
            "Bearer error=\"invalid_token\", error_description=\"Invalid token\", DPoP algs=\"ES256 PS256\"");
  r.target = mechanism::dpop;
  auto parsed = http::parse_www_authenticate(challenge_header(r, c));
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_FALSE((*parsed)[0].param("error").has_value());
  EXPECT_EQ((*parsed)[1].param("error").value_or(""), "invalid_token");
}

TEST(Challenge, AmbiguousPutsTheErrorOnBoth) {
  rs_config c = with({{"dpop_algs", "ES256 PS256"}, {"realm", ""}});
  auto r = invalid_request("Multiple methods used to include access token", mechanism::both, "");
  // RFC 9449 7.2, third example (one line, same parameters).
  EXPECT_EQ(challenge_header(r, c),
            "Bearer error=\"invalid_request\", error_description=\"Multiple methods used to include "
            "access token\", DPoP error=\"invalid_request\", error_description=\"Multiple methods used "
            "to include access token\", algs=\"ES256 PS256\"");
}

TEST(Challenge, RealmAndScope) {
  rs_config c;  // realm tether-rs
  auto r = insufficient_scope("write", mechanism::bearer);
  auto parsed = http::parse_www_authenticate(challenge_header(r, c));
  ASSERT_TRUE(parsed);
  EXPECT_EQ((*parsed)[0].param("realm").value_or(""), "tether-rs");
  EXPECT_EQ((*parsed)[0].param("error").value_or(""), "insufficient_scope");
  EXPECT_EQ((*parsed)[0].param("scope").value_or(""), "write");
  EXPECT_EQ(r.status, 403);
}

TEST(Challenge, ExtraParamOnEveryChallenge) {
  rs_config c = with({{"challenge_extra_param", "tether_probe=ignore-me"}});
  auto parsed = http::parse_www_authenticate(challenge_header(no_credentials(""), c));
  ASSERT_TRUE(parsed);
  for (const auto& ch : *parsed) EXPECT_EQ(ch.param("tether_probe").value_or(""), "ignore-me") << ch.scheme;
}

TEST(Challenge, ExtraParamReachesTheWire) {
  world w(with({{"challenge_extra_param", "foo=bar"}}));
  answer a = w.call(bearer("not-a-jwt"));
  EXPECT_EQ(a.find("Bearer")->param("foo").value_or(""), "bar");
  EXPECT_EQ(a.find("DPoP")->param("foo").value_or(""), "bar");
  EXPECT_EQ(a.error_on("Bearer"), "invalid_token");
}

TEST(Challenge, DescriptionAndScopeKeepToTheRfc6750Charset) {
  // RFC 6750 3: no '"', no '\\', no control or non-ASCII bytes; also no header injection.
  rs_config c;
  auto r = invalid_token("the \"kid\" is \\ odd\r\nSet-Cookie: x\xff", mechanism::bearer, "");
  r.scope = "a\r\nb";
  std::string header = challenge_header(r, c);
  EXPECT_EQ(header.find('\r'), std::string::npos);
  EXPECT_EQ(header.find('\n'), std::string::npos);
  auto parsed = http::parse_www_authenticate(header);
  ASSERT_TRUE(parsed);
  EXPECT_EQ((*parsed)[0].param("error_description").value_or(""), "the 'kid' is / odd??Set-Cookie: x?");
  EXPECT_EQ((*parsed)[0].param("scope").value_or(""), "a??b");
}

TEST(Challenge, ResponseHasJsonBodyNoStoreAndOneNonce) {
  rs_config c;
  auto res = make_rejection_response(use_dpop_nonce("need a nonce", ""), c, std::string("n-1"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.headers.first("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(res.headers.first("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(res.headers.count("DPoP-Nonce"), 1u);
  auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["error"], "use_dpop_nonce");
  EXPECT_EQ(body["error_description"], "need a nonce");
}

TEST(Challenge, StatusErrorKnobValues) {
  rejection r;
  apply_status_error(r, "401_unauthorized_client");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error, "unauthorized_client");
  apply_status_error(r, "400_invalid_request");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error, "invalid_request");
}

TEST(Challenge, InvalidDpopProofStatusFollowsKnob) {
  EXPECT_EQ(invalid_dpop_proof("x", rs_config{}, "").status, 401);
  auto r = invalid_dpop_proof("x", with({{"bad_proof_status", "400"}}), "");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.knobs, std::vector<std::string>{"bad_proof_status"});
}

}  // namespace
}  // namespace tether::rs::testing
