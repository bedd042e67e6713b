#pragma once
// Runs one scenario on one tether-client worker: starts (or reuses) the mocks it needs, resolves
// and sends each step, attaches the summary and the mocks' events to each observation, judges.

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/client_worker.hpp"
#include "runner/knob_catalog.hpp"
#include "runner/mock_pool.hpp"
#include "runner/pinned_profiles.hpp"
#include "runner/scenario_result.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

struct run_environment {
  const target* tgt = nullptr;
  mock_pool* pool = nullptr;
  const knob_catalog* knobs = nullptr;
  // The token profiles of the pinned AS of an external RS (null: none, or no pinned AS).
  const pinned_profiles* profiles = nullptr;
  std::string certs_dir;
  std::string work_dir;
  int step_timeout_ms = 10000;
  bool strict = false;
  // Metadata of an external AS (RFC 8414), discovered once per run, where it was found, and how
  // that URL was chosen (mocks/client/discovery.hpp: "given", "rfc8414", "openid-configuration").
  nlohmann::json external_as_metadata;
  std::string external_as_metadata_url;
  std::string external_as_metadata_via;
  // Why the launched implementation or the external AS cannot be used ("" when they can):
  // the scenarios that need them are `error` with this reason.
  std::string launch_problem;
  std::string as_problem;
  // "" while the launched implementation runs (or when there is none), else why it stopped.
  std::function<std::string()> launched_exit_reason;
  std::string launched_log;  // its output file, "" when nothing was launched
  std::string run_prefix;  // "r<pid>", so traces of two runs never mix
  std::atomic<int> sequence{0};
};

scenario_result execute_scenario(const scenario& sc, client_worker& worker, run_environment& env);

// The mock configurations a scenario needs (exposed for tests of the pooling keys).
mock_config as_config_for(const scenario& sc, const target& t);
// The one AS an external RS trusts: the target's settings and knobs, no scenario's, and the token
// profiles through which scenarios shape their tokens (runner/pinned_profiles.hpp).
mock_config pinned_as_config(const target& t, const pinned_profiles* profiles);
// The AS a scenario of this run uses: the pinned one for an external RS, else its own.
mock_config as_config_in_run(const scenario& sc, const run_environment& env);
mock_config rs_config_for(const scenario& sc, const target& t, const nlohmann::json& as_ready);

}  // namespace tether::runner
