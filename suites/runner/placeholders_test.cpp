// Placeholders in target files ({port}, {port:NAME}, {certs}) and the loader's new members
// (launch.cwd, rs.urls, a registration's dpop_alg, expectations).

#include <gtest/gtest.h>

#include "runner/launch_placeholders.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;

TEST(Placeholders, SameNameSamePortEverywhere) {
  problem_list p;
  target t = read_target(json::parse(R"J({
    "schema": "tether-target/1", "name": "x", "roles": ["as"],
    "as": { "issuer": "https://127.0.0.1:{port}" },
    "launch": { "command": ["server", "--port", "{port}", "--mtls-port", "{port:mtls}", "--certs", "{certs}", "{\"json\":1}"],
                "env": { "ALIAS": "https://127.0.0.1:{port:mtls}/token" },
                "ready_url": "https://127.0.0.1:{port}/.well-known/oauth-authorization-server" }
  })J"), "/srv/targets/x.json", knob_catalog(), p);
  ASSERT_TRUE(p.empty()) << p.to_text();
  auto v = fill_placeholders(t, "/run/certs");
  ASSERT_TRUE(v) << v.err().message;
  ASSERT_EQ(v->ports.size(), 2u);
  int main_port = v->ports.at(""), mtls = v->ports.at("mtls");
  EXPECT_GT(main_port, 0);
  EXPECT_GT(mtls, 0);
  EXPECT_NE(main_port, mtls);
  std::string m = std::to_string(main_port);
  EXPECT_EQ(t.settings[role::as].issuer, "https://127.0.0.1:" + m);
  EXPECT_EQ(t.launch->command, (std::vector<std::string>{"server", "--port", m, "--mtls-port", std::to_string(mtls),
                                                         "--certs", "/run/certs", "{\"json\":1}"}));
  EXPECT_EQ(t.launch->env["ALIAS"], "https://127.0.0.1:" + std::to_string(mtls) + "/token");
  EXPECT_EQ(t.launch->ready_url, "https://127.0.0.1:" + m + "/.well-known/oauth-authorization-server");
  // The command runs from the target file's directory unless launch.cwd says otherwise.
  EXPECT_EQ(t.launch->cwd.rfind("/srv/targets", 0), 0u) << t.launch->cwd;
  EXPECT_EQ(t.dir, "/srv/targets");
}

TEST(Placeholders, MalformedPortPlaceholderIsNamed) {
  std::map<std::string, int> ports;
  status s = collect_ports("--port={port:}", ports);
  ASSERT_FALSE(s);
  EXPECT_NE(s.err().message.find("{port:NAME}"), std::string::npos) << s.err().message;
  EXPECT_TRUE(collect_ports("{ports} {portal}", ports));  // not placeholders
  EXPECT_TRUE(ports.empty());
}

TEST(Placeholders, SubstituteLeavesOtherTextAlone) {
  placeholder_values v;
  v.certs_dir = "/c";
  v.ports = {{"", 1}, {"b", 2}};
  v.programs = {{"tether-rs", "/b/mocks/rs/tether-rs"}};
  EXPECT_EQ(substitute("{port}{port:b}{certs}/{certs}{port:unknown}", v), "12/c//c{port:unknown}");
  EXPECT_EQ(substitute("{tether-rs} --port {port}", v), "/b/mocks/rs/tether-rs --port 1");
}

TEST(TargetMembers, RsUrlsRegistrationAlgAndExpectations) {
  problem_list p;
  target t = read_target(json::parse(R"J({
    "schema": "tether-target/1", "name": "x", "roles": ["rs"],
    "as": { "builtin": true }, "clients_file": "clients.json",
    "rs": { "url": "https://rs.example/api/data", "urls": { "/scoped/write/x": "https://rs.example/api/admin" } },
    "clients": { "dpop-bound": { "client_id": "d", "auth_method": "none", "dpop_alg": "EdDSA" } },
    "expectations": "x.expectations.json",
    "launch": { "command": ["rs"], "cwd": "../bin" }
  })J"), "/srv/targets/x.json", knob_catalog(), p);
  // clients_file does not exist here: only that problem is expected.
  ASSERT_EQ(p.size(), 1u) << p.to_text();
  EXPECT_EQ(t.settings[role::rs].urls["/scoped/write/x"], "https://rs.example/api/admin");
  EXPECT_EQ(t.clients["dpop-bound"].dpop_alg, "EdDSA");
  EXPECT_EQ(t.expectations_file, "/srv/targets/x.expectations.json");
  EXPECT_EQ(t.launch->cwd, "/srv/bin");
}

TEST(TargetMembers, BadRsUrlsAndAlgAreNamed) {
  problem_list p;
  (void)read_target(json::parse(R"J({
    "schema": "tether-target/1", "name": "x", "roles": ["rs"],
    "rs": { "url": "https://rs.example/", "urls": { "scoped": "https://rs.example/a", "/b": "http://rs.example/b" } },
    "clients": { "dpop-bound": { "client_id": "d", "auth_method": "none", "dpop_alg": "HS256" } }
  })J"), "t.json", knob_catalog(), p);
  std::string all = p.to_text();
  EXPECT_NE(all.find("/rs/urls/scoped: expected a path"), std::string::npos) << all;
  EXPECT_NE(all.find("/rs/urls/~1b: expected an https:// URL"), std::string::npos) << all;
  EXPECT_NE(all.find("/clients/dpop-bound/dpop_alg"), std::string::npos) << all;
}

}  // namespace
}  // namespace tether::runner
