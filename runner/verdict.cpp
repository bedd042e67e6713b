// scenarios/README.md "Verdicts", in order:
//   1. a setup or control step not met -> error (a precondition step not met -> skip);  2. a probe's unmet MUST -> fail;
//   3. an unmet SHOULD -> warn (fail with --strict);  4. an unmet MAY, an `either` outcome or a
//   `question` -> info;  5. otherwise pass. An expectation counts at most at the scenario's
//   level, so a SHOULD scenario is `warn` at worst and a MAY scenario `info`.
// A step the suite could not judge (timeout, unreachable, a mock that exited) is `error` first.

#include "runner/judge.hpp"

namespace tether::runner {
namespace {

std::string show(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "nothing";
  return v.dump();
}

std::string unmet_text(const step& st, const expectation_outcome& e) {
  std::string out = "step \"" + st.name + "\": " + e.what;
  if (!e.says.empty()) out += " (" + e.says + ")";
  out += ": expected " + show(e.expected) + ", observed " + show(e.observed);
  if (!e.detail.empty()) out += " (" + e.detail + ")";
  return out;
}

// An expectation weighs at most what the scenario's requirement does: a MUST-level scheme check
// inside a SHOULD scenario makes a `warn` at worst, inside a MAY scenario an `info`
// (scenarios/README.md "Verdicts").
level capped(level expectation, level scenario) {
  auto weight = [](level l) { return l == level::must ? 2 : l == level::should ? 1 : 0; };
  return weight(expectation) <= weight(scenario) ? expectation : scenario;
}

const expectation_outcome* first_unmet(const step_record& r, const level* at, level scenario_level) {
  for (const auto& e : r.expectations)
    if (!e.met && (!at || capped(e.lvl, scenario_level) == *at)) return &e;
  return nullptr;
}

}  // namespace

verdict_decision decide_verdict(const scenario& sc, const std::vector<step_record>& steps, bool strict) {
  // 0 and 1: the suite could not judge.
  for (const auto& r : steps) {
    if (!r.error.empty()) return {"error", "step \"" + r.st->name + "\": " + r.error};
    if (r.st->kind == step_kind::probe) continue;
    if (const expectation_outcome* e = first_unmet(r, nullptr, sc.lvl)) {
      if (r.st->kind == step_kind::precondition)
        return {"skip", "precondition " + unmet_text(*r.st, *e) +
                            ": the target lacks an optional feature this scenario needs"};
      return {"error", std::string(to_string(r.st->kind)) + " " + unmet_text(*r.st, *e) +
                           "; the scenario cannot be judged"};
    }
  }
  std::string reason;
  for (level lvl : {level::must, level::should, level::may}) {
    for (const auto& r : steps) {
      if (r.st->kind != step_kind::probe) continue;
      if (const expectation_outcome* e = first_unmet(r, &lvl, sc.lvl)) {
        reason = std::string(to_string(lvl)) + " not met: " + unmet_text(*r.st, *e);
        if (lvl == level::must) return {"fail", reason};
        if (lvl == level::should) return {strict ? "fail" : "warn", reason};
        return {"info", reason};
      }
    }
  }
  // What the main probe answered: the record the working group reads.
  const step_record* main_probe = nullptr;
  for (const auto& r : steps)
    if (r.st->kind == step_kind::probe) main_probe = &r;
  std::string answer;
  if (main_probe && main_probe->observation.is_object() && main_probe->observation.contains("summary"))
    answer = describe_answer(main_probe->observation["summary"]);
  if (sc.question) return {"info", "question " + *sc.question + ": observed " + answer};
  for (const auto& r : steps)
    if (r.st->kind == step_kind::probe && r.st->expect.outcome == expected_outcome::either)
      return {"info", "the RFC leaves this open: step \"" + r.st->name + "\" observed " +
                          (r.observation.contains("summary") ? describe_answer(r.observation["summary"]) : answer)};
  return {"pass", ""};
}

}  // namespace tether::runner
