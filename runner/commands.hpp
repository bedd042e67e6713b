#pragma once
// The sub-commands of `tether` (design.md 3). Each returns the process exit status:
// 0 nothing failed or errored, 1 something did, 2 bad input (nothing run, no report written).

#include <string>
#include <vector>

namespace tether::runner {

constexpr int exit_ok = 0;
constexpr int exit_failed = 1;
constexpr int exit_bad_input = 2;
constexpr int exit_skipped = 77;  // report-verdict: the scenario was skipped (CTest SKIP_RETURN_CODE)

struct run_command_options {
  std::string target_file;  // "" = targets/builtin.json
  std::vector<std::string> scenario_paths;
  std::vector<std::string> only, skip;
  std::string out_dir = "results";
  int jobs = 2;
  bool strict = false;
  double step_timeout_s = 10;
  std::string expectations_file;  // "" = the target's `expectations`, if any
};

struct list_command_options {
  std::vector<std::string> scenario_paths;
  bool json = false;
  bool coverage = false;
  bool markdown = false;
};

int run_command(const run_command_options& o);
int list_command(const list_command_options& o);
int validate_command(const std::vector<std::string>& files);
int matrix_command(const std::vector<std::string>& reports, const std::string& out_dir);
int report_verdict_command(const std::string& report_file, const std::string& id);

// The default catalogue and target (TETHER_HOME or the source tree).
std::string default_scenarios_dir();
std::string default_target_file();

}  // namespace tether::runner
