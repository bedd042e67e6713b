#pragma once
// Internal to the scenario loader: the readers of a step's parameters and of its expectation,
// split from scenario_loader.cpp so that each file keeps one concern.

#include <map>
#include <string>

#include "runner/json_problems.hpp"
#include "runner/scenario_model.hpp"

namespace tether::runner::detail {

// What a step may refer to: the steps before it, by name, with their action.
struct step_context {
  std::string file;
  std::string current;                          // this step's name
  std::map<std::string, std::string> earlier;   // name -> action
  level scenario_level = level::must;
  problem_list* out = nullptr;
};

// Reads the parameters of `action` from a step object; `r` has already read name/action/kind/expect.
void read_step_params(object_reader& r, const std::string& action, const step_context& ctx);

// Reads a step's `expect` (value at `pointer`).
expectation read_expectation(const nlohmann::json& value, const std::string& pointer,
                             const std::string& action, const step_context& ctx);

// A reference to an earlier step: reports unknown names and names of the wrong action.
// `actions` empty means any action.
void check_step_ref(const nlohmann::json& value, const std::string& pointer, const step_context& ctx,
                    const std::vector<std::string>& actions, bool allow_current = false);

// A DPoP proof description (README "A proof").
void read_proof(const nlohmann::json& value, const std::string& pointer, const step_context& ctx);

}  // namespace tether::runner::detail
