#pragma once
// Loads scenario files (scenarios/README.md) into the model, collecting every problem as
// `FILE: /pointer: sentence`. Nothing runs when any problem is found (exit status 2).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/json_problems.hpp"
#include "runner/knob_catalog.hpp"
#include "runner/scenario_model.hpp"

namespace tether::runner {

struct scenario_catalogue {
  std::vector<scenario_file> files;
  // Every scenario, in file order; pointers into `files`.
  std::vector<const scenario*> all() const;
  const scenario* find(const std::string& id) const;
};

// Files and directories -> the scenario files to load, sorted. Directories are searched
// recursively for *.json, leaving out the `schema/` folder and files whose top-level "schema"
// names another Tether document (requirements, targets, client registries). A named file is
// always loaded.
std::vector<std::string> expand_scenario_paths(const std::vector<std::string>& paths, problem_list& out);

// One parsed file. `knobs` checks the names and values under `mocks`.
scenario_file read_scenario_file(const nlohmann::json& doc, const std::string& path,
                                 const knob_catalog& knobs, problem_list& out);

// Every file, then the rules across files (IDs unique across all of them).
scenario_catalogue load_scenarios(const std::vector<std::string>& files, const knob_catalog& knobs,
                                  problem_list& out);

// True for a top-level "schema" value this loader does not treat as a scenario file.
bool is_other_tether_document(const nlohmann::json& doc);

}  // namespace tether::runner
