// The example scenarios against the real built-in mocks and tether-client. Skipped, saying
// which program is missing, until they are built.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <fstream>
#include <thread>

#include "runner/mock_commands.hpp"
#include "runner/process.hpp"

namespace tether::runner {
namespace {

namespace fs = std::filesystem;
const std::string kData = RUNNER_TEST_DATA;
const std::string kTether = std::string(TETHER_BINARY_ROOT) + "/runner/tether";

std::string missing_programs() {
  std::string missing;
  for (role r : {role::as, role::rs, role::client})
    if (!mock_binary_exists(r)) missing += (missing.empty() ? "" : ", ") + mock_binary(r);
  return missing;
}

struct run_output {
  std::optional<int> exit;
  std::string log;
  nlohmann::json report;
};

run_output run_tether(const std::vector<std::string>& args, const fs::path& out) {
  fs::remove_all(out);
  fs::create_directories(out);
  std::string log = (out / "tether.log").string();
  std::vector<std::string> argv = {kTether, "run", "--out", out.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  run_output r;
  auto t = child_process::spawn({argv, {{"NO_COLOR", "1"}}, false, false, log, log, "tether", ""});
  if (!t) {
    r.log = t.err().message;
    return r;
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!(*t)->exit_status() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  r.exit = (*t)->exit_status();
  std::ifstream logf(log);
  r.log.assign((std::istreambuf_iterator<char>(logf)), std::istreambuf_iterator<char>());
  std::ifstream rf(out / "report.json");
  r.report = nlohmann::json::parse(rf, nullptr, false);
  return r;
}

// A target whose built-in RS is broken on purpose (a `breaks` knob): the scenario about that
// check must fail, which shows the verdict comes from what the RS did.
TEST(EndToEnd, ABrokenMockIsCaught) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  fs::path out = fs::temp_directory_path() / ("tether-e2e-knob-" + std::to_string(getpid()));
  fs::create_directories(out);
  fs::path target = out.parent_path() / ("tether-e2e-knob-" + std::to_string(getpid()) + ".json");
  std::ofstream(target) << nlohmann::json{{"schema", "tether-target/1"}, {"name", "broken rs"}, {"version", "1"},
                                          {"roles", {"rs"}}, {"rs", {{"builtin", true}, {"knobs", {{"skip_ath_check", true}}}}},
                                          {"clients_file", std::string(TETHER_SOURCE_ROOT) + "/targets/builtin-clients.json"}}
                               .dump();
  run_output r = run_tether({"--target", target.string(), "--scenarios", kData + "/scenarios",
                             "--only", "*ath-mismatch"}, out);
  ASSERT_TRUE(r.report.is_object()) << r.log;
  ASSERT_EQ(r.report["results"].size(), 1u) << r.log;
  EXPECT_EQ(r.report["results"][0]["verdict"], "fail") << r.log;
  EXPECT_EQ(r.report["results"][0]["observed"]["outcome"], "accept") << r.log;
  EXPECT_EQ(r.exit, 1) << r.log;
  fs::remove_all(out);
  fs::remove(target);
}

TEST(EndToEnd, ExampleScenariosAgainstTheBuiltinMocks) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  fs::path out = fs::temp_directory_path() / ("tether-e2e-" + std::to_string(getpid()));
  fs::remove_all(out);
  fs::create_directories(out);
  std::string log = (out / "tether.log").string();
  auto t = child_process::spawn({{kTether, "run", "--scenarios", kData + "/scenarios", "--out", out.string(), "-j", "2"},
                                 {{"NO_COLOR", "1"}}, false, false, log, log, "tether", ""});
  ASSERT_TRUE(t) << t.err().message;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!(*t)->exit_status() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::ifstream logf(log);
  std::string text((std::istreambuf_iterator<char>(logf)), std::istreambuf_iterator<char>());
  ASSERT_TRUE((*t)->exit_status().has_value()) << text;
  std::ifstream rf(out / "report.json");
  nlohmann::json report = nlohmann::json::parse(rf, nullptr, false);
  ASSERT_TRUE(report.is_object()) << text;
  std::map<std::string, std::string> verdicts;
  for (const auto& r : report["results"]) verdicts[r["id"]] = r["verdict"].get<std::string>() + " " + r["reason"].get<std::string>();
  // Correct mocks: each requirement holds; the question is recorded as info.
  EXPECT_EQ(verdicts["example/rfc9449/4.3/rs-rejects-ath-mismatch"].substr(0, 4), "pass") << text;
  EXPECT_EQ(verdicts["example/rfc8705/3.1/as-binds-token-to-cert"].substr(0, 4), "pass") << text;
  EXPECT_EQ(verdicts["example/rfc8705/2/as-rejects-token-without-cert"].substr(0, 4), "pass") << text;
  EXPECT_EQ(verdicts["example/rfc9449/7.1/rs-dpop-token-without-proof"].substr(0, 4), "info") << text;
  EXPECT_EQ(verdicts["example/rfc9449/7/client-sends-proof-and-ath"].substr(0, 4), "pass") << text;
  EXPECT_EQ(verdicts["example/rfc8705/3/client-uses-its-certificate-at-the-rs"].substr(0, 4), "pass") << text;
  // A replay resends its original's bytes, Tether-Trace included; its events are still its own.
  EXPECT_EQ(verdicts["example/rfc9449/11.1/rs-rejects-replayed-proof"].substr(0, 4), "pass") << text;
  // The built-in client sends TETHER_TRACE, so its events are exactly those of its requests,
  // although it shares the mock servers with the other scenarios.
  for (const auto& r : report["results"]) {
    if (r["role"] != "client") continue;
    std::string dashed = r["id"];
    for (char& c : dashed)
      if (c == '/') c = '-';
    EXPECT_FALSE(r["steps"][0]["events"].empty()) << r["id"];
    for (const auto& e : r["steps"][0]["events"])
      EXPECT_NE(e.value("trace", std::string()).find("/" + dashed + "/"), std::string::npos)
          << r["id"] << " got an event of another scenario: " << e.dump();
  }
  EXPECT_EQ((*t)->exit_status(), 0) << text;
  fs::remove_all(out);
}

}  // namespace
}  // namespace tether::runner
