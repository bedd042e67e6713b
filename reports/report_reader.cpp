// Reads a tether-report/1 document into the typed model, checking the shape documented in
// docs/report-format.md (the same rules as reports/schema/report-v1.schema.json, plus what a
// schema cannot say: unique ids, summary counts that match the results). Members not listed
// there are ignored, so that a newer runner may add optional members without breaking a matrix.

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "reports/json_checker.hpp"
#include "reports/report_model.hpp"

namespace tether::reports {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 6> verdict_names{"pass", "fail", "warn", "info", "skip", "error"};
constexpr std::array<std::string_view, 3> level_names{"MUST", "SHOULD", "MAY"};
constexpr std::array<std::string_view, 6> outcome_names{"accept",     "reject",      "tls_reject",
                                                        "unexpected", "unreachable", "timeout"};
constexpr std::array<std::string_view, 4> step_kinds{"setup", "control", "probe", "precondition"};
constexpr std::array<std::string_view, 3> role_names{"as", "rs", "client"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 3339 date-time in UTC, as the runner writes it: YYYY-MM-DDTHH:MM:SS[.fraction]Z.
bool is_utc_timestamp(std::string_view s) {
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (s.size() < shape.size() + 1 || s.back() != 'Z') return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i]) return false;
  }
  const std::string_view rest = s.substr(shape.size(), s.size() - shape.size() - 1);
  if (rest.empty()) return true;
  if (rest.size() < 2 || rest[0] != '.') return false;
  return std::all_of(rest.begin() + 1, rest.end(), is_digit);
}

// Scenario ids are slugs (scenarios/README.md); the reports use them as HTML anchors and
// JUnit names, so whitespace and control characters are refused here.
bool is_usable_id(std::string_view id) {
  if (id.empty()) return false;
  const char first = id.front();
  if (!(is_digit(first) || (first >= 'a' && first <= 'z'))) return false;
  return std::none_of(id.begin(), id.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F;
  });
}

bool is_question_id(std::string_view q) {
  return q.size() >= 2 && q[0] == 'Q' && q[1] >= '1' && q[1] <= '9' && std::all_of(q.begin() + 1, q.end(), is_digit);
}

std::vector<std::string> member_names(const json* object) {
  std::vector<std::string> names;
  if (object == nullptr) return names;
  for (const auto& [key, value] : object->items()) names.push_back(key);
  return names;
}

void read_answer(json_checker& c, const json& o, const std::string& p, observed_answer& a) {
  a.present = true;
  c.one_of(o, p, "outcome", presence::required, outcome_names, a.outcome);
  c.integer(o, p, "status", presence::optional, a.status, true);
  c.text(o, p, "error", presence::optional, a.error, true);
  c.text(o, p, "error_description", presence::optional, a.error_description, true);
  c.text(o, p, "scheme", presence::optional, a.scheme, true);
  c.text(o, p, "algs", presence::optional, a.algs, true);
  c.text(o, p, "token_type", presence::optional, a.token_type, true);
  if (const json* s = c.member(o, p, "schemes", presence::optional); s != nullptr && !s->is_null()) {
    c.text_array(o, p, "schemes", presence::optional, a.schemes);
  }
  const json* cnf = nullptr;
  c.object(o, p, "cnf", presence::optional, cnf);
  a.cnf = member_names(cnf);
  const json* tls = nullptr;
  if (c.object(o, p, "tls", presence::optional, tls) && tls != nullptr) {
    const std::string tp = pointer_child(p, "tls");
    c.text(*tls, tp, "stage", presence::optional, a.tls_stage, true);
    c.text(*tls, tp, "error", presence::optional, a.tls_error, true);
  }
}

void read_expectation(json_checker& c, const json& e, const std::string& p, expectation_record& x) {
  c.non_empty_text(e, p, "what", x.what);
  c.one_of(e, p, "level", presence::optional, level_names, x.level, true);
  c.text(e, p, "says", presence::optional, x.says, true);
  std::optional<bool> met;
  c.boolean(e, p, "met", presence::required, met);
  x.met = met.value_or(true);
  std::optional<bool> mapped;
  c.boolean(e, p, "mapped", presence::optional, mapped);
  x.mapped = mapped.value_or(false);
  if (auto it = e.find("expected"); it != e.end()) x.expected = *it;
  if (auto it = e.find("observed"); it != e.end()) x.observed = *it;
}

void read_event(json_checker& c, const json& e, const std::string& p, mock_event& ev) {
  ev.raw = e;
  c.text(e, p, "server", presence::optional, ev.server, true);
  c.text(e, p, "endpoint", presence::optional, ev.endpoint, true);
  c.text(e, p, "reason", presence::optional, ev.reason, true);
  c.text_array(e, p, "knobs", presence::optional, ev.knobs);
  const json* response = nullptr;
  if (c.object(e, p, "response", presence::optional, response) && response != nullptr) {
    const std::string rp = pointer_child(p, "response");
    c.integer(*response, rp, "status", presence::optional, ev.status, true);
    c.text(*response, rp, "error", presence::optional, ev.error, true);
  }
}

void read_step(json_checker& c, const json& s, const std::string& p, step_record& st) {
  c.non_empty_text(s, p, "name", st.name);
  c.one_of(s, p, "kind", presence::optional, step_kinds, st.kind);
  c.text(s, p, "action", presence::optional, st.action, true);
  c.one_of(s, p, "outcome", presence::optional, outcome_names, st.outcome, true);
  c.integer(s, p, "status", presence::optional, st.status, true);
  c.text(s, p, "error", presence::optional, st.error, true);
  c.text(s, p, "token_type", presence::optional, st.token_type, true);
  c.duration(s, p, "duration_ms", presence::optional, st.duration_ms);
  const json* www = nullptr;
  if (c.object(s, p, "www_authenticate", presence::optional, www) && www != nullptr) {
    const std::string wp = pointer_child(p, "www_authenticate");
    c.text(*www, wp, "scheme", presence::optional, st.scheme, true);
    c.text(*www, wp, "error_description", presence::optional, st.error_description, true);
    c.text(*www, wp, "algs", presence::optional, st.algs, true);
    if (st.error.empty()) c.text(*www, wp, "error", presence::optional, st.error, true);
  }
  const json* cnf = nullptr;
  c.object(s, p, "cnf", presence::optional, cnf);
  st.cnf = member_names(cnf);
  const json* tls = nullptr;
  if (c.object(s, p, "tls", presence::optional, tls) && tls != nullptr) {
    const std::string tp = pointer_child(p, "tls");
    std::optional<bool> ok;
    c.boolean(*tls, tp, "ok", presence::optional, ok, true);
    st.tls_ok = ok.value_or(true);
    c.text(*tls, tp, "stage", presence::optional, st.tls_stage, true);
    c.text(*tls, tp, "error", presence::optional, st.tls_error, true);
  }
  const json* list = nullptr;
  if (c.array(s, p, "expectations", presence::optional, list) && list != nullptr) {
    const std::string lp = pointer_child(p, "expectations");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& e = (*list)[i];
      if (!e.is_object()) {
        c.problem(pointer_child(lp, i), fmt::format("expected an object, got {}", describe_json(e)));
        continue;
      }
      read_expectation(c, e, pointer_child(lp, i), st.expectations.emplace_back());
    }
  }
  if (c.array(s, p, "events", presence::optional, list) && list != nullptr) {
    const std::string lp = pointer_child(p, "events");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& e = (*list)[i];
      if (!e.is_object()) {
        c.problem(pointer_child(lp, i), fmt::format("expected an object, got {}", describe_json(e)));
        continue;
      }
      read_event(c, e, pointer_child(lp, i), st.events.emplace_back());
    }
  }
}

void read_result(json_checker& c, const json& r, const std::string& p, scenario_result& out) {
  if (c.non_empty_text(r, p, "id", out.id) && !is_usable_id(out.id)) {
    c.problem(pointer_child(p, "id"), "not a scenario id (lower-case letter or digit first, no spaces or controls)");
  }
  c.non_empty_text(r, p, "title", out.title);
  c.non_empty_text(r, p, "section", out.section);
  c.one_of(r, p, "role", presence::required, role_names, out.role);
  c.text_array(r, p, "refs", presence::required, out.refs);
  c.one_of(r, p, "level", presence::required, level_names, out.level);
  c.text(r, p, "requirement", presence::optional, out.requirement, true);
  c.text_array(r, p, "flags", presence::optional, out.flags);
  if (c.text(r, p, "question", presence::optional, out.question, true) && !out.question.empty() &&
      !is_question_id(out.question)) {
    c.problem(pointer_child(p, "question"), fmt::format("expected Q1, Q2, ...; got \"{}\"", out.question));
  }
  std::string v;
  if (c.one_of(r, p, "verdict", presence::required, verdict_names, v)) {
    for (verdict candidate : all_verdicts) {
      if (verdict_name(candidate) == v) out.outcome = candidate;
    }
  }
  c.text(r, p, "reason", presence::required, out.reason);
  // A verdict other than pass must say why (scenarios/README.md): a silent skip or a failure
  // without its unmet expectation is exactly what a report exists to prevent. info may come
  // from the question alone, so it may stay empty.
  if (!v.empty() && v != "pass" && v != "info" && out.reason.empty() && r.contains("reason")) {
    c.problem(pointer_child(p, "reason"), fmt::format("empty, but a {} verdict must give its reason", v));
  }
  std::optional<double> ms;
  c.duration(r, p, "duration_ms", presence::required, ms);
  out.duration_ms = ms.value_or(0);
  const json* observed = nullptr;
  if (c.object(r, p, "observed", presence::optional, observed) && observed != nullptr) {
    read_answer(c, *observed, pointer_child(p, "observed"), out.observed);
  }
  const json* steps = nullptr;
  if (c.array(r, p, "steps", presence::required, steps) && steps != nullptr) {
    const std::string sp = pointer_child(p, "steps");
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const json& s = (*steps)[i];
      if (!s.is_object()) {
        c.problem(pointer_child(sp, i), fmt::format("expected an object, got {}", describe_json(s)));
        continue;
      }
      read_step(c, s, pointer_child(sp, i), out.steps.emplace_back());
    }
  }
}

void read_header(json_checker& c, const json& doc, report_document& out) {
  c.non_empty_text(doc, "", "tether_version", out.tether_version);
  if (c.non_empty_text(doc, "", "generated_at", out.generated_at) && !is_utc_timestamp(out.generated_at)) {
    c.problem("/generated_at", fmt::format("expected an RFC 3339 UTC time (2026-11-27T10:00:00Z), got \"{}\"",
                                           out.generated_at));
  }
  const json* target = nullptr;
  if (c.object(doc, "", "target", presence::required, target) && target != nullptr) {
    c.non_empty_text(*target, "/target", "name", out.target.name);
    c.text(*target, "/target", "role", presence::required, out.target.role);
    c.text(*target, "/target", "version", presence::required, out.target.version);
    c.text(*target, "/target", "file", presence::optional, out.target.file, true);
  }
  const json* run = nullptr;
  if (c.object(doc, "", "run", presence::optional, run) && run != nullptr) {
    out.run.present = true;
    c.duration(*run, "/run", "duration_ms", presence::optional, out.run.duration_ms);
    c.integer(*run, "/run", "jobs", presence::optional, out.run.jobs);
    c.boolean(*run, "/run", "strict", presence::optional, out.run.strict);
    c.text_array(*run, "/run", "only", presence::optional, out.run.only);
    c.text_array(*run, "/run", "skip", presence::optional, out.run.skip);
    c.text_array(*run, "/run", "scenario_files", presence::optional, out.run.scenario_files);
    std::optional<double> handshake_ms;
    c.duration(*run, "/run", "tls_handshake_ms", presence::optional, handshake_ms);
    const json* killed = nullptr;
    if (c.array(*run, "/run", "killed_processes", presence::optional, killed) && killed != nullptr) {
      for (std::size_t i = 0; i < killed->size(); ++i) {
        const json& k = (*killed)[i];
        const std::string p = pointer_child("/run/killed_processes", i);
        if (!k.is_object()) {
          c.problem(p, fmt::format("expected an object, got {}", describe_json(k)));
          continue;
        }
        killed_process_group& g = out.run.killed_processes.emplace_back();
        c.non_empty_text(k, p, "from", g.from);
        c.non_empty_text(k, p, "name", g.name);
        c.count(k, p, "count", g.count);
      }
    }
  }
}

void read_disabled(json_checker& c, const json& doc, report_document& out) {
  const json* disabled = nullptr;
  if (!c.array(doc, "", "disabled", presence::optional, disabled) || disabled == nullptr) return;
  for (std::size_t i = 0; i < disabled->size(); ++i) {
    const json& d = (*disabled)[i];
    const std::string p = pointer_child("/disabled", i);
    if (!d.is_object()) {
      c.problem(p, fmt::format("expected an object, got {}", describe_json(d)));
      continue;
    }
    disabled_rule& rule = out.disabled.emplace_back();
    c.non_empty_text(d, p, "pattern", rule.pattern);
    c.non_empty_text(d, p, "reason", rule.reason);
    c.text_array(d, p, "ids", presence::optional, rule.ids);
  }
}

// The summary is what CI dashboards and the matrix headline read: it must agree with the rows.
void check_summary(json_checker& c, const json& doc, report_document& out) {
  const json* summary = nullptr;
  if (!c.object(doc, "", "summary", presence::required, summary) || summary == nullptr) return;
  verdict_counts actual;
  actual.total = static_cast<std::int64_t>(out.results.size());
  for (const auto& r : out.results) ++actual.by_verdict[static_cast<std::size_t>(r.outcome)];
  if (c.count(*summary, "/summary", "total", out.summary.total) && out.summary.total != actual.total) {
    c.problem("/summary/total", fmt::format("says {}, but /results holds {}", out.summary.total, actual.total));
  }
  for (verdict v : all_verdicts) {
    auto& n = out.summary.by_verdict[static_cast<std::size_t>(v)];
    if (c.count(*summary, "/summary", verdict_name(v), n) && n != actual.of(v)) {
      c.problem(pointer_child("/summary", verdict_name(v)),
                fmt::format("says {}, but /results holds {} with verdict {}", n, actual.of(v), verdict_name(v)));
    }
  }
}

}  // namespace

std::string_view verdict_name(verdict v) {
  static constexpr std::array<std::string_view, 6> names{"pass", "fail", "warn", "info", "skip", "error"};
  return names[static_cast<std::size_t>(v)];
}

result<report_document> read_report(const json& doc, std::string_view where) {
  json_checker c{std::string(where)};
  // The schema is checked first and alone: a foreign file should be called foreign, not be
  // listed as twenty missing members.
  if (!doc.is_object()) {
    c.problem("", fmt::format("expected a {} document (a JSON object), got {}", report_schema_id, describe_json(doc)));
    return c.to_error("report.schema");
  }
  const auto schema = doc.find("schema");
  if (schema == doc.end()) {
    c.problem("/schema", fmt::format("missing: not a {} document", report_schema_id));
    return c.to_error("report.schema");
  }
  if (!schema->is_string() || schema->get<std::string>() != report_schema_id) {
    c.problem("/schema", fmt::format("expected \"{}\", got {}: not a report this version reads", report_schema_id,
                                     describe_json(*schema)));
    return c.to_error("report.schema");
  }

  report_document out;
  read_header(c, doc, out);
  const json* results = nullptr;
  if (c.array(doc, "", "results", presence::required, results) && results != nullptr) {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < results->size(); ++i) {
      const json& r = (*results)[i];
      const std::string p = pointer_child("/results", i);
      if (!r.is_object()) {
        c.problem(p, fmt::format("expected an object, got {}", describe_json(r)));
        continue;
      }
      scenario_result& sr = out.results.emplace_back();
      read_result(c, r, p, sr);
      if (sr.id.empty()) continue;
      if (auto [it, fresh] = seen.emplace(sr.id, i); !fresh) {
        c.problem(pointer_child(p, "id"), fmt::format("duplicate of /results/{}/id (\"{}\")", it->second, sr.id));
      }
    }
  }
  read_disabled(c, doc, out);
  check_summary(c, doc, out);
  if (!c.ok()) return c.to_error();
  std::stable_sort(out.results.begin(), out.results.end(),
                   [](const scenario_result& a, const scenario_result& b) { return a.id < b.id; });
  return out;
}

result<report_document> load_report_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("report.read", fmt::format("{}: cannot open the file", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error("report.read", fmt::format("{}: cannot read the file", path));
  const std::string body = text.str();
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Parse again through the exception path only to learn where it broke; the exception never
    // leaves this function.
    std::string detail = "not valid JSON";
    try {
      const json again = json::parse(body);
      (void)again;
    } catch (const json::parse_error& e) {
      std::string_view what = e.what();
      if (auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
      detail = fmt::format("not valid JSON ({})", what);
    }
    return make_error("report.parse", fmt::format("{}: {}", path, detail));
  }
  return read_report(doc, path);
}

}  // namespace tether::reports
