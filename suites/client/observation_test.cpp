// The observation builder fed with canned responses: every member of docs/client-protocol.md's
// "response", "tls" and "token", from the RFC 9449 examples where there is one.

#include <gtest/gtest.h>

#include "core/jose/jwk.hpp"
#include "core/jose/jws.hpp"
#include "core/tls/certificate.hpp"
#include "fake_transport.hpp"
#include "mocks/client/observation.hpp"
#include "support.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using testing::fake_transport;

TEST(Observation, AsNonceChallengeFromRfc9449Section8) {
  // RFC 9449 8, figure "HTTP 400 Response to a Token Request without a Nonce".
  auto r = fake_transport::reply(400,
                                 R"({"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"})",
                                 {{"DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v"}, {"Content-Type", "application/json"}});
  json j = response_json(*r.resp);
  EXPECT_EQ(j["status"], 400);
  EXPECT_EQ(j["json"]["error"], "use_dpop_nonce");
  EXPECT_EQ(j["dpop_nonce"], "eyJ7S_zG.eyJH0-Z.HX4w-7v");
  EXPECT_EQ(j["dpop_nonces"].size(), 1u);
  EXPECT_EQ(j["challenges"], json::array());
  EXPECT_EQ(j["headers"][0], json::array({"DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v"}));
  EXPECT_TRUE(asks_for_nonce(*r.resp));
}

TEST(Observation, RsNonceChallengeFromRfc9449Section9) {
  // RFC 9449 9, figure "HTTP 401 Response to a Resource Request without a Nonce".
  auto r = fake_transport::reply(
      401, "",
      {{"WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\""},
       {"DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v"}});
  json j = response_json(*r.resp);
  ASSERT_EQ(j["challenges"].size(), 1u);
  EXPECT_EQ(j["challenges"][0]["scheme"], "DPoP");
  EXPECT_EQ(j["challenges"][0]["params"]["error"], "use_dpop_nonce");
  EXPECT_EQ(j["challenges"][0]["params"]["error_description"], "Resource server requires nonce in DPoP proof");
  EXPECT_TRUE(j["json"].is_null());
  EXPECT_TRUE(asks_for_nonce(*r.resp));
}

TEST(Observation, NonceAskedOnlyByTheErrorCode) {
  EXPECT_FALSE(asks_for_nonce(*fake_transport::reply(400, R"({"error":"invalid_dpop_proof"})").resp));
  EXPECT_FALSE(asks_for_nonce(*fake_transport::reply(401, "", {{"WWW-Authenticate", "DPoP error=\"invalid_token\""}}).resp));
  // Servers vary (requirements 4.6): the RS-style challenge on a 400, the AS-style body on a 401.
  EXPECT_TRUE(asks_for_nonce(*fake_transport::reply(400, "", {{"WWW-Authenticate", "DPoP error=\"use_dpop_nonce\""}}).resp));
  EXPECT_TRUE(asks_for_nonce(*fake_transport::reply(401, R"({"error":"use_dpop_nonce"})").resp));
  // Not JSON, broken challenge: no nonce request, no crash.
  EXPECT_FALSE(asks_for_nonce(*fake_transport::reply(401, "{not json", {{"WWW-Authenticate", "DPoP error=\"unterminated"}}).resp));
}

TEST(Observation, SeveralChallengesAndTwoNonces) {
  auto r = fake_transport::reply(401, "", {{"WWW-Authenticate", "Bearer realm=\"r\", DPoP algs=\"ES256 PS256\""},
                                           {"DPoP-Nonce", "n1"}, {"DPoP-Nonce", "n2"}});
  json j = response_json(*r.resp);
  ASSERT_EQ(j["challenges"].size(), 2u);
  EXPECT_EQ(j["challenges"][0]["scheme"], "Bearer");
  EXPECT_EQ(j["challenges"][1]["params"]["algs"], "ES256 PS256");
  EXPECT_EQ(j["dpop_nonce"], "n1");
  EXPECT_EQ(j["dpop_nonces"], json::array({"n1", "n2"}));  // RFC 9449 8: more than one is observable
}

TEST(Observation, UnparsableChallengeIsRecordedNotFatal) {
  auto r = fake_transport::reply(401, "", {{"WWW-Authenticate", "DPoP error=\"unterminated"}});
  json j = response_json(*r.resp);
  EXPECT_EQ(j["challenges"], json::array());
  EXPECT_TRUE(j.contains("challenges_error"));
}

TEST(Observation, LongBodyIsCutButStillParsed) {
  std::string body = "{\"pad\":\"" + std::string(max_observed_body + 10, 'x') + "\",\"error\":\"e\"}";
  json j = response_json(*fake_transport::reply(400, body).resp);
  EXPECT_EQ(j["body"].get<std::string>().size(), max_observed_body);
  EXPECT_EQ(j["body_truncated"], true);
  EXPECT_EQ(j["json"]["error"], "e");
}

TEST(Observation, InvalidUtf8BodyStillDumps) {
  json j = response_json(*fake_transport::reply(200, std::string("\xff\xfe ok", 5)).resp);
  std::string line = dump_line(j);
  EXPECT_NE(line.find("\"status\":200"), std::string::npos);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Observation, TlsFailureHasNoResponse) {
  auto failed = fake_transport::tls_failure("handshake", "tlsv13 alert certificate required", true);
  json t = tls_json(failed);
  EXPECT_EQ(t["ok"], false);
  EXPECT_EQ(t["stage"], "handshake");
  EXPECT_EQ(t["alert"], true);
  json a = attempt_json(json::object(), failed);
  EXPECT_FALSE(a.contains("response"));
}

TEST(Observation, OpaqueTokenFromRfc9449Example) {
  // RFC 9449 5's example token has dots but is no JWS ('~' is outside base64url).
  json t = token_json(json{{"access_token", "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"},
                           {"token_type", "DPoP"}, {"expires_in", 2677},
                           {"refresh_token", "Q..Zkm29lexi8VnWg2zPW1x-tgGad0Ibc3s3EwM_Ni4-g"}});
  EXPECT_EQ(t["format"], "opaque");
  EXPECT_EQ(t["token_type"], "DPoP");
  EXPECT_EQ(t["expires_in"], 2677);
  EXPECT_TRUE(t["cnf"].is_null());
  EXPECT_TRUE(t["scope"].is_null());
}

TEST(Observation, JwtTokenDecodedWithoutVerification) {
  auto key = jose::jwk::generate("ES256");
  ASSERT_TRUE(key.ok());
  json claims = {{"iss", "https://as"}, {"cnf", {{"jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}}};
  auto jwt = jose::sign_compact({{"alg", "ES256"}, {"typ", "at+jwt"}}, claims.dump(), *key, "ES256");
  ASSERT_TRUE(jwt.ok());
  // The signature is broken on purpose: decoding must not depend on it.
  std::string token = *jwt;
  // A character inside the signature (the last one has unused bits a strict decoder checks).
  char& c = token[token.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  json t = token_json(json{{"access_token", token}, {"token_type", "DPoP"}});
  EXPECT_EQ(t["format"], "jwt");
  EXPECT_EQ(t["header"]["typ"], "at+jwt");
  EXPECT_EQ(t["claims"]["iss"], "https://as");
  EXPECT_EQ(t["cnf"]["jkt"], "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
}

TEST(Observation, NoTokenWithoutAccessToken) {
  EXPECT_TRUE(token_json(json{{"error", "invalid_client"}}).is_null());
  EXPECT_TRUE(token_json(json::array()).is_null());
  EXPECT_TRUE(token_json(json{{"access_token", 5}}).is_null());
}

TEST(Observation, CertificateNamesItsThumbprint) {
  tls_settings t{"", testing::certs_dir() + "/client-a.crt", testing::certs_dir() + "/client-a.key", "client-a"};
  json c = cert_json(t);
  auto cert = tls::certificate::load_file(t.cert_file);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(c["name"], "client-a");
  EXPECT_EQ(c["subject"], "CN=client-a,O=Tether Test");
  EXPECT_EQ(c["x5t#S256"], testing::manifest_x5t("client-a"));
  EXPECT_TRUE(cert_json(tls_settings{}).is_null());
  json missing = cert_json(tls_settings{"", "/nonexistent.crt", "/nonexistent.key", ""});
  EXPECT_TRUE(missing.contains("error"));
}

}  // namespace
}  // namespace tether::client
