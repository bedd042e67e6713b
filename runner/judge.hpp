#pragma once
// Expectations -> met or not, and steps -> verdict, exactly as scenarios/README.md "Verdicts"
// says. Pure functions of the scenario, the observations and the target's error_map, so every
// verdict path is unit-tested with hand-written observations.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/checks.hpp"
#include "runner/scenario_model.hpp"

namespace tether::runner {

// One line of a step's `expectations[]` in report.json.
struct expectation_outcome {
  std::string what;  // "outcome", "status", "error", "scheme", or "check /pointer"
  level lvl = level::must;
  nlohmann::json expected;
  nlohmann::json observed;
  bool met = false;
  bool mapped = false;     // error: met through the target's error_map
  bool recorded = false;   // outcome "either": recorded, not judged
  std::string says;        // a check's sentence
  std::string detail;      // why it was not met
};

using error_map = std::map<std::string, std::vector<std::string>>;

struct judge_context {
  level scenario_level = level::must;
  const error_map* errors = nullptr;
  reference_lookup lookup;  // values of this and earlier steps
};

// The observation must already carry `summary` (and `events`).
std::vector<expectation_outcome> judge_step(const step& st, const nlohmann::json& observation,
                                            const judge_context& ctx);

// What a step's observation says about the suite's ability to judge: "" when there is an
// answer to judge, otherwise the reason for `error` (unreachable server, timeout).
std::string observation_error(const nlohmann::json& observation);

// True when the connection ended before any byte of an answer (tls.kind "closed"): a server that
// crashed on the request looks like this, and the report says so rather than "stream truncated".
bool closed_without_response(const nlohmann::json& observation);

// A finished (or abandoned) step, as the executor recorded it.
struct step_record {
  const step* st = nullptr;
  nlohmann::json observation;  // with summary and events; null when the step never ran
  std::vector<expectation_outcome> expectations;
  std::string error;           // the suite could not judge: timeout, unreachable, mock exited, ...
  double duration_ms = 0;
};

struct verdict_decision {
  std::string verdict;  // pass, fail, warn, info, skip, error
  std::string reason;   // empty for pass
};

verdict_decision decide_verdict(const scenario& sc, const std::vector<step_record>& steps, bool strict);

// "401 invalid_token Bearer", "tls_reject (handshake)", "200": the observed answer in short.
std::string describe_answer(const nlohmann::json& summary);

}  // namespace tether::runner
