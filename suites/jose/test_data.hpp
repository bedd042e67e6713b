#pragma once
// Loads test data from suites/data (TETHER_TEST_DATA), failing the calling test when it cannot.

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tether::jose::testing {

inline std::string read_data_file(const std::string& relative) {
  const std::string path = std::string(TETHER_TEST_DATA) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline nlohmann::json load_json(const std::string& relative) {
  return nlohmann::json::parse(read_data_file(relative), nullptr, /*allow_exceptions=*/false);
}

}  // namespace tether::jose::testing
