#pragma once
// Known divergences of one implementation, kept in its repository (`tether run --expectations
// FILE`, or a target's `expectations` member), as the OpenID conformance suite keeps
// expected-failures files for CI: each scenario whose verdict is not a pass is listed with the
// verdict it is known to get and why. A run then succeeds when every verdict is a pass or an
// expected one, and names every change: a new failure, a verdict that moved, and an expected
// divergence that no longer happens (stale, OIDF's EXPECTED_..._NOT_HAPPEN), so that the file
// is trimmed as the implementation improves.
//
// File (schema tether-expectations/1):
//   { "schema": "tether-expectations/1", "target": "node-oidc-provider 9.13.3",
//     "expectations": { "<scenario id>": { "verdict": "warn", "reason": "..." }, ... } }
// `verdict` is one verdict or an array of them; `reason` is required. `observed` (optional) pins
// the answer too: its members (`outcome`, `status`, `error`, `scheme`, `token_type`) must equal
// the result's observed answer, so that an `info` result, which records what the
// implementation answered where the RFCs leave it open, is noticed when that answer changes.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/json_problems.hpp"
#include "runner/scenario_result.hpp"

namespace tether::runner {

struct expected_verdict {
  std::vector<std::string> verdicts;
  std::string reason;
  nlohmann::json observed;  // object of pinned members, or null
};

struct expectation_set {
  std::string file;  // as given, for messages and the report
  std::string target;
  std::map<std::string, expected_verdict> by_id;
};

expectation_set read_expectations(const nlohmann::json& doc, const std::string& path, problem_list& out);
expectation_set load_expectations(const std::string& path, problem_list& out);

// How one result compares with the file.
enum class expectation_match {
  none,        // no entry, and none needed: pass, info or skip
  expected,    // the entry's verdict
  unexpected,  // fail, warn or error with no entry
  changed,     // an entry, and another fail, warn or error, or another answer than `observed`
  stale,       // an entry, and now pass, info or skip: the divergence no longer happens
};
const char* to_string(expectation_match m);

struct expectation_finding {
  std::string id;
  std::string verdict;  // observed ("" for an entry whose scenario is not in the catalogue)
  expectation_match match = expectation_match::none;
  const expected_verdict* entry = nullptr;
  std::string message;  // one line for the console and the report
};

struct expectations_outcome {
  const expectation_set* set = nullptr;
  std::map<std::string, expectation_finding> by_id;  // every result with an entry or a problem
  std::vector<expectation_finding> problems;         // unexpected, changed, stale, unknown ids
  int expected = 0;
  bool ok() const { return problems.empty(); }
};

// `catalogue_ids`: every scenario the run loaded (selected or not). An entry for a scenario
// the run did not select is ignored; an entry for an id the catalogue does not have is a
// problem (a typo, or a scenario that was removed: IDs are never reused).
expectations_outcome compare_with_expectations(const std::vector<scenario_result>& results,
                                               const expectation_set& set,
                                               const std::set<std::string>& catalogue_ids);

// The report's top-level `expectations` member.
nlohmann::json expectations_json(const expectations_outcome& o);
// A result's `expectation` member (null when it has no entry and no problem).
nlohmann::json result_expectation_json(const expectations_outcome& o, const std::string& id);

}  // namespace tether::runner
