// The example scenarios against the real built-in mocks and tether-client. Skipped, saying
// which program is missing, until they are built.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
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

TEST(EndToEnd, ExampleScenariosAgainstTheBuiltinMocks) {
  if (std::string m = missing_programs(); !m.empty()) GTEST_SKIP() << "not built yet: " << m;
  fs::path out = fs::temp_directory_path() / ("tether-e2e-" + std::to_string(getpid()));
  fs::remove_all(out);
  fs::create_directories(out);
  std::string log = (out / "tether.log").string();
  auto t = child_process::spawn({{kTether, "run", "--scenarios", kData + "/scenarios", "--out", out.string(), "-j", "2"},
                                 {{"NO_COLOR", "1"}}, false, false, log, log, "tether"});
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
  EXPECT_EQ((*t)->exit_status(), 0) << text;
  fs::remove_all(out);
}

}  // namespace
}  // namespace tether::runner
