#pragma once
// The result model every report file is written from: a checked, typed view of one
// `tether-report/1` document (docs/report-format.md). The writers never look at raw JSON, so a
// document that does not have the documented shape is refused once, here, with the JSON pointer
// of the problem, instead of turning into a half-empty table in one of four files.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::reports {

inline constexpr std::string_view report_schema_id = "tether-report/1";

// The six verdicts of scenarios/README.md, in the order every report lists them.
enum class verdict { pass, fail, warn, info, skip, error };
inline constexpr std::array<verdict, 6> all_verdicts{verdict::pass, verdict::fail, verdict::warn,
                                                     verdict::info, verdict::skip, verdict::error};
std::string_view verdict_name(verdict v);

// The answer to a scenario's main probe: what the working group compares across implementations.
struct observed_answer {
  bool present = false;  // false when no probe ran (skip, or an error before the probe)
  std::string outcome;   // accept, reject, tls_reject, unexpected, unreachable, timeout
  std::optional<std::int64_t> status;
  std::string error;
  std::string error_description;
  std::string scheme;                // the first challenge's scheme
  std::vector<std::string> schemes;  // every challenge's scheme, when the target sent several
  std::string algs;
  std::string token_type;
  std::vector<std::string> cnf;      // member names of an issued token's cnf: jkt, x5t#S256
  std::string tls_stage;             // where a TLS-layer refusal happened
  std::string tls_error;
};

struct expectation_record {
  std::string what;   // outcome, status, error, scheme, or a check's pointer
  std::string level;  // MUST, SHOULD, MAY; empty when not given
  std::string says;   // a check's sentence, when it has one
  nlohmann::json expected;
  nlohmann::json observed;
  bool met = true;
  bool mapped = false;  // the target's error_map translated the observed error name
};

struct mock_event {
  std::string server;
  std::string endpoint;
  std::optional<std::int64_t> status;
  std::string error;
  std::string reason;
  std::vector<std::string> knobs;
  nlohmann::json raw;  // the whole event line, shown on request
};

struct step_record {
  std::string name;
  std::string kind;  // setup, control, probe
  std::string action;
  std::string outcome;
  std::optional<std::int64_t> status;
  std::string scheme;
  std::string error;
  std::string error_description;
  std::string algs;
  std::string token_type;
  std::vector<std::string> cnf;
  bool tls_ok = true;
  std::string tls_stage;
  std::string tls_error;
  std::vector<expectation_record> expectations;
  std::vector<mock_event> events;
  std::optional<double> duration_ms;
};

struct scenario_result {
  std::string id;
  std::string title;
  std::string section;
  std::string role;
  std::vector<std::string> refs;
  std::string level;
  std::string requirement;
  std::vector<std::string> flags;
  std::string question;  // Q1..Qn, empty when the scenario answers no open question
  verdict outcome = verdict::pass;
  std::string reason;
  double duration_ms = 0;
  observed_answer observed;
  std::vector<step_record> steps;
};

struct disabled_rule {
  std::string pattern;
  std::string reason;
  std::vector<std::string> ids;
};

struct verdict_counts {
  std::int64_t total = 0;
  std::array<std::int64_t, 6> by_verdict{};
  std::int64_t of(verdict v) const { return by_verdict[static_cast<std::size_t>(v)]; }
};

struct target_info {
  std::string name;
  std::string role;
  std::string version;
  std::string file;
};

// Processes a child of the runner left running, which the runner killed (run.killed_processes).
struct killed_process_group {
  std::string from;  // the child they came from ("client under test", ...) or "orphan"
  std::string name;  // their program
  std::int64_t count = 0;
};

struct run_info {
  bool present = false;
  std::optional<double> duration_ms;
  std::optional<std::int64_t> jobs;
  std::optional<bool> strict;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  std::vector<std::string> scenario_files;
  std::vector<killed_process_group> killed_processes;
};

struct report_document {
  std::string tether_version;
  std::string generated_at;  // RFC 3339, UTC: YYYY-MM-DDTHH:MM:SS[.fff]Z
  target_info target;
  run_info run;
  verdict_counts summary;
  std::vector<scenario_result> results;  // sorted by id
  std::vector<disabled_rule> disabled;
};

// Checks `doc` against the documented shape and returns the typed model. The error (code
// "report.invalid", or "report.schema" for a document that is not tether-report/1) reads
// "<where> <pointer>: <problem>", e.g. "report.json /results/3/verdict: expected one of ...".
result<report_document> read_report(const nlohmann::json& doc, std::string_view where = "report document");

// Reads, parses and checks a report.json file; every error message starts with the path.
// Codes: "report.read" (cannot open), "report.parse" (not JSON), then those of read_report.
result<report_document> load_report_file(const std::string& path);

}  // namespace tether::reports
