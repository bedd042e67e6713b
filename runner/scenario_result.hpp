#pragma once
// The result of one scenario: what the executor produces, the report builder and the progress
// lines read.

#include <string>
#include <vector>

#include "runner/judge.hpp"
#include "runner/scenario_model.hpp"

namespace tether::runner {

struct scenario_result {
  const scenario* sc = nullptr;
  std::string verdict;  // pass, fail, warn, info, skip, error
  std::string reason;
  double duration_ms = 0;
  double tls_handshake_ms = 0;  // sum over the scenario's requests
  std::vector<step_record> steps;
  std::string disabled_pattern;
};

}  // namespace tether::runner
