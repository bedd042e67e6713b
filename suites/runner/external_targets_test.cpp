// External implementations under test, each played by a real process the runner does not
// manage as a mock: an AS launched from the target file on ports chosen by the runner, an RS
// launched with the fixed issuer and key of the mock AS it must trust, and a client under test
// given as a command (tether-client's flow mode, and stand-ins that exit 89 or record their
// environment). Verdicts are compared with what the same scenarios give against the built-in
// mocks, which the README's rules decide, never with this code's own output.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "run_tether.hpp"
#include "runner/client_under_test.hpp"
#include "runner/launch_placeholders.hpp"

namespace tether::runner {
namespace {

using namespace tether::runner::testing;
using json = nlohmann::json;

const std::string kData = RUNNER_TEST_DATA;
const std::string kFakes = kSource + "/suites/runner/fakes";

json registrations() {
  // The scenario-facing names mapped to the mock AS's registrations (builtin-clients.json).
  return json::parse(R"J({
    "mtls-pki": { "client_id": "mtls-pki", "auth_method": "tls_client_auth", "cert": "client-a", "binding": "mtls" },
    "secret-basic": { "client_id": "secret-basic", "auth_method": "client_secret_basic",
                      "secret": "secret-basic-test-secret", "binding": "none" },
    "dpop-bound": { "client_id": "dpop-bound", "auth_method": "client_secret_basic",
                    "secret": "dpop-bound-test-secret", "binding": "dpop", "dpop_alg": "ES256" }
  })J");
}

// tether-as started by the target's launch block, on ports the runner picks.
json launched_as_target() {
  return {{"schema", "tether-target/1"}, {"name", "tether-as launched as an external AS"}, {"version", "test"},
          {"roles", {"as"}},
          {"as", {{"issuer", "https://127.0.0.1:{port}"}}},
          {"rs", {{"builtin", true}}},
          {"client", {{"builtin", true}}},
          {"clients", registrations()},
          {"launch", {{"command", {mock_binary(role::as), "--port", "{port}", "--mtls-port", "{port:mtls}", "--clients",
                                   kBuiltinClients, "--certs", "{certs}"}},
                      {"ready_url", "https://127.0.0.1:{port}/.well-known/oauth-authorization-server"},
                      {"timeout_s", 30}}}};
}

TEST(ExternalAs, LaunchedOnChosenPortsDiscoveredAndJudged) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-as");
  std::string target = s.write_json("target.json", launched_as_target());
  run_output r = run_tether({"--target", target, "--scenarios", kData + "/scenarios", "--scenarios", kData + "/external",
                             "-j", "2"},
                            s.dir / "out");
  ASSERT_TRUE(r.report.is_object()) << r.log;
  auto v = r.verdicts();
  // The same verdicts as against the built-in AS (end_to_end_test): the AS requirements hold.
  EXPECT_EQ(v["example/rfc8705/3.1/as-binds-token-to-cert"], "pass") << r.log;
  EXPECT_EQ(v["example/rfc8705/2/as-rejects-token-without-cert"], "pass") << r.log;
  EXPECT_EQ(v["example/rfc6749/2.3.1/as-rejects-wrong-secret"], "pass") << r.log;
  EXPECT_EQ(v["example/rfc9449/5/as-binds-token-to-proof-key"], "pass") << r.log;
  // RS and client scenarios are not this target's.
  EXPECT_EQ(v["example/rfc9449/4.3/rs-rejects-ath-mismatch"], "skip") << r.log;
  EXPECT_EQ(r.exit, 0) << r.log;
  // The AS really was the launched process, at the port the runner chose.
  std::string token_url = r.result("example/rfc8705/2/as-rejects-token-without-cert")["steps"][0]["request"]["url"];
  EXPECT_TRUE(std::regex_search(token_url, std::regex("^https://127\\.0\\.0\\.1:[0-9]+/token$"))) << token_url;
  EXPECT_NE(read_text(s.dir / "out" / "work" / "launched-target.log").find("\"ready\":true"), std::string::npos);
}

TEST(ExternalAs, CredentialsOfTheTargetAreNeverPrinted) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-secrets");
  std::string target = s.write_json("target.json", launched_as_target());
  run_output r = run_tether({"--target", target, "--scenarios", kData + "/external"}, s.dir / "out");
  ASSERT_TRUE(r.report.is_object()) << r.log;
  // The secrets, and HTTP Basic credentials made of them (RFC 6749 2.3.1: form-encoded id and
  // secret, then base64): "secret-basic:secret-basic-test-secret".
  const std::vector<std::string> secrets = {"secret-basic-test-secret", "dpop-bound-test-secret",
                                            "c2VjcmV0LWJhc2ljOnNlY3JldC1iYXNpYy10ZXN0LXNlY3JldA",
                                            "ZHBvcC1ib3VuZDpkcG9wLWJvdW5kLXRlc3Qtc2VjcmV0"};
  for (const char* f : {"report.json", "report.md", "report.html", "junit.xml"}) {
    std::string text = read_text(s.dir / "out" / f);
    ASSERT_FALSE(text.empty()) << f;
    for (const auto& secret : secrets) EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << f;
  }
  for (const auto& secret : secrets) EXPECT_EQ(r.log.find(secret), std::string::npos) << secret << " on the console";
  // The wrong secret the scenario sends on purpose is a credential too.
  EXPECT_EQ(read_text(s.dir / "out" / "report.json").find("not-the-secret"), std::string::npos);
}

// tether-rs launched as "the implementation": it trusts the suite's mock AS, which the target
// pins to a fixed port and key file, so the RS is configured once, before the run.
json launched_rs_target(int as_port, const std::string& key_file) {
  std::string issuer = "https://127.0.0.1:" + std::to_string(as_port);
  return {{"schema", "tether-target/1"}, {"name", "tether-rs launched as an external RS"}, {"version", "test"},
          {"roles", {"rs"}},
          {"as", {{"builtin", true}, {"fixed", {{"port", as_port}, {"signing_key", key_file}}}}},
          {"rs", {{"url", "https://127.0.0.1:{port}/resource"}, {"client_cert_mode", "optional"}, {"token_format", "jwt"}}},
          {"client", {{"builtin", true}}},
          {"clients_file", kBuiltinClients},
          {"launch", {{"command", {mock_binary(role::rs), "--port", "{port}", "--issuer", issuer, "--jwks-uri",
                                   issuer + "/jwks", "--certs", "{certs}"}},
                      {"ready_url", "https://127.0.0.1:{port}/resource"}}}};
}

int free_port() {
  std::map<std::string, int> p = {{"", 0}};
  EXPECT_TRUE(choose_free_ports(p));
  return p[""];
}

TEST(ExternalRs, TrustsTheFixedMockAsAndGetsTheBuiltinVerdicts) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-rs");
  int as_port = free_port();
  std::string target = s.write_json("target.json", launched_rs_target(as_port, "as-signing.pem"));
  std::vector<std::string> args = {"--target", target, "--scenarios", kData + "/scenarios"};
  run_output first = run_tether(args, s.dir / "out1");
  ASSERT_TRUE(first.report.is_object()) << first.log;
  auto v = first.verdicts();
  EXPECT_EQ(v["example/rfc9449/4.3/rs-rejects-ath-mismatch"], "pass") << first.log;
  EXPECT_EQ(v["example/rfc9449/7.1/rs-dpop-token-without-proof"], "info") << first.log;
  EXPECT_EQ(v["example/rfc8705/3.1/as-binds-token-to-cert"], "skip") << first.log;
  EXPECT_EQ(first.exit, 0) << first.log;
  // What the RS must be configured with is printed and written for scripts.
  std::string issuer = "https://127.0.0.1:" + std::to_string(as_port);
  EXPECT_NE(first.log.find("issuer:   " + issuer), std::string::npos) << first.log;
  EXPECT_NE(first.log.find("JWKS URL: " + issuer + "/jwks"), std::string::npos) << first.log;
  EXPECT_NE(first.log.find("audience: tether-rs"), std::string::npos) << first.log;
  json trust1 = json::parse(read_text(s.dir / "out1" / "rs-trust.json"), nullptr, false);
  ASSERT_TRUE(trust1.is_object()) << first.log;
  EXPECT_EQ(trust1["issuer"], issuer);
  EXPECT_EQ(trust1["signing_key_file"], (s.dir / "as-signing.pem").string());
  ASSERT_TRUE(trust1["jwks"]["keys"].is_array());
  ASSERT_EQ(trust1["jwks"]["keys"].size(), 1u);
  EXPECT_FALSE(trust1["jwks"]["keys"][0].contains("d")) << "a private key member was written";
  // A second run has the same issuer and the same key: the RS needs no new configuration.
  run_output second = run_tether(args, s.dir / "out2");
  json trust2 = json::parse(read_text(s.dir / "out2" / "rs-trust.json"), nullptr, false);
  ASSERT_TRUE(trust2.is_object()) << second.log;
  EXPECT_EQ(trust2["jwks"]["keys"][0]["kid"], trust1["jwks"]["keys"][0]["kid"]);
  EXPECT_EQ(second.verdicts(), v) << second.log;
}

TEST(ExternalRs, TheRsCatalogueGivesTheSameVerdictsAsAgainstTheBuiltinRs) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-rs-catalogue");
  json builtin_rs = {{"schema", "tether-target/1"}, {"name", "built-in RS"}, {"version", "test"}, {"roles", {"rs"}},
                     {"clients_file", kBuiltinClients}};
  run_output in = run_tether({"--target", s.write_json("builtin.json", builtin_rs)}, s.dir / "builtin");
  run_output ext = run_tether({"--target", s.write_json("external.json", launched_rs_target(free_port(), "as.pem"))},
                              s.dir / "external");
  ASSERT_TRUE(in.report.is_object()) << in.log;
  ASSERT_TRUE(ext.report.is_object()) << ext.log;
  auto want = in.verdicts();
  int compared = 0;
  for (const auto& [id, verdict] : ext.verdicts()) {
    json r = ext.result(id);
    if (r["role"] != "rs" || verdict == "skip") continue;
    ++compared;
    EXPECT_EQ(verdict, want[id]) << id << ": " << r["reason"];
  }
  // Scenarios that need the mock AS or the RS set up otherwise are skipped, saying why; the
  // rest must be the bulk of the RS catalogue.
  EXPECT_GT(compared, 20) << ext.log;
  for (const auto& r : ext.report["results"]) {
    if (r["role"] == "rs" && r["verdict"] == "skip") {
      EXPECT_TRUE(r["reason"].get<std::string>().rfind("needs ", 0) == 0) << r["id"] << ": " << r["reason"];
    }
  }
}

// Both servers external (roles as and rs): the guide's worked example, which launches tether-as
// as "the real AS" and tether-rs as its RS, trusting it and nothing of the suite's. The RS
// scenarios get their tokens from that AS with the target's registrations, as a deployment's own
// AS and RS (or an AS's userinfo endpoint) are tested.
const std::string kAsAndRsGuide = kSource + "/docs/guides/as-and-rs-target.json";

TEST(ExternalAsAndRs, TheRsCatalogueRunsWithTheRealAsTokensAndTheMockAsScenariosSkip) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-as-rs");
  json builtin_rs = {{"schema", "tether-target/1"}, {"name", "built-in RS"}, {"version", "test"}, {"roles", {"rs"}},
                     {"clients_file", kBuiltinClients}};
  std::vector<std::string> rs_only = {"--only", "*/rs-*", "-j", "2"};
  auto args = [&](const std::string& target) {
    std::vector<std::string> a = {"--target", target};
    a.insert(a.end(), rs_only.begin(), rs_only.end());
    return a;
  };
  run_output in = run_tether(args(s.write_json("builtin.json", builtin_rs)), s.dir / "builtin");
  run_output ext = run_tether(args(kAsAndRsGuide), s.dir / "external");
  ASSERT_TRUE(in.report.is_object()) << in.log;
  ASSERT_TRUE(ext.report.is_object()) << ext.log;
  auto want = in.verdicts();
  int compared = 0, mock_as_skips = 0;
  for (const auto& r : ext.report["results"]) {
    if (r["role"] != "rs") continue;
    std::string id = r["id"], verdict = r["verdict"], reason = r.value("reason", std::string());
    if (verdict == "skip") {
      // Skipped for what only the mock AS can do, or for what the RS does not declare; never
      // for want of an AS.
      EXPECT_TRUE(reason.rfind("needs ", 0) == 0) << id << ": " << reason;
      if (reason.find("AS") != std::string::npos) ++mock_as_skips;
      continue;
    }
    ++compared;
    EXPECT_EQ(verdict, want[id]) << id << ": " << reason;
  }
  EXPECT_GT(compared, 20) << ext.log;
  EXPECT_GT(mock_as_skips, 0) << ext.log;
  // A token only the mock AS mints (a padded cnf.x5t#S256: the scenario's mocks.as) is a skip
  // naming the knob, where the built-in run judged it.
  EXPECT_NE(want["rfc8705/3.1/rs-padded-thumbprint"], "skip") << in.log;
  json padded = ext.result("rfc8705/3.1/rs-padded-thumbprint");
  EXPECT_EQ(padded["verdict"], "skip") << ext.log;
  EXPECT_NE(padded.value("reason", std::string()).find("pad_x5t"), std::string::npos) << padded["reason"];
  // What a real AS's userinfo was found doing: a proof by a key other than cnf.jkt.
  EXPECT_EQ(ext.result("rfc9449/4.3/rs-rejects-proof-key-not-bound-key")["verdict"], "pass") << ext.log;
  // Both servers were the launched processes: the token from the AS on one chosen port, the
  // resource request to the RS on another; no mock was started.
  json r = ext.result("rfc9449/4.3/rs-rejects-proof-key-not-bound-key");
  std::string token_url = r["steps"][0]["request"]["url"];
  std::string resource_url = r["steps"].back()["request"]["url"];
  EXPECT_TRUE(std::regex_search(token_url, std::regex("^https://127\\.0\\.0\\.1:[0-9]+/token$"))) << token_url;
  EXPECT_NE(origin_of(token_url), origin_of(resource_url));
  EXPECT_NE(read_text(s.dir / "external" / "work" / "launched-target.log").find("\"ready\":true"), std::string::npos);
}

// The RS scenarios of the catalogue whose mock AS has knobs (`mocks.as`), read from the files.
std::vector<std::string> rs_scenarios_with_as_knobs() {
  std::vector<std::string> ids;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSource + "/scenarios")) {
    if (entry.path().extension() != ".json" || entry.path().parent_path().filename() == "schema") continue;
    json doc = json::parse(read_text(entry.path()), nullptr, false);
    if (!doc.is_object() || !doc.contains("scenarios") || !doc["scenarios"].is_array()) continue;
    for (const auto& sc : doc["scenarios"])
      if (sc.value("role", std::string()) == "rs" && sc.contains("mocks") && sc["mocks"].contains("as") &&
          !sc["mocks"]["as"].empty())
        ids.push_back(sc["id"].get<std::string>());
  }
  return ids;
}

// The pinned AS an external RS trusts issues each scenario's token shape by a token profile
// (runner/pinned_profiles.hpp), without a restart: every such RS scenario runs, and gives the
// verdict it gives against the built-in RS (where the AS is started with the knobs).
TEST(ExternalRs, ScenariosWithMockAsKnobsRunAgainstThePinnedAs) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  std::vector<std::string> ids = rs_scenarios_with_as_knobs();
  ASSERT_GE(ids.size(), 5u) << "the catalogue's dual-binding, thumbprint and typ scenarios";
  scratch s("ext-rs-as-knobs");
  std::vector<std::string> only;
  for (const auto& id : ids) only.insert(only.end(), {"--only", id});
  json builtin_rs = {{"schema", "tether-target/1"}, {"name", "built-in RS"}, {"version", "test"}, {"roles", {"rs"}},
                     {"clients_file", kBuiltinClients}};
  std::vector<std::string> in_args = {"--target", s.write_json("builtin.json", builtin_rs), "-j", "2"};
  in_args.insert(in_args.end(), only.begin(), only.end());
  run_output in = run_tether(in_args, s.dir / "builtin");
  std::vector<std::string> ext_args = {"--target", s.write_json("external.json", launched_rs_target(free_port(), "as.pem")),
                                       "-j", "2"};
  ext_args.insert(ext_args.end(), only.begin(), only.end());
  run_output ext = run_tether(ext_args, s.dir / "external");
  ASSERT_TRUE(in.report.is_object()) << in.log;
  ASSERT_TRUE(ext.report.is_object()) << ext.log;
  auto want = in.verdicts();
  auto got = ext.verdicts();
  for (const auto& id : ids) {
    ASSERT_TRUE(got.count(id)) << id << " was not run\n" << ext.log;
    EXPECT_NE(got[id], "skip") << id << ": " << ext.result(id)["reason"];
    EXPECT_NE(want[id], "skip") << id << ": " << in.result(id)["reason"];
    EXPECT_EQ(got[id], want[id]) << id << ": " << ext.result(id)["reason"];
  }
  // One pinned AS served them all: the RS was configured once, before the run.
  EXPECT_NE(ext.log.find("The RS under test must trust the suite's mock AS"), std::string::npos) << ext.log;
  std::size_t as_logs = 0;
  for (const auto& e : std::filesystem::directory_iterator(s.dir / "external" / "work"))
    if (e.path().filename().string().rfind("as-", 0) == 0 && e.path().extension() == ".jsonl") ++as_logs;
  EXPECT_EQ(as_logs, 1u);
  // The profile file was removed once the AS had read it (runner/mock_pool.cpp).
  for (const auto& e : std::filesystem::directory_iterator(s.dir / "external" / "work"))
    EXPECT_EQ(e.path().string().find("token-profiles"), std::string::npos) << e.path();
}

TEST(ExternalClient, TetherClientFlowAsACommand) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-client");
  json t = {{"schema", "tether-target/1"}, {"name", "tether-client flow as an external client"}, {"version", "test"},
            {"roles", {"client"}}, {"as", {{"builtin", true}}}, {"rs", {{"builtin", true}}},
            {"client", {{"command", {mock_binary(role::client), "flow"}}, {"timeout_s", 30}}},
            {"clients_file", kBuiltinClients}};
  run_output ok = run_tether({"--target", s.write_json("target.json", t), "--scenarios", kData + "/scenarios"},
                             s.dir / "out");
  ASSERT_TRUE(ok.report.is_object()) << ok.log;
  EXPECT_EQ(ok.verdicts()["example/rfc9449/7/client-sends-proof-and-ath"], "pass") << ok.log;
  EXPECT_EQ(ok.verdicts()["example/rfc9449/4.3/rs-rejects-ath-mismatch"], "skip") << ok.log;
  EXPECT_EQ(ok.exit, 0) << ok.log;
  // The same command with a defect (no ath in its proofs) fails that scenario: the verdict
  // comes from what the mock RS observed the external client do.
  t["client"]["command"] = {mock_binary(role::client), "flow", "--knob", "omit_ath=true"};
  run_output broken = run_tether({"--target", s.write_json("broken.json", t), "--scenarios", kData + "/scenarios"},
                                 s.dir / "out-broken");
  ASSERT_TRUE(broken.report.is_object()) << broken.log;
  EXPECT_EQ(broken.verdicts()["example/rfc9449/7/client-sends-proof-and-ath"], "fail") << broken.log;
  EXPECT_EQ(broken.exit, 1) << broken.log;
}

TEST(ExternalClient, TheClientCatalogueGivesTheSameVerdictsAsTheBuiltinClient) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-client-catalogue");
  json builtin = {{"schema", "tether-target/1"}, {"name", "built-in client"}, {"version", "test"},
                  {"roles", {"client"}}, {"clients_file", kBuiltinClients}};
  json external = builtin;
  external["name"] = "tether-client flow as a command";
  external["client"] = {{"command", {"{tether-client}", "flow"}}};
  run_output in = run_tether({"--target", s.write_json("builtin.json", builtin)}, s.dir / "builtin");
  run_output ext = run_tether({"--target", s.write_json("external.json", external)}, s.dir / "external");
  ASSERT_TRUE(in.report.is_object()) << in.log;
  ASSERT_TRUE(ext.report.is_object()) << ext.log;
  auto want = in.verdicts();
  int compared = 0;
  for (const auto& [id, verdict] : ext.verdicts()) {
    if (ext.result(id)["role"] != "client") continue;
    ++compared;
    EXPECT_EQ(verdict, want[id]) << id << ": " << ext.result(id)["reason"];
  }
  EXPECT_GT(compared, 0) << ext.log;
}

TEST(ExternalClient, ExitStatus89IsASkipAndTheEnvironmentIsAsDocumented) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("ext-client-89");
  // Relative to the target file's directory, where the runner starts it.
  fs::copy_file(kFakes + "/unsupported-client.sh", s.dir / "stand-in.sh");
  json t = {{"schema", "tether-target/1"}, {"name", "a client that supports nothing"}, {"version", "test"},
            {"roles", {"client"}}, {"as", {{"builtin", true}}}, {"rs", {{"builtin", true}}},
            {"client", {{"command", {"./stand-in.sh"}}}},
            {"clients_file", kBuiltinClients}};
  std::string env_file = (s.dir / "client-env.txt").string();
  run_output r = run_tether({"--target", s.write_json("target.json", t), "--scenarios", kData + "/scenarios", "--only",
                             "*/client-sends-proof-and-ath"},
                            s.dir / "out", {{"STAND_IN_ENV_FILE", env_file}});
  ASSERT_TRUE(r.report.is_object()) << r.log;
  json res = r.result("example/rfc9449/7/client-sends-proof-and-ath");
  EXPECT_EQ(res["verdict"], "skip") << r.log;
  EXPECT_NE(res["reason"].get<std::string>().find("exit status 89"), std::string::npos) << res["reason"];
  EXPECT_EQ(r.exit, 0) << r.log;
  // targets/README.md lists these variables; the stand-in wrote what it was given.
  std::map<std::string, std::string> env;
  std::istringstream lines(read_text(env_file));
  for (std::string line; std::getline(lines, line);)
    if (auto eq = line.find('='); eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  for (const char* k : {"TETHER_AS_ISSUER", "TETHER_AS_METADATA", "TETHER_RS_URL", "TETHER_CA_FILE", "TETHER_CERTS",
                        "TETHER_CLIENT_ID", "TETHER_CLIENT_AUTH_METHOD", "TETHER_CLIENT_SECRET", "TETHER_BINDING",
                        "TETHER_DPOP_ALG", "TETHER_FLOW", "TETHER_TRACE", "PWD"})
    EXPECT_TRUE(env.count(k)) << k << " missing; got:\n" << read_text(env_file);
  EXPECT_EQ(env["TETHER_CLIENT_ID"], "dpop-bound");
  EXPECT_EQ(env["TETHER_BINDING"], "dpop");
  EXPECT_EQ(env["TETHER_FLOW"], "token+resource");
  EXPECT_EQ(env["TETHER_AS_METADATA"], env["TETHER_AS_ISSUER"] + "/.well-known/oauth-authorization-server");
  EXPECT_TRUE(fs::exists(env["TETHER_CA_FILE"])) << env["TETHER_CA_FILE"];
  EXPECT_TRUE(fs::exists(env["TETHER_CERTS"] + "/client-a.crt")) << env["TETHER_CERTS"];
  EXPECT_EQ(fs::canonical(env["PWD"]), fs::canonical(s.dir)) << "the command did not run in the target file's directory";
}

}  // namespace
}  // namespace tether::runner
