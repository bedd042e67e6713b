#pragma once
// Shared by the report tests: the fixtures in testdata/, golden-file comparison, temporary
// directories.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace tether::reports::test {

inline std::filesystem::path testdata(const std::string& name) {
  return std::filesystem::path(TETHER_REPORTS_TESTDATA) / name;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::json load_json(const std::string& name) {
  return nlohmann::json::parse(read_file(testdata(name)));
}

inline nlohmann::json fixture() { return load_json("report-fixture.json"); }

// Compares `actual` with testdata/<name>.golden. With TETHER_UPDATE_GOLDEN=1 in the
// environment the golden file is rewritten instead (then review the diff by eye before
// committing: a golden file is a claim that the output is right, not only that it is stable).
inline void expect_golden(const std::string& name, const std::string& actual) {
  const auto path = testdata(name + ".golden");
  const char* update = std::getenv("TETHER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing; run with TETHER_UPDATE_GOLDEN=1";
  const std::string expected = read_file(path);
  if (expected == actual) return;
  std::size_t at = 0;
  while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
  const std::size_t from = at < 80 ? 0 : at - 80;
  ADD_FAILURE() << name << " differs from " << path << " at byte " << at << "\n--- golden:\n"
                << expected.substr(from, 200) << "\n--- actual:\n" << actual.substr(from, 200)
                << "\n(set TETHER_UPDATE_GOLDEN=1 to rewrite, then review the diff)";
}

// A fresh directory under the build tree, removed when the test ends.
class temp_dir {
 public:
  temp_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(TETHER_BINARY_ROOT) / "suites" / "reports" / "tmp" /
            (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace tether::reports::test
