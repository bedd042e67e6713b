#include "support.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "certs/certgen.hpp"

namespace tether::client::testing {

const std::string& certs_dir() {
  static const std::string dir = [] {
    std::string d = std::string(TETHER_BINARY_ROOT) + "/certs";
    auto st = certs::ensure_suite_certificates(d);
    if (!st) ADD_FAILURE() << "certificate set: " << st.err().message;
    return d;
  }();
  return dir;
}

std::string manifest_x5t(const std::string& name) {
  auto j = nlohmann::json::parse(read_text(certs_dir() + "/manifest.json"), nullptr, false);
  if (j.is_discarded()) return "";
  return j["certificates"][name].value("x5t#S256", std::string());
}

namespace {

// Temporary directories are removed when the program ends with every test passed, and kept
// (event logs, stderr of the mocks) when one failed, to read why.
struct temp_dirs {
  std::vector<std::string> dirs;
  ~temp_dirs() {
    if (!::testing::UnitTest::GetInstance()->Passed()) return;
    std::error_code ignored;
    for (const auto& d : dirs) std::filesystem::remove_all(d, ignored);
  }
};

temp_dirs& registry() {
  static temp_dirs t;
  return t;
}

}  // namespace

std::string make_temp_dir(const std::string& tag) {
  std::string pattern = "/tmp/tether-client-" + tag + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const char* made = mkdtemp(buf.data());
  if (!made) return "/tmp";
  registry().dirs.push_back(made);
  return made;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::vector<nlohmann::json> read_events(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) out.push_back(std::move(j));
  }
  return out;
}

std::vector<nlohmann::json> events_for(const std::string& path, const std::string& trace_prefix,
                                       const std::string& endpoint) {
  std::vector<nlohmann::json> out;
  for (auto& e : read_events(path)) {
    const std::string trace = e.value("trace", std::string());
    if (trace.rfind(trace_prefix, 0) != 0) continue;
    if (!endpoint.empty() && e.value("endpoint", std::string()) != endpoint) continue;
    out.push_back(std::move(e));
  }
  return out;
}

std::string unique(const std::string& tag) {
  static std::atomic<int> counter{0};
  return tag + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

}  // namespace tether::client::testing
