#pragma once
// Which scenarios run and which are skipped, decided before anything starts: --only/--skip
// select, and a skip always carries its reason (targets/README.md: never silent).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/knob_catalog.hpp"
#include "runner/scenario_loader.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

// Shell-style glob as used by --only, --skip and a target's `disabled`: `*` matches any run of
// characters, `/` included (so "rfc9449/8/*" covers every scenario of section 8); `?` one.
bool glob_match(std::string_view pattern, std::string_view text);

struct planned {
  const scenario* sc = nullptr;
  std::string skip_reason;       // empty: runs
  std::string disabled_pattern;  // set when the target disabled it
};

struct selection_filter {
  std::vector<std::string> only;  // empty: everything
  std::vector<std::string> skip;
};

bool selected(const std::string& id, const selection_filter& filter);

// The reason a scenario cannot run against this target, or "". `knobs` says which mock AS knobs
// the pinned AS of an external RS can apply per token request (runner/pinned_profiles.hpp);
// without it, none can.
std::string skip_reason(const scenario& sc, const target& t, std::string* disabled_pattern = nullptr,
                        const knob_catalog* knobs = nullptr);

// Selected scenarios sorted by ID, each with its skip decision.
std::vector<planned> plan_run(const scenario_catalogue& catalogue, const target& t,
                              const selection_filter& filter, const knob_catalog* knobs = nullptr);

// Whether the target's RS is external and its AS the built-in one, which is then pinned: one
// instance for the whole run, which the RS trusts (as.fixed, runner/rs_trust.hpp).
bool pinned_as(const target& t);

// The value a role's environment setting has when nobody set it.
nlohmann::json default_setting(role r, const std::string& setting);

// Client registrations a scenario's steps name (sorted, unique).
std::vector<std::string> registrations_used(const scenario& sc);

}  // namespace tether::runner
