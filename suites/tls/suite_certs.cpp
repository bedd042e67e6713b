// Generates the suite's certificate set once per test program (a GoogleTest global
// environment), so that every test reads the same files and the generator itself runs under
// test on each run.

#include "suite_certs.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "certs/certgen.hpp"

namespace tether::tls::testing {
namespace {

std::string& dir_storage() {
  static std::string dir;
  return dir;
}

class suite_certs_environment : public ::testing::Environment {
 public:
  void SetUp() override {
    dir_storage() = make_temp_dir("set");
    auto made = certs::generate_suite_certificates(dir_storage());
    ASSERT_TRUE(made) << made.err().message;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_storage(), ec);
  }
};

[[maybe_unused]] const auto* const registered =
    ::testing::AddGlobalTestEnvironment(new suite_certs_environment);

}  // namespace

const std::string& suite_certs_dir() { return dir_storage(); }

certificate suite_cert(const std::string& name) {
  auto cert = certificate::load_file(suite_certs_dir() + "/" + name + ".crt");
  EXPECT_TRUE(cert) << (cert ? "" : cert.err().message);
  return cert ? cert.value() : certificate{};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

std::string make_temp_dir(const std::string& tag) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/tether-tls-" + tag + "-XXXXXX";
  if (!mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  return pattern;
}

}  // namespace tether::tls::testing
