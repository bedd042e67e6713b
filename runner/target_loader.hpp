#pragma once
// Loads a target file and its client registry, collecting every problem as
// `FILE: /pointer: sentence`. Paths in the file are made absolute relative to the file.

#include <string>

#include <nlohmann/json.hpp>

#include "runner/json_problems.hpp"
#include "runner/knob_catalog.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

target read_target(const nlohmann::json& doc, const std::string& path, const knob_catalog& knobs,
                   problem_list& out);
target load_target(const std::string& path, const knob_catalog& knobs, problem_list& out);

// A `tether-clients/1` registry (targets/builtin-clients.json): registration metadata by
// scenario-facing name. Fills `into`.
void load_clients_file(const std::string& path, std::map<std::string, client_registration>& into,
                       problem_list& out);

}  // namespace tether::runner
