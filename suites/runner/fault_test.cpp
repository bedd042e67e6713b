// Targets that are down or misbehave (tether-fault-server): every scenario that needs them is
// `error` with a reason that says what happened, the run finishes, the reports are written and
// the exit status is 1. Also launched implementations that exit or never answer. No assertion
// on time: the step timeout is short only so that the slow cases finish soon.

#include <gtest/gtest.h>

#include "run_tether.hpp"
#include "runner/launch_placeholders.hpp"

namespace tether::runner {
namespace {

using namespace tether::runner::testing;
using json = nlohmann::json;

const std::string kData = RUNNER_TEST_DATA;
const std::string kFaultServer = FAULT_SERVER_BIN;

struct fault_case {
  std::string mode;      // tether-fault-server --mode, or "down" for nothing listening
  std::string as_reason;  // a phrase every AS scenario's reason contains
  std::string rs_reason;  // the same for RS scenarios ("" when the mode is no fault for an RS)
};

std::ostream& operator<<(std::ostream& os, const fault_case& c) { return os << c.mode; }

// The fault server on a port of its own; stopped with the test.
struct fault_server {
  std::unique_ptr<child_process> process;
  int port = 0;
  std::string error;
  fault_server(const std::string& mode, const std::string& certs) {
    if (mode == "down") {
      std::map<std::string, int> p = {{"", 0}};
      if (!choose_free_ports(p)) error = "no free port";
      port = p[""];  // released: nothing listens there
      return;
    }
    spawn_options o;
    o.argv = {kFaultServer, "--mode", mode, "--certs", certs};
    o.label = "tether-fault-server";
    auto c = child_process::spawn(o);
    if (!c) {
      error = c.err().message;
      return;
    }
    process = std::move(*c);
    auto line = process->read_line(std::chrono::steady_clock::now() + std::chrono::seconds(30));
    if (!line) {
      error = line.err().message;
      return;
    }
    json ready = json::parse(*line, nullptr, false);
    port = ready.is_object() ? ready.value("port", 0) : 0;
    if (port == 0) error = "no ready line: " + *line;
  }
  ~fault_server() {
    if (process) process->stop();
  }
};

class Faults : public ::testing::TestWithParam<fault_case> {};

void expect_errors(const run_output& r, const std::string& role, const std::string& phrase) {
  ASSERT_TRUE(r.report.is_object()) << r.log;
  EXPECT_EQ(r.exit, 1) << r.log;
  int judged = 0;
  for (const auto& res : r.report["results"]) {
    if (res["role"] != role || res["verdict"] == "skip") continue;
    ++judged;
    EXPECT_EQ(res["verdict"], "error") << res["id"] << ": " << res["reason"] << "\n" << r.log;
    EXPECT_NE(res["reason"].get<std::string>().find(phrase), std::string::npos)
        << res["id"] << ": the reason does not say \"" << phrase << "\": " << res["reason"];
  }
  EXPECT_GT(judged, 0) << "no " << role << " scenario ran:\n" << r.log;
  for (const char* f : {"report.json", "junit.xml", "report.md", "report.html"})
    EXPECT_TRUE(fs::exists(r.out / f)) << f << " was not written";
}

TEST_P(Faults, AsTargetGivesErrorsAndTheRunFinishes) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  const fault_case& c = GetParam();
  scratch s("fault-as-" + c.mode);
  fault_server server(c.mode, default_certs_dir());
  ASSERT_TRUE(server.error.empty()) << server.error;
  json t = {{"schema", "tether-target/1"}, {"name", "a misbehaving AS (" + c.mode + ")"}, {"version", "test"},
            {"roles", {"as"}}, {"as", {{"issuer", "https://127.0.0.1:" + std::to_string(server.port)}}},
            {"clients", {{"mtls-pki", {{"client_id", "mtls-pki"}, {"auth_method", "tls_client_auth"}, {"cert", "client-a"}}},
                         {"secret-basic", {{"client_id", "secret-basic"}, {"auth_method", "client_secret_basic"},
                                           {"secret", "secret-basic-test-secret"}}},
                         {"dpop-bound", {{"client_id", "dpop-bound"}, {"auth_method", "client_secret_basic"},
                                         {"secret", "dpop-bound-test-secret"}}}}}};
  run_output r = run_tether({"--target", s.write_json("target.json", t), "--scenarios", kData + "/scenarios",
                             "--scenarios", kData + "/external", "--timeout", "1"},
                            s.dir / "out");
  expect_errors(r, "as", c.as_reason);
}

TEST_P(Faults, RsTargetGivesErrorsAndTheRunFinishes) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  const fault_case& c = GetParam();
  // A resource may be anything, HTML included: non-JSON is a fault only where JSON is due.
  if (c.rs_reason.empty()) GTEST_SKIP() << "not a fault for an RS";
  scratch s("fault-rs-" + c.mode);
  fault_server server(c.mode, default_certs_dir());
  ASSERT_TRUE(server.error.empty()) << server.error;
  json t = {{"schema", "tether-target/1"}, {"name", "a misbehaving RS (" + c.mode + ")"}, {"version", "test"},
            {"roles", {"rs"}}, {"as", {{"builtin", true}}},
            {"rs", {{"url", "https://127.0.0.1:" + std::to_string(server.port) + "/resource"}}},
            {"clients_file", kBuiltinClients}};
  // The whole RS catalogue, not a sample: scenarios without a control (an accepted probe, an
  // `either` outcome) must give `error` too, never a verdict read from an answer that is none.
  run_output r = run_tether({"--target", s.write_json("target.json", t), "--scenarios",
                             std::string(TETHER_SOURCE_ROOT) + "/scenarios", "--only", "*/rs-*", "--timeout", "1",
                             "-j", "4"},
                            s.dir / "out");
  expect_errors(r, "rs", c.rs_reason);
}

INSTANTIATE_TEST_SUITE_P(
    Runner, Faults,
    ::testing::Values(fault_case{"down", "failed at connect", "could not be reached"},
                      fault_case{"slow", "failed at timeout", "timed out"},
                      fault_case{"non_json", "did not answer a JSON object", ""},
                      fault_case{"redirect", "answered 302", "answered 302"},
                      fault_case{"server_error", "answered 500", "answered 500"},
                      fault_case{"huge", "larger than", "larger than the suite reads"},
                      fault_case{"garbage_tls", "failed at handshake", "handshake: wrong version number"}),
    [](const ::testing::TestParamInfo<fault_case>& i) { return i.param.mode; });

TEST(LaunchFaults, ATargetThatExitsAtOnceGivesErrorsWithItsOutput) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("launch-exit");
  json t = {{"schema", "tether-target/1"}, {"name", "exits at once"}, {"version", "test"}, {"roles", {"as"}},
            {"as", {{"issuer", "https://127.0.0.1:{port}"}}},
            {"clients", {{"mtls-pki", {{"client_id", "mtls-pki"}, {"auth_method", "tls_client_auth"}, {"cert", "client-a"}}}}},
            {"launch", {{"command", {"sh", "-c", "echo 'listen EADDRINUSE: port {port} taken' >&2; exit 3"}},
                        {"ready_url", "https://127.0.0.1:{port}/"}}}};
  run_output r = run_tether({"--target", s.write_json("target.json", t), "--scenarios", kData + "/scenarios"},
                            s.dir / "out");
  expect_errors(r, "as", "exited with status 3 before it was ready: listen EADDRINUSE");
}

TEST(LaunchFaults, ATargetThatNeverAnswersGivesErrors) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  scratch s("launch-silent");
  json t = {{"schema", "tether-target/1"}, {"name", "never ready"}, {"version", "test"}, {"roles", {"as"}},
            {"as", {{"issuer", "https://127.0.0.1:{port}"}}},
            {"clients", {{"mtls-pki", {{"client_id", "mtls-pki"}, {"auth_method", "tls_client_auth"}, {"cert", "client-a"}}}}},
            {"launch", {{"command", {"sleep", "600"}}, {"ready_url", "https://127.0.0.1:{port}/"}, {"timeout_s", 1}}}};
  run_output r = run_tether({"--target", s.write_json("target.json", t), "--scenarios", kData + "/scenarios"},
                            s.dir / "out");
  expect_errors(r, "as", "did not answer at https://127.0.0.1:");
}

}  // namespace
}  // namespace tether::runner
