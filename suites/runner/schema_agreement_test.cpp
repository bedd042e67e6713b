// The JSON Schemas and the C++ loader must agree: the same invalid files are refused by both,
// the same valid files accepted by both. ajv is run when the schema test has installed it
// (runner.schema.ajv); otherwise only the loader's side runs and the test says so.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "runner/scenario_loader.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

namespace fs = std::filesystem;
const std::string kData = RUNNER_TEST_DATA;
const std::string kRoot = TETHER_SOURCE_ROOT;
const std::string kAjv = std::string(RUNNER_NODE_TOOLS) + "/node_modules/.bin/ajv";

std::vector<std::string> json_files(const std::string& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") v.push_back(e.path().string());
  std::sort(v.begin(), v.end());
  return v;
}

bool loader_accepts_scenarios(const std::string& file) {
  problem_list p;
  (void)load_scenarios({file}, knob_catalog(), p);
  return p.empty();
}

// One ajv run for many files (starting node costs seconds): file -> valid.
std::map<std::string, bool> ajv_verdicts(const std::string& schema, const std::vector<std::string>& files) {
  fs::path out = fs::temp_directory_path() / ("tether-ajv-" + std::to_string(getpid()) + ".txt");
  std::string cmd = "'" + kAjv + "' validate --spec=draft2020 --strict=false -c ajv-formats -s '" + schema + "'";
  for (const auto& f : files) cmd += " -d '" + f + "'";
  cmd += " >'" + out.string() + "' 2>&1";
  (void)std::system(cmd.c_str());
  std::map<std::string, bool> verdicts;
  std::ifstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    for (const auto& f : files) {
      if (line == f + " valid") verdicts[f] = true;
      if (line == f + " invalid") verdicts[f] = false;
    }
  }
  fs::remove(out);
  return verdicts;
}

TEST(SchemaAgreement, LoaderRefusesEveryInvalidExample) {
  auto files = json_files(kData + "/invalid");
  ASSERT_GE(files.size(), 15u);
  for (const auto& f : files) EXPECT_FALSE(loader_accepts_scenarios(f)) << f;
}

TEST(SchemaAgreement, LoaderAcceptsEveryValidExample) {
  for (const auto& dir : {kData + "/scenarios", kData + "/process"})
    for (const auto& f : json_files(dir)) EXPECT_TRUE(loader_accepts_scenarios(f)) << f;
}

TEST(SchemaAgreement, AjvAgreesWithTheLoader) {
  if (access(kAjv.c_str(), X_OK) != 0)
    GTEST_SKIP() << "ajv is not installed in " << RUNNER_NODE_TOOLS << " (ctest -R runner.schema.ajv installs it)";
  std::vector<std::string> files = json_files(kData + "/invalid");
  for (const auto& dir : {kData + "/scenarios", kData + "/process"})
    for (const auto& f : json_files(dir)) files.push_back(f);
  auto ajv = ajv_verdicts(kRoot + "/scenarios/schema/scenario-v1.schema.json", files);
  for (const auto& f : files) {
    ASSERT_TRUE(ajv.count(f)) << "ajv said nothing about " << f;
    EXPECT_EQ(ajv[f], loader_accepts_scenarios(f)) << f;
  }
  problem_list p;
  (void)load_target(kRoot + "/targets/builtin.json", knob_catalog(), p);
  EXPECT_TRUE(p.empty());
  std::string target = kRoot + "/targets/builtin.json";
  EXPECT_TRUE(ajv_verdicts(kRoot + "/scenarios/schema/target-v1.schema.json", {target})[target]);
}

}  // namespace
}  // namespace tether::runner
