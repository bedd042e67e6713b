#include "runner/inputs.hpp"

#include <cstdio>
#include <filesystem>

#include "runner/commands.hpp"
#include "runner/mock_commands.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {

std::string default_scenarios_dir() { return tether_home() + "/scenarios"; }
std::string default_target_file() { return tether_home() + "/targets/builtin.json"; }

loaded_inputs load_inputs(std::vector<std::string> scenario_paths, const std::string& target_file, bool with_target) {
  loaded_inputs in;
  in.knobs = load_knob_catalog();
  std::string unchecked;
  for (role r : {role::as, role::rs, role::client})
    if (!in.knobs.has(r)) unchecked += (unchecked.empty() ? "" : "; ") + in.knobs.unavailable_reason(r);
  if (!unchecked.empty()) in.notes.push_back("knob names not checked against every mock: " + unchecked);
  if (scenario_paths.empty()) scenario_paths.push_back(default_scenarios_dir());
  in.scenario_files = expand_scenario_paths(scenario_paths, in.problems);
  in.catalogue = load_scenarios(in.scenario_files, in.knobs, in.problems);
  std::string reqs = tether_home() + "/scenarios/requirements.json";
  std::error_code ec;
  if (std::filesystem::exists(reqs, ec)) {
    in.requirements = load_requirements(reqs, in.problems);
    check_refs(in.catalogue, in.requirements, in.problems);
  }
  if (with_target) in.tgt = load_target(target_file.empty() ? default_target_file() : target_file, in.knobs, in.problems);
  return in;
}

void print_problems(const problem_list& problems) {
  std::fputs(problems.to_text().c_str(), stderr);
  std::fprintf(stderr, "tether: %zu problem%s in the input; nothing was run\n", problems.size(),
               problems.size() == 1 ? "" : "s");
}

}  // namespace tether::runner
