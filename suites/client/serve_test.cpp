// The serve protocol: one JSON answer per input line whatever the line holds, the id echoed,
// runs kept apart and forgotten on end_run, discovery checked against RFC 8414 3.3.

#include <sstream>

#include <gtest/gtest.h>

#include "fake_transport.hpp"
#include "mocks/client/serve.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using testing::fake_transport;

struct serve_test : ::testing::Test {
  fake_transport net;
  step_executor executor{net};
  serve_loop loop{executor};

  json answer(const std::string& line) {
    std::string out = loop.handle_line(line);
    EXPECT_EQ(out.find('\n'), std::string::npos);
    json j = json::parse(out, nullptr, false);
    EXPECT_TRUE(j.is_object()) << out;
    return j;
  }
  static json resource(const std::string& name) {
    return {{"name", name}, {"action", "resource"}, {"url", "https://rs.example/resource"}, {"access_token", "at"},
            {"token_type", "DPoP"}, {"dpop", {{"key", "k1"}}}, {"trace", "t/" + name}};
  }
  json step(const json& id, const std::string& run, const json& s) {
    return answer(json{{"id", id}, {"op", "step"}, {"run", run}, {"step", s}}.dump());
  }
};

TEST_F(serve_test, MalformedLinesGetAnErrorWithTheirId) {
  struct bad {
    std::string line;
    json id;
  };
  const bad cases[] = {
      {"not json at all", nullptr},
      {"", nullptr},
      {"[1,2]", nullptr},
      {"\"op\"", nullptr},
      {"{\"id\": 3", nullptr},
      {std::string("{\"id\":1,\"op\":\"st\xff\xfe\"}"), nullptr},  // invalid UTF-8: not JSON
      {R"({"op": "step"})", nullptr},
      {R"({"id": 7})", 7},
      {R"({"id": "x", "op": 5})", "x"},
      {R"({"id": [1], "op": "launch_missiles"})", json::array({1})},
      {R"({"id": 8, "op": "step"})", 8},
      {R"({"id": 9, "op": "step", "run": "r"})", 9},
      {R"({"id": 10, "op": "step", "run": 4, "step": {}})", 10},
      {R"({"id": 11, "op": "step", "run": "r", "step": {"name": "s", "action": "token"}})", 11},
      {R"({"id": 12, "op": "step", "run": "r", "step": {"name": "s", "action": "resource", "url": "https://x/", "dpop": {"defects": {"nope": 1}}}})", 12},
      {R"({"id": 13, "op": "step", "run": "r", "step": {"name": "s", "action": "replay", "of": "never"}})", 13},
      {R"({"id": 14, "op": "end_run"})", 14},
      {R"({"id": 15, "op": "discover"})", 15},
      {R"({"id": 16, "op": "discover", "issuer": "https://as", "tls": 3})", 16},
  };
  for (const auto& c : cases) {
    json a = answer(c.line);
    EXPECT_TRUE(a.contains("error")) << c.line;
    EXPECT_TRUE(a["error"].is_string()) << c.line;
    EXPECT_EQ(a["id"], c.id) << c.line;
    EXPECT_FALSE(a.contains("observation")) << c.line;
  }
  EXPECT_TRUE(net.sent.empty());  // nothing malformed reached the network
}

TEST_F(serve_test, DeepNestingIsRefusedNotRecursedInto) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  json a = answer("{\"id\": " + deep + ", \"op\": \"end_run\", \"run\": \"r\"}");
  EXPECT_TRUE(a.contains("error"));
  EXPECT_TRUE(a["id"].is_null());
  // Brackets inside strings are text, not nesting.
  json b = answer(json{{"id", std::string(1000, '[')}, {"op", "end_run"}, {"run", "r"}}.dump());
  EXPECT_EQ(b["ok"], true);
}

TEST_F(serve_test, OneAnswerLinePerInputLine) {
  std::string input = "garbage\n\n" + json{{"id", 1}, {"op", "step"}, {"run", "r"}, {"step", resource("a")}}.dump() +
                      "\r\n{\"id\":2,\"op\":\"end_run\",\"run\":\"r\"}\n" + std::string(100000, '{') + "\n";
  std::istringstream in(input);
  std::ostringstream out;
  EXPECT_EQ(loop.run(in, out), 5u);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<json> answers;
  while (std::getline(lines, line)) answers.push_back(json::parse(line));
  ASSERT_EQ(answers.size(), 5u);
  EXPECT_TRUE(answers[2].contains("observation"));
  EXPECT_EQ(answers[2]["id"], 1);
  EXPECT_EQ(answers[3], (json{{"id", 2}, {"ok", true}}));
  EXPECT_TRUE(answers[4].contains("error"));
}

TEST_F(serve_test, ObservationCarriesTheTraceHeader) {
  json a = step("s1", "run-1", resource("probe"));
  ASSERT_TRUE(a.contains("observation")) << a.dump();
  EXPECT_EQ(a["id"], "s1");
  EXPECT_EQ(a["observation"]["step"], "probe");
  ASSERT_EQ(net.sent.size(), 1u);
  EXPECT_EQ(net.sent[0].req.headers.first("Tether-Trace"), "t/probe");
}

TEST_F(serve_test, RunsKeepTheirOwnKeysUntilEndRun) {
  auto jkt = [](const json& a) { return a["observation"]["request"]["dpop"]["jkt"].get<std::string>(); };
  const std::string a1 = jkt(step(1, "A", resource("x")));
  const std::string a2 = jkt(step(2, "A", resource("y")));
  const std::string b1 = jkt(step(3, "B", resource("x")));
  EXPECT_EQ(a1, a2);
  EXPECT_NE(a1, b1);
  EXPECT_EQ(loop.runs().size(), 2u);
  EXPECT_EQ(answer(R"({"id": 4, "op": "end_run", "run": "A"})")["ok"], true);
  EXPECT_EQ(loop.runs().size(), 1u);
  EXPECT_NE(jkt(step(5, "A", resource("x"))), a1);
  // A replay names a step of its own run only.
  json replay = {{"name", "r"}, {"action", "replay"}, {"of", "y"}};
  EXPECT_TRUE(step(6, "A", replay).contains("error"));
  EXPECT_TRUE(step(7, "B", json{{"name", "r"}, {"action", "replay"}, {"of", "x"}}).contains("observation"));
}

TEST_F(serve_test, DiscoverChecksTheIssuer) {
  net.queue.push_back(fake_transport::reply(200, R"({"issuer":"https://as.example/tenant","token_endpoint":"https://as.example/t"})"));
  json a = answer(R"({"id": 1, "op": "discover", "issuer": "https://as.example/tenant"})");
  ASSERT_TRUE(a.contains("metadata")) << a.dump();
  EXPECT_EQ(a["metadata"]["token_endpoint"], "https://as.example/t");
  // RFC 8414 3.1: the well-known segment before the issuer's path.
  EXPECT_EQ(net.sent[0].url, "https://as.example/.well-known/oauth-authorization-server/tenant");

  net.queue.push_back(fake_transport::reply(200, R"({"issuer":"https://evil.example"})"));
  json b = answer(R"({"id": 2, "op": "discover", "issuer": "https://as.example/tenant"})");
  EXPECT_NE(b.value("error", std::string()).find("RFC 8414 3.3"), std::string::npos);

  net.queue.push_back(fake_transport::reply(404, "no"));
  EXPECT_TRUE(answer(R"({"id": 3, "op": "discover", "issuer": "https://as.example"})").contains("error"));
  net.queue.push_back(fake_transport::tls_failure("connect", "Connection refused", false));
  json d = answer(R"({"id": 4, "op": "discover", "issuer": "https://as.example"})");
  EXPECT_NE(d.value("error", std::string()).find("connect"), std::string::npos);
}

TEST_F(serve_test, DiscoverFallsBackToOpenIdConnectDiscoveryAndSaysSo) {
  // An AS that serves only OpenID Connect discovery: 404 at the RFC 8414 URL, the metadata at
  // the issuer + /.well-known/openid-configuration (OpenID Connect Discovery 1.0 section 4).
  net.queue.push_back(fake_transport::reply(404, "not found"));
  net.queue.push_back(fake_transport::reply(200, R"({"issuer":"https://as.example/realms/x","token_endpoint":"https://as.example/t"})"));
  json a = answer(R"({"id": 1, "op": "discover", "issuer": "https://as.example/realms/x"})");
  ASSERT_TRUE(a.contains("metadata")) << a.dump();
  ASSERT_EQ(net.sent.size(), 2u);
  EXPECT_EQ(net.sent[0].url, "https://as.example/.well-known/oauth-authorization-server/realms/x");
  EXPECT_EQ(net.sent[1].url, "https://as.example/realms/x/.well-known/openid-configuration");
  EXPECT_EQ(a["metadata_url"], "https://as.example/realms/x/.well-known/openid-configuration");
  EXPECT_EQ(a["via"], "openid-configuration");

  // Found at the RFC 8414 URL: no second request, and the answer says where.
  net.sent.clear();
  net.queue.push_back(fake_transport::reply(200, R"({"issuer":"https://as.example"})"));
  json b = answer(R"({"id": 2, "op": "discover", "issuer": "https://as.example"})");
  EXPECT_EQ(net.sent.size(), 1u);
  EXPECT_EQ(b["via"], "rfc8414");
  EXPECT_EQ(b["metadata_url"], "https://as.example/.well-known/oauth-authorization-server");

  // A given URL is used as it is, with no fallback, and both failures are named when neither works.
  net.sent.clear();
  net.queue.push_back(fake_transport::reply(404, "no"));
  json c = answer(R"({"id": 3, "op": "discover", "issuer": "https://as.example", "metadata_url": "https://as.example/meta"})");
  EXPECT_TRUE(c.contains("error"));
  EXPECT_EQ(net.sent.size(), 1u);
  net.queue.push_back(fake_transport::reply(404, "no"));
  net.queue.push_back(fake_transport::reply(404, "no"));
  json d = answer(R"({"id": 4, "op": "discover", "issuer": "https://as.example"})");
  EXPECT_NE(d.value("error", std::string()).find("oauth-authorization-server answered 404"), std::string::npos) << d;
  EXPECT_NE(d.value("error", std::string()).find("openid-configuration answered 404"), std::string::npos) << d;
}

}  // namespace
}  // namespace tether::client
