// tether-rs's config file against type-mutated input (suites/runner/json_mutations.hpp): each
// value of a valid file replaced in turn by a value of each other JSON type. Each is accepted
// or refused with exit 2 and a message naming the file and a JSON pointer; nothing throws (an
// exception would end tether-rs with an abort instead of exit 2).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "mocks/rs/rs_cli.hpp"
#include "rs_test_support.hpp"
#include "suites/runner/json_mutations.hpp"

namespace tether::rs {
namespace {

using nlohmann::json;

TEST(RsConfigMutations, EveryWrongTypeIsNamedByFileAndPointer) {
  const std::string dir = testing::make_temp_dir("rs-config-mutations");
  const std::string path = dir + "/rs.json";
  const json original = {{"issuer", "https://as.file"}, {"jwks_file", "/dev/null"}, {"port", 9000},
                         {"audience", "a"},             {"event_log", "-"},
                         {"knobs", {{"require_nonce", true}, {"cnf_policy", "any"}}}};
  std::ofstream(path) << original.dump();
  ASSERT_TRUE(parse_command_line({"--config", path}).startup);
  std::size_t refused = 0;
  for (const auto& m : tether::testing::type_mutations(original)) {
    const std::string label = (m.pointer.empty() ? "/" : m.pointer) + " = " + m.replacement;
    std::ofstream(path, std::ios::trunc) << m.doc.dump();
    try {
      auto out = parse_command_line({"--config", path});
      if (out.startup) continue;
      ++refused;
      EXPECT_EQ(out.exit_code, 2) << label;
      const std::string prefix = "tether-rs: " + path + ": /";
      ASSERT_EQ(out.error.rfind(prefix, 0), 0u) << label << ": " << out.error;
      std::string pointer = out.error.substr(prefix.size() - 1, out.error.find(": ", prefix.size()) - (prefix.size() - 1));
      if (pointer == "/") pointer = "";
      EXPECT_TRUE(tether::testing::encloses(pointer, m.pointer) || tether::testing::encloses(m.pointer, pointer))
          << label << ": " << out.error;
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << ": exception escaped: " << e.what();
    }
  }
  EXPECT_GT(refused, 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tether::rs
