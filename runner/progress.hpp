#pragma once
// What `tether run` prints while it works: one line per scenario as it finishes (verdict, ID,
// time), then the summary line and the report paths. Colour only on a terminal.

#include <cstdio>
#include <string>
#include <vector>

#include "runner/scenario_result.hpp"

namespace tether::runner {

class progress_printer {
 public:
  explicit progress_printer(std::FILE* out, bool colour);
  static bool want_colour(std::FILE* out);

  void scenario_done(const scenario_result& r);
  // "130 scenarios: 118 pass, 1 warn, 9 info, 2 skip, 0 fail, 0 error in 4.1 s (31.7 scenarios/s)"
  void summary(const std::vector<scenario_result>& results, double duration_ms);
  void line(const std::string& text);

 private:
  std::FILE* out_;
  bool colour_;
};

std::string summary_line(const std::vector<scenario_result>& results, double duration_ms);

}  // namespace tether::runner
