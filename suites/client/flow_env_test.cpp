// The TETHER_* environment of a client under test (targets/README.md): what is unsupported
// (exit 89, the verdict is skip) and what is bad input (exit 2), decided before anything is sent.

#include <map>

#include <gtest/gtest.h>

#include "fake_transport.hpp"
#include "mocks/client/flow.hpp"

namespace tether::client {
namespace {

std::map<std::string, std::string> complete() {
  return {{"TETHER_AS_ISSUER", "https://as.example"}, {"TETHER_RS_URL", "https://rs.example/resource"},
          {"TETHER_CLIENT_ID", "c"}, {"TETHER_CLIENT_AUTH_METHOD", "client_secret_basic"},
          {"TETHER_CLIENT_SECRET", "s"}, {"TETHER_BINDING", "dpop"}, {"TETHER_FLOW", "token+resource"}};
}

flow_env env_of(const std::map<std::string, std::string>& vars, const std::string& name = "") {
  return read_flow_env(
      [&](const char* n) -> const char* {
        auto it = vars.find(n);
        return it == vars.end() ? nullptr : it->second.c_str();
      },
      name);
}

TEST(FlowEnv, CompleteEnvironmentPasses) {
  flow_env e = env_of(complete());
  EXPECT_EQ(check_flow_env(e).problem, env_problem::none);
  EXPECT_EQ(e.dpop_alg, "ES256");  // default
  EXPECT_EQ(env_of(complete(), "token").flow, "token");  // the command line wins over TETHER_FLOW
}

TEST(FlowEnv, UnsupportedRequests) {
  for (auto [name, value] : std::map<std::string, std::string>{{"TETHER_FLOW", "device_code"},
                                                               {"TETHER_BINDING", "gnap"},
                                                               {"TETHER_CLIENT_AUTH_METHOD", "private_key_jwt"},
                                                               {"TETHER_DPOP_ALG", "HS256"}}) {
    auto vars = complete();
    vars[name] = value;
    env_check c = check_flow_env(env_of(vars));
    EXPECT_EQ(c.problem, env_problem::unsupported) << name;
    EXPECT_NE(c.message.find(value), std::string::npos) << c.message;
  }
}

TEST(FlowEnv, BadInput) {
  for (const char* missing : {"TETHER_AS_ISSUER", "TETHER_CLIENT_ID", "TETHER_RS_URL", "TETHER_CLIENT_SECRET", "TETHER_FLOW"}) {
    auto vars = complete();
    vars.erase(missing);
    if (std::string(missing) == "TETHER_CLIENT_SECRET") vars["TETHER_CLIENT_AUTH_METHOD"] = "client_secret_post";
    env_check c = check_flow_env(env_of(vars));
    EXPECT_EQ(c.problem, env_problem::bad_input) << missing;
  }
  auto vars = complete();
  vars["TETHER_BINDING"] = "mtls";
  EXPECT_NE(check_flow_env(env_of(vars)).message.find("TETHER_CLIENT_CERT"), std::string::npos);
  vars = complete();
  vars["TETHER_FLOW"] = "token";
  vars.erase("TETHER_RS_URL");
  EXPECT_EQ(check_flow_env(env_of(vars)).problem, env_problem::none);  // token flows need no RS
}

TEST(FlowEnv, RunFlowReportsWithoutSending) {
  testing::fake_transport net;
  step_executor exec(net);
  auto vars = complete();
  vars["TETHER_FLOW"] = "implicit";
  flow_result r = run_flow(env_of(vars), client_config{}, exec, "/nonexistent");
  EXPECT_EQ(r.exit_code, exit_flow_unsupported);
  EXPECT_EQ(r.summary["result"], "unsupported");
  EXPECT_TRUE(net.sent.empty());
}

TEST(FlowKnobs, TableDescribesEveryKnob) {
  auto d = client_knobs().describe();
  ASSERT_TRUE(d.is_array());
  for (const auto& k : d) {
    EXPECT_FALSE(k["description"].get<std::string>().empty()) << k["name"];
    if (k["kind"] == "breaks") {
      EXPECT_EQ(k["default"], false) << k["name"];  // correct by default
      EXPECT_NE(k["description"].get<std::string>().find("RFC"), std::string::npos) << k["name"];
    }
  }
  client_config c;
  EXPECT_TRUE(client_knobs().assign(c, "reuse_jti=true").ok());
  EXPECT_TRUE(c.reuse_jti);
  EXPECT_FALSE(client_knobs().assign(c, "reuse_jti=perhaps").ok());
  EXPECT_FALSE(client_knobs().assign(c, "reuse_jtis=true").ok());
}

}  // namespace
}  // namespace tether::client
