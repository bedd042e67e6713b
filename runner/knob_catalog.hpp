#pragma once
// The knob tables of the mock binaries, as each prints them with --describe-knobs. Scenarios and
// targets name knobs; the loader checks every name and value against these tables, because a
// misspelt knob would otherwise leave a mock correct and turn a "must reject" into a false pass.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "runner/json_problems.hpp"
#include "runner/scenario_model.hpp"

namespace tether::runner {

struct knob_info {
  std::string name;
  std::string kind;  // setting, emulates, breaks
  std::string type;  // bool, int, string, choice
  nlohmann::json default_value;
  std::string description;
  std::vector<std::string> choices;
  bool per_token = false;  // the AS can apply it to one token request (mocks/as/token_profiles.hpp)
};

class knob_catalog {
 public:
  // Parses one binary's --describe-knobs output (a JSON array).
  static result<std::vector<knob_info>> parse_description(const nlohmann::json& described);

  void set(role r, std::vector<knob_info> knobs);
  // Records why a role's table is unknown (binary missing), so messages can say so.
  void set_unavailable(role r, std::string why);
  bool has(role r) const { return tables_.count(r) != 0; }
  std::string unavailable_reason(role r) const;
  const knob_info* find(role r, const std::string& name) const;
  const std::vector<knob_info>* table(role r) const;

  // "" when the value suits the knob; otherwise a sentence saying what it takes.
  static std::string check_value(const knob_info& knob, const nlohmann::json& value);

 private:
  std::map<role, std::vector<knob_info>> tables_;
  std::map<role, std::string> unavailable_;
};

// Checks the knob names and values under one role (a scenario's `mocks.<role>`, a target's
// `<role>.knobs`) against the role's table; does nothing when the table is unavailable.
void check_knobs(const nlohmann::json& knobs, role r, const std::string& file, const std::string& pointer,
                 const knob_catalog& catalog, problem_list& out);

}  // namespace tether::runner
