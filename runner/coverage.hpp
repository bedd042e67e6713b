#pragma once
// Requirement coverage: which scenarios test each requirement of the catalogue
// (scenarios/requirements.json), for `tether list --coverage` and scenarios/COVERAGE.md.

#include <string>
#include <vector>

#include "runner/json_problems.hpp"
#include "runner/scenario_loader.hpp"

namespace tether::runner {

struct requirement {
  std::string id;
  std::string section;
  std::string role;
  std::string summary;
  std::string ambiguity;
  // Why no scenario tests it (by design of the RFC, informative, needs a feature the suite
  // lacks); empty for a requirement the catalogue means to cover.
  std::string not_tested;
};

std::vector<requirement> load_requirements(const std::string& path, problem_list& out);

// A scenario's `refs` must name requirements of the catalogue.
void check_refs(const scenario_catalogue& catalogue, const std::vector<requirement>& reqs, problem_list& out);

// "ID  n  scenario, scenario" lines.
std::string coverage_text(const scenario_catalogue& catalogue, const std::vector<requirement>& reqs);
// The Markdown page scenarios/COVERAGE.md holds (deterministic: same catalogue, same bytes).
std::string coverage_markdown(const scenario_catalogue& catalogue, const std::vector<requirement>& reqs);

}  // namespace tether::runner
