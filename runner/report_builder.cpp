#include "runner/report_builder.hpp"

#include <cmath>
#include <ctime>
#include <map>

#include "runner/event_reader.hpp"
#include "runner/observation_summary.hpp"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

namespace tether::runner {
namespace {

double round1(double v) { return std::round(v * 10.0) / 10.0; }

nlohmann::json get(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) ? j[key] : nlohmann::json();
}


// Every format shows a result's reason, so the expectation is said there too.
std::string annotated_reason(const std::string& reason, const nlohmann::json& e) {
  if (!e.is_object()) return reason;
  std::string match = e.value("match", std::string());
  std::string why = e["reason"].is_string() ? e["reason"].get<std::string>() : "";
  std::string note;
  if (match == "expected") note = "expected: " + why;
  else if (e["message"].is_string()) note = "UNEXPECTED (" + match + "): " + e["message"].get<std::string>();
  if (note.empty()) return reason;
  return reason.empty() ? "[" + note + "]" : reason + " [" + note + "]";
}

nlohmann::json expectation_json(const expectation_outcome& e) {
  nlohmann::json j = {{"what", e.what}, {"level", to_string(e.lvl)}, {"expected", scrub_secrets(e.expected)},
                      {"observed", scrub_secrets(e.observed)}, {"met", e.met}};
  if (e.what == "error") j["mapped"] = e.mapped;
  if (e.recorded) j["recorded"] = true;
  if (!e.says.empty()) j["says"] = e.says;
  if (!e.detail.empty()) j["detail"] = e.detail;
  return j;
}

nlohmann::json events_list(const nlohmann::json& grouped) {
  nlohmann::json out = nlohmann::json::array();
  if (!grouped.is_object()) return out;
  for (const auto& [server, endpoints] : grouped.items())
    for (const auto& [endpoint, events] : endpoints.items())
      for (const auto& e : events) {
        nlohmann::json copy = scrub_secrets(e);
        copy["server"] = e.value("server", server);
        copy["endpoint"] = e.value("endpoint", endpoint);
        out.push_back(std::move(copy));
      }
  return out;
}

nlohmann::json step_json(const step_record& s) {
  const nlohmann::json& obs = s.observation;
  nlohmann::json sum = obs.is_object() ? obs.value("summary", nlohmann::json::object()) : nlohmann::json::object();
  nlohmann::json j = {{"name", s.st->name}, {"kind", to_string(s.st->kind)}, {"action", s.st->action},
                      {"outcome", get(sum, "outcome")}, {"status", get(sum, "status")}};
  nlohmann::json wa = nullptr;
  if (sum.is_object() && (sum.contains("scheme") && !sum["scheme"].is_null()))
    wa = {{"scheme", get(sum, "scheme")}, {"error", nullptr}, {"error_description", get(sum, "error_description")},
          {"algs", get(sum, "algs")}};
  // The challenge's own error (the summary's may come from the body).
  if (!wa.is_null() && obs.contains("response") && obs["response"].is_object()) {
    const nlohmann::json& ch = obs["response"].value("challenges", nlohmann::json::array());
    if (ch.is_array() && !ch.empty() && ch[0].is_object() && ch[0].contains("params"))
      wa["error"] = get(ch[0]["params"], "error");
  }
  j["www_authenticate"] = wa;
  j["error"] = get(sum, "error");
  j["token_type"] = get(sum, "token_type");
  j["cnf"] = get(sum, "cnf");
  nlohmann::json tls = get(obs, "tls");
  j["tls"] = tls.is_object() ? nlohmann::json{{"ok", get(tls, "ok")}, {"stage", get(tls, "stage")}, {"error", get(tls, "error")}}
                             : nlohmann::json();
  if (obs.is_object() && obs.contains("request") && obs["request"].is_object()) {
    const nlohmann::json& rq = obs["request"];
    nlohmann::json req = {{"method", get(rq, "method")}, {"url", get(rq, "url")}};
    if (rq.contains("cert") && rq["cert"].is_object()) req["cert"] = get(rq["cert"], "name");
    if (rq.contains("dpop") && rq["dpop"].is_object()) req["dpop_defects"] = get(rq["dpop"], "defects");
    j["request"] = req;
  }
  if (obs.is_object() && obs.contains("exit_code")) j["exit_code"] = obs["exit_code"];
  if (obs.is_object() && obs.contains("concurrent")) j["concurrent"] = obs["concurrent"];
  nlohmann::json ex = nlohmann::json::array();
  for (const auto& e : s.expectations) ex.push_back(expectation_json(e));
  j["expectations"] = ex;
  j["events"] = events_list(get(obs, "events"));
  if (!s.error.empty()) j["suite_error"] = s.error;
  j["duration_ms"] = round1(s.duration_ms);
  return j;
}

}  // namespace

nlohmann::json killed_processes_json(const std::vector<killed_process>& killed) {
  std::map<std::pair<std::string, std::string>, nlohmann::json> groups;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& k : killed) {
    auto key = std::make_pair(k.from, k.name);
    auto [it, fresh] = groups.try_emplace(key, nlohmann::json{{"from", k.from}, {"name", k.name}, {"count", 0},
                                                              {"pids", nlohmann::json::array()}});
    if (fresh) order.push_back(key);
    it->second["count"] = it->second["count"].get<int>() + 1;
    if (it->second["pids"].size() < 20) it->second["pids"].push_back(k.pid);
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& key : order) out.push_back(groups[key]);
  return out;
}

std::string killed_processes_text(const nlohmann::json& groups) {
  int total = 0;
  std::string parts;
  for (const auto& g : groups) {
    total += g["count"].get<int>();
    parts += (parts.empty() ? "" : ", ") + std::to_string(g["count"].get<int>()) + " " + g["name"].get<std::string>() +
             " (" + g["from"].get<std::string>() + ")";
  }
  return "killed " + std::to_string(total) + " process" + (total == 1 ? "" : "es") +
         " left running by the processes it started: " + parts;
}

std::string utc_now_iso8601() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json result_json(const scenario_result& r) {
  const scenario& sc = *r.sc;
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : r.steps) steps.push_back(step_json(s));
  return {{"id", sc.id},
          {"title", sc.title},
          {"section", sc.spec + (sc.section.empty() ? "" : " " + sc.section)},
          {"role", to_string(sc.under_test)},
          {"refs", sc.refs},
          {"level", to_string(sc.lvl)},
          {"requirement", sc.requirement},
          {"flags", sc.flags},
          {"question", sc.question ? nlohmann::json(*sc.question) : nlohmann::json()},
          {"verdict", r.verdict},
          {"reason", r.reason},
          {"duration_ms", round1(r.duration_ms)},
          {"observed", observed_answer(r)},
          {"steps", steps},
          {"file", sc.file}};
}

nlohmann::json summary_counts(const std::vector<scenario_result>& results) {
  nlohmann::json s = {{"total", results.size()}, {"pass", 0}, {"fail", 0}, {"warn", 0},
                      {"info", 0}, {"skip", 0}, {"error", 0}};
  for (const auto& r : results)
    if (s.contains(r.verdict)) s[r.verdict] = s[r.verdict].get<int>() + 1;
  return s;
}

nlohmann::json build_report(const run_totals& totals, const report_inputs& in) {
  const target& t = *in.tgt;
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : totals.results) {
    nlohmann::json j = result_json(r);
    if (in.expectations) {
      j["expectation"] = result_expectation_json(*in.expectations, r.sc->id);
      j["reason"] = annotated_reason(r.reason, j["expectation"]);
    }
    results.push_back(std::move(j));
  }
  std::map<std::string, nlohmann::json> disabled;
  for (const auto& [pattern, reason] : t.disabled)
    disabled[pattern] = {{"pattern", pattern}, {"reason", reason}, {"ids", nlohmann::json::array()}};
  for (const auto& r : totals.results)
    if (!r.disabled_pattern.empty() && disabled.count(r.disabled_pattern))
      disabled[r.disabled_pattern]["ids"].push_back(r.sc->id);
  nlohmann::json disabled_list = nlohmann::json::array();
  for (auto& [p, d] : disabled) disabled_list.push_back(d);
  double tls = round1(totals.tls_handshake_ms);
  // Time inside scenarios (summed over jobs), split into TLS handshakes and everything else.
  double scenario_ms = 0;
  for (const auto& r : totals.results) scenario_ms += r.duration_ms;
  nlohmann::json doc = {{"schema", "tether-report/1"},
          {"tether_version", TETHER_VERSION},
          {"generated_at", in.generated_at.empty() ? utc_now_iso8601() : in.generated_at},
          {"target", {{"name", t.name}, {"role", t.roles_text()}, {"version", t.version}, {"file", t.path}}},
          {"run", {{"duration_ms", round1(totals.duration_ms)},
                   {"jobs", in.jobs},
                   {"strict", in.strict},
                   {"only", in.only},
                   {"skip", in.skip},
                   {"scenario_files", in.scenario_files},
                   {"tls_handshake_ms", tls},
                   {"scenario_ms", round1(scenario_ms)},
                   {"other_ms", round1(std::max(0.0, scenario_ms - totals.tls_handshake_ms))},
                   {"mocks_started", totals.mocks_started},
                   {"worker_restarts", totals.worker_restarts}}},
          {"summary", summary_counts(totals.results)},
          {"results", results},
          {"disabled", disabled_list}};
  if (!in.as_metadata_url.empty())
    doc["target"]["as_metadata"] = {{"url", in.as_metadata_url}, {"via", in.as_metadata_via}};
  if (!totals.killed_processes.empty()) doc["run"]["killed_processes"] = killed_processes_json(totals.killed_processes);
  if (in.expectations) doc["expectations"] = expectations_json(*in.expectations);
  return doc;
}

}  // namespace tether::runner
