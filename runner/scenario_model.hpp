#pragma once
// The scenario model (scenarios/README.md): what the loader produces and the rest of the runner
// reads. Parameters of a step stay JSON (validated by the loader) because the step resolver
// turns them into the client protocol's JSON anyway; everything the judge and the scheduler
// decide on is typed.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::runner {

enum class role { as, rs, client };
enum class level { must, should, may };
// precondition: a request that shows the target has an optional feature the scenario needs
// (RFC 6750 2.2's form-body token, for instance); unmet, the scenario is `skip`, not `error`.
enum class step_kind { setup, control, probe, precondition };
enum class expected_outcome { accept, reject, either };

const char* to_string(role r);
const char* to_string(level l);
const char* to_string(step_kind k);
const char* to_string(expected_outcome o);
std::optional<role> role_from(const std::string& s);
std::optional<level> level_from(const std::string& s);

// The acceptable answers for one of status, error or scheme (README "Expectations").
struct acceptable_set {
  std::vector<nlohmann::json> values;  // integers (status) or strings (error, scheme)
  bool all_of = false;                 // scheme only: every listed scheme must be challenged
  level lvl = level::must;
};

struct expectation {
  std::optional<expected_outcome> outcome;  // absent only for run_client steps
  bool tls_reject_allowed = false;
  std::optional<acceptable_set> status;
  std::optional<acceptable_set> error;
  std::optional<acceptable_set> scheme;
  // Each check object as written (validated); `level` defaults to the scenario's.
  std::vector<nlohmann::json> checks;
};

struct step {
  std::string name;
  std::string action;   // token, authorize, resource, introspect, fetch, replay, run_client
  step_kind kind = step_kind::probe;
  nlohmann::json params = nlohmann::json::object();  // every member but name/action/kind/expect
  expectation expect;
  std::string pointer;  // JSON pointer of the step in its file
};

struct scenario {
  std::string id;
  std::string title;
  role under_test = role::rs;
  std::vector<std::string> refs;
  level lvl = level::must;
  std::string requirement;
  std::vector<std::string> flags;
  std::optional<std::string> question;
  std::vector<std::string> requires_caps;
  nlohmann::json environment = nlohmann::json::object();  // {"as": {...}, "rs": {...}}
  nlohmann::json mocks = nlohmann::json::object();        // {"as": {knob: value}, ...}
  double timeout_s = 60;
  std::vector<step> steps;

  // Where it came from, for messages and reports.
  std::string file;
  std::string pointer;
  std::string spec;     // of the file: "RFC 9449"
  std::string section;  // of the file: "4.3"
};

struct scenario_file {
  std::string path;
  std::string spec;
  std::string section;
  std::string title;
  nlohmann::json notes = nlohmann::json::object();
  std::vector<scenario> scenarios;
};

// Names scenarios may use, fixed by scenarios/README.md and targets/README.md: a scenario is the
// same for every target, so these are the suite's vocabulary, not any one target's.
namespace vocabulary {
const std::vector<std::string>& certificate_names();
const std::vector<std::string>& client_registrations();
const std::vector<std::string>& capabilities();
const std::vector<std::string>& bug_types();
const std::vector<std::string>& actions();
// Environment settings by role (README "Environment settings").
const std::vector<std::string>& environment_settings(role r);
}  // namespace vocabulary

}  // namespace tether::runner
