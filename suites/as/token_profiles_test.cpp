// Token profiles (mocks/as/token_profiles.hpp): one running AS issues the token shape a request
// selects with a secret handle, and nothing else changes; an unknown handle is refused, never
// ignored; only per-token knobs can be put in a profile.

#include "as_test_support.hpp"
#include "mocks/as/token_profiles.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

const std::string padded = std::string(40, 'p');
const std::string both = std::string(40, 'b');
const std::string plain = std::string(40, 't');

token_profiles sample_profiles(const as_config& base = {}) {
  json file = {{padded, {{"pad_x5t", true}}},
               {both, {{"mtls_and_dpop", "bind_both"}}},
               {plain, {{"plain_jwt_typ_client", "secret-basic"}}}};
  auto p = token_profiles::parse(file, base, "profiles.json");
  EXPECT_TRUE(p) << (p ? "" : p.err().message);
  return p ? *p : token_profiles{};
}

http::request with_profile(http::request req, const std::string& handle) {
  req.headers.add(token_profile_header, handle);
  return req;
}

const std::pair<std::string, std::string> basic = {"secret-basic", secret_of("secret-basic")};
const form cc = {{"grant_type", "client_credentials"}};
const form mtls_cc = {{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}};

TEST(AsTokenProfiles, EachRequestGetsTheShapeItsHandleSelects) {
  test_as as;
  as.state().profiles = sample_profiles();
  // Padded thumbprint for the request that asks, the RFC 8705 3.1 value for the next one.
  auto shaped = as.call(with_profile(token_request(mtls_cc), padded), mtls_conn("client-a"));
  ASSERT_EQ(shaped.status, 200) << shaped.body;
  EXPECT_EQ(jwt_claims(body(shaped)["access_token"])["cnf"]["x5t#S256"], x5t_of("client-a") + "=");
  EXPECT_EQ(as.last_event()["token_profile"], true);
  auto correct = as.call(token_request(mtls_cc), mtls_conn("client-a"));
  ASSERT_EQ(correct.status, 200) << correct.body;
  EXPECT_EQ(jwt_claims(body(correct)["access_token"])["cnf"]["x5t#S256"], x5t_of("client-a"));
  EXPECT_FALSE(as.last_event().contains("token_profile"));
}

TEST(AsTokenProfiles, PlainTypOnlyUnderItsProfile) {
  test_as as;
  as.state().profiles = sample_profiles();
  auto plain_res = as.call(with_profile(token_request(cc, basic), plain), main_conn());
  ASSERT_EQ(plain_res.status, 200) << plain_res.body;
  EXPECT_EQ(jwt_header(body(plain_res)["access_token"])["typ"], "JWT");
  // Another profile leaves typ alone: a profile carries its own knobs, not the union.
  auto other = as.call(with_profile(token_request(cc, basic), padded), main_conn());
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(jwt_header(body(other)["access_token"])["typ"], "at+jwt");
}

TEST(AsTokenProfiles, DualBindingUnderItsProfileAndRefusalWithout) {
  test_as as;
  as.state().profiles = sample_profiles();
  form req = {{"grant_type", "client_credentials"}};
  auto make = [&] { return with_proof(token_request(req, std::make_pair(std::string("mtls-bound-secret"),
                                                                         secret_of("mtls-bound-secret"))),
                                      proof(as, mtls_token_url).compact); };
  auto bound = as.call(with_profile(make(), both), mtls_conn("client-a"));
  ASSERT_EQ(bound.status, 200) << bound.body;
  json cnf = jwt_claims(body(bound)["access_token"])["cnf"];
  EXPECT_TRUE(cnf.contains("jkt") && cnf.contains("x5t#S256")) << cnf;
  // Without the profile, the AS's own configuration (reject, table 2.2 G) answers.
  expect_error(as.call(make(), mtls_conn("client-a")), 400, "invalid_request");
}

TEST(AsTokenProfiles, UnknownHandleIsRefusedNotIgnored) {
  test_as as;
  as.state().profiles = sample_profiles();
  auto res = as.call(with_profile(token_request(mtls_cc), std::string(40, 'x')), mtls_conn("client-a"));
  expect_error(res, 400, "invalid_request");
  // Also when the AS has no profiles at all: a scenario's token would otherwise be correct.
  test_as none;
  expect_error(none.call(with_profile(token_request(mtls_cc), padded), mtls_conn("client-a")), 400, "invalid_request");
  // A prefix of a handle is not the handle.
  expect_error(as.call(with_profile(token_request(mtls_cc), padded.substr(0, 39)), mtls_conn("client-a")), 400,
               "invalid_request");
}

TEST(AsTokenProfiles, OnlyPerTokenKnobsAndLongHandles) {
  as_config base;
  auto process_wide = token_profiles::parse(json{{padded, {{"require_nonce", true}}}}, base, "f.json");
  ASSERT_FALSE(process_wide);
  EXPECT_NE(process_wide.err().message.find("require_nonce"), std::string::npos) << process_wide.err().message;
  auto short_handle = token_profiles::parse(json{{"abc", {{"pad_x5t", true}}}}, base, "f.json");
  ASSERT_FALSE(short_handle);
  EXPECT_EQ(short_handle.err().message.find("abc"), std::string::npos) << "the handle was echoed";
  auto bad_value = token_profiles::parse(json{{padded, {{"mtls_and_dpop", "sometimes"}}}}, base, "f.json");
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.err().message.find(padded), std::string::npos) << "the handle was echoed";
  EXPECT_FALSE(token_profiles::parse(json::array(), base, "f.json"));
  // Every per-token knob exists in the knob table.
  for (const auto& name : per_token_knobs()) EXPECT_NE(knobs().find(name), nullptr) << name;
}

TEST(AsTokenProfiles, AProfileKeepsTheProcessWideSettings) {
  as_config base;
  base.access_token_lifetime_s = 77;
  test_as as(base);
  as.state().profiles = sample_profiles(base);
  auto res = as.call(with_profile(token_request(cc, basic), plain), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  json claims = jwt_claims(body(res)["access_token"]);
  EXPECT_EQ(claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>(), 77);
}

}  // namespace
}  // namespace tether::as
