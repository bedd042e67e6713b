// Resolved steps are read strictly: the example of docs/client-protocol.md parses, and every
// misspelt member, wrong type or bad value is an error that names it.

#include <gtest/gtest.h>

#include "mocks/client/step_model.hpp"

namespace tether::client {
namespace {

using nlohmann::json;

json doc_example() {
  // The resolved step shown in docs/client-protocol.md.
  return json::parse(R"({ "name": "probe", "action": "resource", "trace": "r17/rfc9449-4.3-rs-rejects-ath-mismatch/probe",
  "url": "https://127.0.0.1:40123/resource", "method": "GET",
  "tls": { "ca_file": "/x/ca.crt", "cert_file": null, "key_file": null, "cert_name": null },
  "access_token": "eyJ...", "token_type": "DPoP", "scheme": "DPoP",
  "dpop": { "key": "k1", "alg": "ES256", "nonce": "auto", "retry_on_nonce": true,
            "defects": { "ath": "other_token" }, "headers": 1, "header_name": "DPoP" },
  "headers": [], "authorization_headers": 1, "token_in": "header",
  "forwarded_cert": null, "timeout_ms": 10000 })");
}

std::string error_of(const json& j) {
  auto s = parse_step(j);
  return s.ok() ? "" : s.err().message;
}

TEST(StepModel, DocumentedExampleParses) {
  auto s = parse_step(doc_example());
  ASSERT_TRUE(s.ok()) << s.err().message;
  EXPECT_EQ(s->action, "resource");
  EXPECT_EQ(s->tls.ca_file, "/x/ca.crt");
  EXPECT_TRUE(s->tls.cert_file.empty());
  ASSERT_TRUE(s->dpop.has_value());
  EXPECT_EQ(s->dpop->defects.ath, "other_token");
  EXPECT_EQ(s->token_type, "DPoP");
  EXPECT_EQ(s->timeout_ms, 10000);
}

TEST(StepModel, TokenStepAsTheRunnerWritesIt) {
  json j = {{"name", "tok"}, {"action", "token"}, {"trace", "t"}, {"timeout_ms", 5000},
            {"endpoint_url", "https://as/token"}, {"url", "https://as/token"},
            {"client", {{"client_id", "secret-basic"}, {"auth_method", "client_secret_basic"}, {"secret", "s"}}},
            {"grant", "client_credentials"}, {"code", nullptr}, {"code_verifier", nullptr}, {"redirect_uri", nullptr},
            {"refresh_token", nullptr}, {"scope", nullptr}, {"params", json::object()}, {"omit_params", json::array()},
            {"dpop", nullptr}, {"tls", {{"ca_file", "ca"}, {"cert_file", nullptr}, {"key_file", nullptr}, {"cert_name", nullptr}}}};
  auto s = parse_step(j);
  ASSERT_TRUE(s.ok()) << s.err().message;
  EXPECT_EQ(s->client.auth_method, "client_secret_basic");
  EXPECT_EQ(s->client.secret, "s");
  EXPECT_FALSE(s->dpop.has_value());
}

TEST(StepModel, UnknownMembersAreNamed) {
  json j = doc_example();
  j["acces_token"] = "x";
  EXPECT_NE(error_of(j).find("\"acces_token\""), std::string::npos);
  j = doc_example();
  j["dpop"]["retry_on_nonces"] = true;
  EXPECT_NE(error_of(j).find("\"retry_on_nonces\""), std::string::npos);
  j = doc_example();
  j["tls"]["cafile"] = "x";
  EXPECT_NE(error_of(j).find("\"cafile\""), std::string::npos);
}

TEST(StepModel, UnknownDefectIsAnErrorNamingIt) {
  json j = doc_example();
  j["dpop"]["defects"] = {{"athh", "x"}};
  EXPECT_NE(error_of(j).find("athh"), std::string::npos);
}

TEST(StepModel, TypesAndRangesAreChecked) {
  struct bad_case {
    const char* pointer;
    json value;
    const char* named;
  };
  const bad_case cases[] = {
      {"/timeout_ms", "10", "step.timeout_ms"},
      {"/timeout_ms", 0, "step.timeout_ms"},
      {"/timeout_ms", 18446744073709551615ull, "step.timeout_ms"},
      {"/authorization_headers", 9, "step.authorization_headers"},
      {"/dpop/headers", -1, "step.dpop.headers"},
      {"/dpop/nonce", 5, "step.dpop.nonce"},
      {"/token_in", "cookie", "step.token_in"},
      {"/headers", json::array({json::array({"a"})}), "step.headers"},
      {"/action", "delete", "step.action"},
      {"/url", "", "step.url"},
      {"/tls", "ca.crt", "step.tls"},
  };
  for (const auto& c : cases) {
    json j = doc_example();
    j[json::json_pointer(c.pointer)] = c.value;
    std::string e = error_of(j);
    EXPECT_NE(e.find(c.named), std::string::npos) << c.pointer << ": " << e;
  }
}

TEST(StepModel, NotAnObject) {
  EXPECT_FALSE(parse_step(json::array()).ok());
  EXPECT_FALSE(parse_step(json("step")).ok());
  EXPECT_FALSE(parse_step(json()).ok());
}

TEST(StepModel, ReplayNeedsItsOriginal) {
  json j = {{"name", "again"}, {"action", "replay"}, {"concurrent", 50}};
  EXPECT_NE(error_of(j).find("step.of"), std::string::npos);
  j["of"] = "probe";
  auto s = parse_step(j);
  ASSERT_TRUE(s.ok()) << s.err().message;
  EXPECT_EQ(s->concurrent, 50);
  j["concurrent"] = 1001;
  EXPECT_FALSE(parse_step(j).ok());
}

TEST(StepModel, ForwardedCertificate) {
  json j = doc_example();
  j["forwarded_cert"] = {{"format", "xfcc"}, {"via", "proxy"}, {"value", nullptr}, {"cert_name", "client-a"},
                         {"cert_file", "/c/client-a.crt"}};
  auto s = parse_step(j);
  ASSERT_TRUE(s.ok()) << s.err().message;
  EXPECT_EQ(s->forwarded_cert->format, tls::forwarded_format::xfcc);
  j["forwarded_cert"]["format"] = "pem";
  EXPECT_NE(error_of(j).find("step.forwarded_cert.format"), std::string::npos);
  j["forwarded_cert"] = {{"format", "rfc9440"}, {"via", "sideways"}, {"value", "x"}};
  EXPECT_NE(error_of(j).find("step.forwarded_cert.via"), std::string::npos);
  j["forwarded_cert"] = {{"format", "rfc9440"}};
  EXPECT_NE(error_of(j).find("cert_file"), std::string::npos);
}

TEST(StepModel, AuthorizeDpopJktForms) {
  json j = {{"name", "az"}, {"action", "authorize"}, {"url", "https://as/authorize"},
            {"client", {{"client_id", "public"}, {"auth_method", "none"}, {"secret", nullptr}}},
            {"pkce", true}, {"dpop_jkt", {{"key", "k1"}}}, {"params", json::object()}};
  EXPECT_TRUE(parse_step(j).ok());
  j["dpop_jkt"] = "literal-thumbprint";
  EXPECT_TRUE(parse_step(j).ok());
  j["dpop_jkt"] = {{"kid", "k1"}};
  EXPECT_NE(error_of(j).find("step.dpop_jkt"), std::string::npos);
  j["dpop_jkt"] = nullptr;
  j["client"]["auth_method"] = "private_key_jwt";
  EXPECT_NE(error_of(j).find("step.client.auth_method"), std::string::npos);
}

}  // namespace
}  // namespace tether::client
