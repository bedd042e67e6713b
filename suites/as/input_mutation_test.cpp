// tether-as's input files against type-mutated input (suites/runner/json_mutations.hpp): each
// value of a valid client registry and config file replaced in turn by a value of each other
// JSON type. Each is loaded or refused with a message naming the file and the member; nothing
// throws (an exception would end tether-as with an abort instead of exit 2).

#include <gtest/gtest.h>

#include <fstream>

#include "as_test_support.hpp"
#include "mocks/as/as_config.hpp"
#include "mocks/as/client_registry.hpp"
#include "mocks/common/mock_cli.hpp"
#include "suites/runner/json_mutations.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

// "FILE: /pointer: ..." where the pointer is the mutated value's, one enclosing it, or one inside it.
void expect_file_and_pointer(const std::string& message, const std::string& file, const std::string& mutated,
                             const std::string& label) {
  const std::string prefix = file + ": /";
  ASSERT_EQ(message.rfind(prefix, 0), 0u) << label << ": " << message;
  const std::size_t end = message.find(": ", prefix.size() - 1);
  std::string pointer = message.substr(prefix.size() - 1, end - (prefix.size() - 1));
  if (pointer == "/") pointer = "";
  EXPECT_TRUE(tether::testing::encloses(pointer, mutated) || tether::testing::encloses(mutated, pointer))
      << label << ": " << message;
}

TEST(AsInputMutations, ClientRegistry) {
  std::ifstream in(builtin_clients_file());
  const json original = json::parse(in);
  ASSERT_TRUE(client_registry::parse(original, certs_dir(), "clients.json"));
  std::size_t refused = 0;
  for (const auto& m : tether::testing::type_mutations(original)) {
    const std::string label = (m.pointer.empty() ? "/" : m.pointer) + " = " + m.replacement;
    try {
      auto r = client_registry::parse(m.doc, certs_dir(), "clients.json");
      if (r) continue;
      ++refused;
      expect_file_and_pointer(r.err().message, "clients.json", m.pointer, label);
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << ": exception escaped: " << e.what();
    }
  }
  EXPECT_GT(refused, 0u);
}

TEST(AsInputMutations, ConfigFile) {
  const json original = {{"port", 9443},      {"mtls_port", 9444},         {"issuer", "https://127.0.0.1:9443"},
                         {"signing_key", "k.pem"}, {"event_log", "-"},         {"threads", 2},
                         {"knobs", {{"require_nonce", true}, {"access_token_lifetime_s", 60}, {"mtls_and_dpop", "reject"}}}};
  {
    as_options o;
    mocks::common_options common;
    as_config c;
    ASSERT_TRUE(apply_config_file(original, "as.json", {}, o, common, c));
  }
  std::size_t refused = 0;
  for (const auto& m : tether::testing::type_mutations(original)) {
    const std::string label = (m.pointer.empty() ? "/" : m.pointer) + " = " + m.replacement;
    as_options o;
    mocks::common_options common;
    as_config c;
    try {
      auto s = apply_config_file(m.doc, "as.json", {}, o, common, c);
      if (s) continue;
      ++refused;
      expect_file_and_pointer(s.err().message, "as.json", m.pointer, label);
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << ": exception escaped: " << e.what();
    }
  }
  EXPECT_GT(refused, 0u);
}

}  // namespace
}  // namespace tether::as
