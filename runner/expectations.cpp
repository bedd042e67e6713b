#include "runner/expectations.hpp"

#include <algorithm>

#include "runner/observation_summary.hpp"

namespace tether::runner {
namespace {

const std::vector<std::string>& verdict_names() {
  static const std::vector<std::string> v = {"pass", "fail", "warn", "info", "skip", "error"};
  return v;
}

// Verdicts that need no entry: the requirement held, the answer was recorded, or the scenario
// does not apply.
bool needs_no_entry(const std::string& v) { return v == "pass" || v == "info" || v == "skip"; }

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " or ") + s;
  return out;
}

// The members of the observed answer that stay the same from run to run (not descriptions,
// thumbprints or key IDs).
const std::vector<std::string>& pinnable_members() {
  static const std::vector<std::string> v = {"outcome", "status", "error", "scheme", "token_type"};
  return v;
}

// "" when every pinned member matches, else what differs.
std::string answer_difference(const nlohmann::json& pinned, const nlohmann::json& answer) {
  std::string out;
  for (const auto& [name, want] : pinned.items()) {
    nlohmann::json got = answer.is_object() && answer.contains(name) ? answer[name] : nlohmann::json();
    if (got != want) out += (out.empty() ? "" : ", ") + name + " " + got.dump() + " instead of " + want.dump();
  }
  return out;
}

}  // namespace

const char* to_string(expectation_match m) {
  switch (m) {
    case expectation_match::none: return "none";
    case expectation_match::expected: return "expected";
    case expectation_match::unexpected: return "unexpected";
    case expectation_match::changed: return "changed";
    case expectation_match::stale: return "stale";
  }
  return "none";
}

expectation_set read_expectations(const nlohmann::json& doc, const std::string& path, problem_list& out) {
  expectation_set set;
  set.file = path;
  object_reader r(doc, path, "", out);
  r.string("$schema");
  if (auto s = r.string("schema", true); s && *s != "tether-expectations/1")
    r.problem("schema", "expected \"tether-expectations/1\", found \"" + *s + "\"");
  set.target = r.string("target").value_or("");
  r.string("description");
  const nlohmann::json* entries = r.object("expectations", true);
  if (!entries) return set;
  for (const auto& [id, entry] : entries->items()) {
    std::string where = pointer_join(r.at("expectations"), id);
    object_reader er(entry, path, where, out);
    if (!er.valid()) continue;
    expected_verdict ev;
    if (const nlohmann::json* v = er.get("verdict", true)) {
      std::vector<nlohmann::json> items = v->is_array() ? v->get<std::vector<nlohmann::json>>() : std::vector<nlohmann::json>{*v};
      if (items.empty()) er.problem("verdict", "expected a verdict or a non-empty array of verdicts");
      for (std::size_t i = 0; i < items.size(); ++i) {
        std::string at = v->is_array() ? pointer_join(er.at("verdict"), i) : er.at("verdict");
        if (!items[i].is_string() ||
            std::find(verdict_names().begin(), verdict_names().end(), items[i].get<std::string>()) == verdict_names().end())
          out.add(path, at, "expected one of pass, fail, warn, info, skip, error");
        else
          ev.verdicts.push_back(items[i].get<std::string>());
      }
    }
    ev.reason = er.string("reason", true).value_or("");
    if (const nlohmann::json* pin = er.object("observed")) {
      for (const auto& [name, value] : pin->items()) {
        const auto& names = pinnable_members();
        if (std::find(names.begin(), names.end(), name) == names.end())
          out.add(path, pointer_join(er.at("observed"), name),
                  "unknown member (observed pins outcome, status, error, scheme and token_type)");
        else if (!value.is_null() && !value.is_string() && !value.is_number_integer())
          out.add(path, pointer_join(er.at("observed"), name), "expected a string, an integer or null");
      }
      ev.observed = *pin;
    }
    if (er.has("reason") && ev.reason.empty()) er.problem("reason", "an expected verdict needs its reason (a non-empty string)");
    set.by_id[id] = std::move(ev);
  }
  return set;
}

expectation_set load_expectations(const std::string& path, problem_list& out) {
  nlohmann::json doc = parse_json_file(path, out);
  if (doc.is_discarded()) {
    expectation_set s;
    s.file = path;
    return s;
  }
  return read_expectations(doc, path, out);
}

expectations_outcome compare_with_expectations(const std::vector<scenario_result>& results,
                                               const expectation_set& set,
                                               const std::set<std::string>& catalogue_ids) {
  expectations_outcome o;
  o.set = &set;
  std::set<std::string> ran;
  for (const auto& r : results) {
    const std::string& id = r.sc->id;
    ran.insert(id);
    expectation_finding f;
    f.id = id;
    f.verdict = r.verdict;
    auto it = set.by_id.find(id);
    if (it == set.by_id.end()) {
      if (needs_no_entry(r.verdict)) continue;
      f.match = expectation_match::unexpected;
      f.message = id + ": " + r.verdict + ", not in the expectations" + (r.reason.empty() ? "" : ": " + r.reason);
    } else {
      f.entry = &it->second;
      const auto& want = it->second.verdicts;
      const bool verdict_expected = std::find(want.begin(), want.end(), r.verdict) != want.end();
      const std::string moved = verdict_expected && it->second.observed.is_object()
                                    ? answer_difference(it->second.observed, observed_answer(r))
                                    : std::string();
      if (verdict_expected && moved.empty()) {
        f.match = expectation_match::expected;
        ++o.expected;
      } else if (verdict_expected) {
        f.match = expectation_match::changed;
        f.message = id + ": " + r.verdict + " as expected (" + it->second.reason + "), but the answer moved: " + moved;
      } else if (needs_no_entry(r.verdict)) {
        f.match = expectation_match::stale;
        f.message = id + ": expected " + joined(want) + " (" + it->second.reason + "), now " + r.verdict +
                    ": the divergence no longer happens; remove the entry";
      } else {
        f.match = expectation_match::changed;
        f.message = id + ": expected " + joined(want) + " (" + it->second.reason + "), now " + r.verdict +
                    (r.reason.empty() ? "" : ": " + r.reason);
      }
    }
    if (f.match != expectation_match::expected) o.problems.push_back(f);
    o.by_id[id] = std::move(f);
  }
  for (const auto& [id, entry] : set.by_id) {
    if (ran.count(id) || catalogue_ids.count(id)) continue;  // not selected this time
    expectation_finding f;
    f.id = id;
    f.match = expectation_match::stale;
    f.entry = &entry;
    f.message = id + ": no scenario has this ID (expected " + joined(entry.verdicts) + ": " + entry.reason + ")";
    o.problems.push_back(std::move(f));
  }
  return o;
}

nlohmann::json expectations_json(const expectations_outcome& o) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& f : o.problems)
    problems.push_back({{"id", f.id}, {"match", to_string(f.match)},
                        {"verdict", f.verdict.empty() ? nlohmann::json() : nlohmann::json(f.verdict)},
                        {"expected", f.entry ? nlohmann::json(f.entry->verdicts) : nlohmann::json()},
                        {"message", f.message}});
  return {{"file", o.set ? o.set->file : std::string()},
          {"target", o.set ? o.set->target : std::string()},
          {"entries", o.set ? o.set->by_id.size() : 0},
          {"expected", o.expected},
          {"ok", o.ok()},
          {"problems", problems}};
}

nlohmann::json result_expectation_json(const expectations_outcome& o, const std::string& id) {
  auto it = o.by_id.find(id);
  if (it == o.by_id.end()) return nullptr;
  const expectation_finding& f = it->second;
  return {{"match", to_string(f.match)},
          {"verdict", f.entry ? nlohmann::json(f.entry->verdicts) : nlohmann::json()},
          {"reason", f.entry ? nlohmann::json(f.entry->reason) : nlohmann::json()},
          {"message", f.message.empty() ? nlohmann::json() : nlohmann::json(f.message)}};
}

}  // namespace tether::runner
