#pragma once
// Loading everything a command needs (scenarios, target, knob tables, requirement IDs) with all
// problems collected; the commands print them and exit 2.

#include <string>
#include <vector>

#include "runner/coverage.hpp"
#include "runner/knob_catalog.hpp"
#include "runner/scenario_loader.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

struct loaded_inputs {
  knob_catalog knobs;
  std::vector<std::string> scenario_files;
  scenario_catalogue catalogue;
  target tgt;
  std::vector<requirement> requirements;  // empty when the catalogue's list is not there
  problem_list problems;
  std::vector<std::string> notes;  // one-line remarks (a knob table that could not be read)
};

// Scenario paths default to the project's scenarios/; the target is loaded when target_file is
// not empty.
loaded_inputs load_inputs(std::vector<std::string> scenario_paths, const std::string& target_file, bool with_target);

// Prints the problems (sorted by file) to stderr with a closing count line.
void print_problems(const problem_list& problems);

}  // namespace tether::runner
