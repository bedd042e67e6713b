#pragma once
// Builds the report.json document (docs/report-format.md, schema tether-report/1) from a run's
// results. The writers in reports/ turn this one document into every other format.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/expectations.hpp"
#include "runner/run_engine.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

struct report_inputs {
  const target* tgt = nullptr;
  int jobs = 1;
  bool strict = false;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  std::vector<std::string> scenario_files;
  std::string generated_at;  // ISO 8601 UTC; empty: now
  // With an expectations file: each result with an entry carries `expectation`, its reason
  // says whether the verdict was expected (every format shows the reason), and the document
  // has a top-level `expectations` summary.
  const expectations_outcome* expectations = nullptr;
  // An external AS: where its metadata was found and how (mocks/client/discovery.hpp), shown as
  // target.as_metadata; empty for the built-in AS.
  std::string as_metadata_url;
  std::string as_metadata_via;
};

nlohmann::json build_report(const run_totals& totals, const report_inputs& in);

// One result entry (exposed for tests).
nlohmann::json result_json(const scenario_result& r);
// {"total", "pass", "fail", "warn", "info", "skip", "error"}.
nlohmann::json summary_counts(const std::vector<scenario_result>& results);

// run.killed_processes: the processes the runner had to kill, grouped by the child they came
// from and their program ({"from", "name", "count", "pids"}; at most 20 PIDs per group).
nlohmann::json killed_processes_json(const std::vector<killed_process>& killed);
// One sentence for the console: "killed 9 processes left running: 9 sleep (client under test)".
std::string killed_processes_text(const nlohmann::json& groups);

std::string utc_now_iso8601();

}  // namespace tether::runner
