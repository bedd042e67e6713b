#pragma once
// The programs the mutation tests drive, as a user would: `tether run` with a target file,
// `tether list --json`, and each mock's `--describe-knobs`. Paths come from the build
// ($<TARGET_FILE:...>), so the tests always exercise the binaries of their own build tree.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::catalogue {

struct program_paths {
  std::string tether;
  std::map<std::string, std::string> mocks;  // role -> tether-<role>
  std::string source_root;                   // scenarios/, targets/
  std::string work_root;                     // where runs write their reports
};

const program_paths& programs();

// `tether-<role> --describe-knobs`: the names of the knobs whose kind is `breaks`, each with
// its type (the table's "type": bool, int, ...).
result<std::map<std::string, std::string>> breaks_knobs(const std::string& role);

// `tether list --json` over the project's scenarios/: scenario ID -> role.
result<std::map<std::string, std::string>> catalogue_roles();

// A target file for the built-in mocks with `knobs` set on `role`, which alone is under test.
// Returns its path.
result<std::string> write_target(const std::string& dir, const std::string& role, const nlohmann::json& knobs);

struct run_outcome {
  int exit_code = -1;     // -1 when read back from an earlier run
  std::string log_file;  // what tether printed
  std::map<std::string, std::string> verdicts;  // scenario ID -> verdict
  std::map<std::string, std::string> reasons;   // scenario ID -> the report's reason
};

// `tether run --target T --scenarios <source>/scenarios --only ID... --out <dir>/out -j 2`.
// An error when tether could not run at all (bad input, no report).
result<run_outcome> run_scenarios(const std::string& dir, const std::string& target_file,
                                  const std::vector<std::string>& ids);

// The verdicts of an earlier run_scenarios in `dir` (its report.json).
result<run_outcome> read_run(const std::string& dir);

}  // namespace tether::catalogue
