#include "runner/judge.hpp"

#include <algorithm>
#include <cctype>

#include "runner/observation_summary.hpp"

namespace tether::runner {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

nlohmann::json values_json(const acceptable_set& set) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& v : set.values) a.push_back(v);
  return a;
}

const nlohmann::json& summary_of(const nlohmann::json& obs) {
  static const nlohmann::json empty = nlohmann::json::object();
  return obs.is_object() && obs.contains("summary") ? obs["summary"] : empty;
}

bool tls_refusal_accepted(const step& st, const nlohmann::json& summary) {
  return st.expect.tls_reject_allowed && summary.value("outcome", std::string()) == "tls_reject";
}

// tls.kind of an observation (docs/client-protocol.md): "closed", "not_tls", ... or "".
std::string tls_kind(const nlohmann::json& obs) {
  if (!obs.is_object() || !obs.contains("tls") || !obs["tls"].is_object()) return "";
  const nlohmann::json& k = obs["tls"].value("kind", nlohmann::json());
  return k.is_string() ? k.get<std::string>() : "";
}

// "handshake: wrong version number" for an exchange that failed below HTTP, "" otherwise.
std::string tls_failure(const nlohmann::json& obs) {
  if (!obs.is_object() || !obs.contains("tls") || !obs["tls"].is_object()) return "";
  std::string stage = obs["tls"].value("stage", std::string());
  std::string error = obs["tls"].value("error", std::string());
  if (stage.empty()) return "";
  return error.empty() ? stage : stage + ": " + error;
}

expectation_outcome judge_outcome(const step& st, const nlohmann::json& obs, const nlohmann::json& summary, level lvl) {
  expectation_outcome e;
  e.what = "outcome";
  e.lvl = lvl;
  expected_outcome want = *st.expect.outcome;
  e.expected = to_string(want);
  std::string got = summary.value("outcome", std::string("unreachable"));
  e.observed = got;
  switch (want) {
    case expected_outcome::accept: e.met = got == "accept"; break;
    case expected_outcome::reject:
      e.met = got == "reject" || (got == "tls_reject" && st.expect.tls_reject_allowed);
      break;
    case expected_outcome::either:
      e.met = true;
      e.recorded = true;
      break;
  }
  if (!e.met) {
    // Say what came back: the status of a redirect, the TLS error of a refusal.
    std::string tls = tls_failure(obs);
    if (obs.is_object() && obs.contains("exit_code")) {
      e.detail = obs["exit_code"].is_number_integer() ? "the client under test exited with status " + obs["exit_code"].dump()
                                                       : "the client under test did not finish";
      return e;
    }
    bool answered = summary.contains("status") && summary["status"].is_number_integer();
    if (closed_without_response(obs))
      e.detail = "the connection was closed without an HTTP response" + (tls.empty() ? "" : " (" + tls + ")");
    else if (got == "tls_reject")
      e.detail = "refused at the TLS layer" + (tls.empty() ? "" : " (" + tls + ")") + ", which this step does not allow";
    else if (got == "unexpected" && answered)
      e.detail = "answered " + describe_answer(summary) + ": neither accepted (2xx) nor rejected (4xx)";
    else if (got == "unexpected")
      e.detail = "no answer" + (tls.empty() ? "" : " (" + tls + ")");
    else
      e.detail = "answered " + describe_answer(summary);
  }
  return e;
}

expectation_outcome judge_status(const step& st, const nlohmann::json& summary) {
  const acceptable_set& set = *st.expect.status;
  expectation_outcome e;
  e.what = "status";
  e.lvl = set.lvl;
  e.expected = values_json(set);
  e.observed = summary.value("status", nlohmann::json());
  if (tls_refusal_accepted(st, summary)) {
    e.met = true;
    e.observed = "tls_reject";
    return e;
  }
  e.met = std::find(set.values.begin(), set.values.end(), e.observed) != set.values.end();
  if (!e.met) e.detail = e.observed.is_null() ? "no HTTP answer" : "status " + e.observed.dump() + " is not acceptable";
  return e;
}

expectation_outcome judge_error(const step& st, const nlohmann::json& obs, const nlohmann::json& summary,
                                const judge_context& ctx) {
  const acceptable_set& set = *st.expect.error;
  expectation_outcome e;
  e.what = "error";
  e.lvl = set.lvl;
  e.expected = values_json(set);
  e.observed = summary.value("error", nlohmann::json());
  if (tls_refusal_accepted(st, summary)) {
    e.met = true;
    e.observed = "tls_reject";
    return e;
  }
  // Any challenge's error or the body's error may carry the answer (README "Expectations").
  std::vector<std::string> seen = observed_errors(obs);
  for (const auto& got : seen) {
    for (const auto& want : set.values) {
      if (want == got) {
        e.met = true;
        e.observed = got;
        return e;
      }
    }
  }
  // BoGo's ErrorMap: the implementation's own name for a canonical error is accepted, and
  // the report says so.
  if (ctx.errors) {
    for (const auto& got : seen) {
      for (const auto& want : set.values) {
        auto it = ctx.errors->find(want.get<std::string>());
        if (it == ctx.errors->end()) continue;
        if (std::find(it->second.begin(), it->second.end(), got) != it->second.end()) {
          e.met = true;
          e.mapped = true;
          e.observed = got;
          e.detail = "\"" + got + "\" is the target's name for \"" + want.get<std::string>() + "\"";
          return e;
        }
      }
    }
  }
  e.detail = seen.empty() ? "no error code in the answer" : "error \"" + seen.front() + "\" is not acceptable";
  return e;
}

expectation_outcome judge_scheme(const step& st, const nlohmann::json& obs, const nlohmann::json& summary) {
  const acceptable_set& set = *st.expect.scheme;
  expectation_outcome e;
  e.what = "scheme";
  e.lvl = set.lvl;
  e.expected = set.all_of ? nlohmann::json{{"all_of", values_json(set)}} : values_json(set);
  std::vector<std::string> schemes = observed_schemes(obs);
  e.observed = schemes;
  if (tls_refusal_accepted(st, summary)) {
    e.met = true;
    e.observed = "tls_reject";
    return e;
  }
  // Authentication schemes are case-insensitive (RFC 9110 11.1).
  auto challenged = [&](const nlohmann::json& want) {
    return std::any_of(schemes.begin(), schemes.end(),
                       [&](const std::string& s) { return lower(s) == lower(want.get<std::string>()); });
  };
  if (set.all_of) e.met = std::all_of(set.values.begin(), set.values.end(), challenged);
  else e.met = std::any_of(set.values.begin(), set.values.end(), challenged);
  if (!e.met) e.detail = schemes.empty() ? "no WWW-Authenticate challenge" : "the challenged schemes do not match";
  return e;
}

}  // namespace

bool closed_without_response(const nlohmann::json& obs) { return tls_kind(obs) == "closed"; }

std::string observation_error(const nlohmann::json& obs) {
  const nlohmann::json& s = summary_of(obs);
  std::string outcome = s.value("outcome", std::string());
  std::string tls_error;
  if (obs.contains("tls") && obs["tls"].is_object()) tls_error = obs["tls"].value("error", std::string());
  if (outcome == "unreachable")
    return "the server could not be reached" + (tls_error.empty() ? std::string() : " (" + tls_error + ")");
  if (outcome == "timeout") return "the request timed out" + (tls_error.empty() ? std::string() : " (" + tls_error + ")");
  // Answers that are no answer to the request: nothing about the requirement can be read from
  // them, so the verdict is `error` whatever the step expected (targets/README.md: a target that
  // loops on redirects or does not speak TLS gives `error`).
  std::string kind = tls_kind(obs);
  if (kind == "not_tls") return "the server does not speak TLS (" + tls_failure(obs) + ")";
  if (kind == "server_certificate")
    return "the suite does not trust the server's certificate (" + tls_failure(obs) +
           "): set the target's ca_file to the CA that issued it";
  if (kind == "too_large") return "the answer is larger than the suite reads (" + tls_failure(obs) + ")";
  // A 5xx is the server failing, not refusing: no requirement can be judged from it, whatever
  // the step expected (design.md 3: `error` is "the suite could not judge").
  const nlohmann::json& status = s.contains("status") ? s["status"] : s;
  // The suite reads a redirect and never follows it (docs/client-protocol.md): the answer to
  // the request is somewhere it did not look. At the authorization endpoint the redirect is the
  // answer (RFC 6749 4.1.2), and the step judges what it carries.
  bool authorize = obs.is_object() && obs.value("action", nlohmann::json()) == "authorize";
  if (!authorize && status.is_number_integer() && status.get<int>() >= 300 && status.get<int>() <= 399) {
    std::string location;
    if (obs.contains("response") && obs["response"].is_object() && obs["response"].contains("headers") &&
        obs["response"]["headers"].is_array())
      for (const auto& h : obs["response"]["headers"])
        if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string() &&
            lower(h[0].get<std::string>()) == "location") {
          location = h[1].get<std::string>();
          break;
        }
    if (location.size() > 120) location = location.substr(0, 120) + "...";
    return "the server answered " + std::to_string(status.get<int>()) +
           (location.empty() ? std::string() : " (a redirect to " + location + ")") +
           ", which the suite does not follow: there is no answer to judge";
  }
  if (status.is_number_integer() && status.get<int>() >= 500 && status.get<int>() <= 599) {
    std::string what = s.contains("error") && s["error"].is_string() ? " " + s["error"].get<std::string>() : "";
    if (what.empty() && obs.contains("response") && obs["response"].is_object()) {
      std::string body = obs["response"].value("body", std::string());
      if (body.size() > 80) body = body.substr(0, 80) + "...";
      for (char& c : body)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
      if (!body.empty()) what = " (body: " + body + ")";
    }
    return "the server failed: it answered " + std::to_string(status.get<int>()) + what;
  }
  return "";
}

std::vector<expectation_outcome> judge_step(const step& st, const nlohmann::json& obs, const judge_context& ctx) {
  std::vector<expectation_outcome> out;
  const nlohmann::json& summary = summary_of(obs);
  if (st.expect.outcome) out.push_back(judge_outcome(st, obs, summary, ctx.scenario_level));
  // status, error and scheme describe a refusal (scenarios/README.md "Expectations"): they are
  // judged on an HTTP refusal, met by a TLS refusal the step allows, and not judged at all when
  // there was no refusal to describe. An accepted request, or a TLS refusal the step does not
  // allow, is the outcome's failure alone, at the outcome's level, never "no WWW-Authenticate".
  std::string outcome = summary.value("outcome", std::string());
  if (outcome == "reject" || tls_refusal_accepted(st, summary)) {
    if (st.expect.status) out.push_back(judge_status(st, summary));
    if (st.expect.error) out.push_back(judge_error(st, obs, summary, ctx));
    if (st.expect.scheme) out.push_back(judge_scheme(st, obs, summary));
  }
  for (const auto& check : st.expect.checks) {
    check_result r = evaluate_check(check, obs, ctx.lookup);
    expectation_outcome e;
    e.what = "check " + check.value("pointer", std::string());
    e.lvl = check.contains("level") ? level_from(check["level"].get<std::string>()).value_or(ctx.scenario_level)
                                    : ctx.scenario_level;
    e.expected = r.expected;
    e.observed = r.observed;
    e.met = r.met;
    e.says = check.value("says", std::string());
    e.detail = r.detail;
    out.push_back(std::move(e));
  }
  return out;
}

std::string describe_answer(const nlohmann::json& s) {
  std::string outcome = s.value("outcome", std::string());
  if (outcome == "tls_reject" || outcome == "unreachable" || outcome == "timeout") return outcome;
  if (s.value("closed", false)) return "closed without an HTTP response";
  std::string out;
  if (s.contains("status") && !s["status"].is_null()) out = s["status"].dump();
  if (s.contains("error") && s["error"].is_string()) out += " " + s["error"].get<std::string>();
  if (s.contains("scheme") && s["scheme"].is_string()) out += " " + s["scheme"].get<std::string>();
  return out.empty() ? outcome : out;
}

}  // namespace tether::runner
