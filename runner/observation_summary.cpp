#include "runner/observation_summary.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace tether::runner {
namespace {

const nlohmann::json* member(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string text(const nlohmann::json* j) { return j && j->is_string() ? j->get<std::string>() : std::string(); }

const nlohmann::json& challenges_of(const nlohmann::json& obs) {
  static const nlohmann::json empty = nlohmann::json::array();
  const nlohmann::json* resp = member(obs, "response");
  const nlohmann::json* ch = resp ? member(*resp, "challenges") : nullptr;
  return ch && ch->is_array() ? *ch : empty;
}

std::string challenge_param(const nlohmann::json& challenge, const char* name) {
  const nlohmann::json* params = member(challenge, "params");
  return params ? text(member(*params, name)) : std::string();
}

std::string outcome_of(const nlohmann::json& obs) {
  if (const nlohmann::json* resp = member(obs, "response")) {
    const nlohmann::json* st = member(*resp, "status");
    int status = st && st->is_number_integer() ? st->get<int>() : 0;
    if (status >= 200 && status < 300) return "accept";
    if (status >= 400 && status < 500) return "reject";
    return "unexpected";
  }
  const nlohmann::json* tls = member(obs, "tls");
  std::string stage = tls ? text(member(*tls, "stage")) : "";
  std::string kind = tls ? text(member(*tls, "kind")) : "";
  bool alert = tls && member(*tls, "alert") && (*member(*tls, "alert")) == true;
  if (stage == "timeout") return "timeout";
  // A server that does not speak TLS, or whose certificate the suite does not trust, has not
  // refused anything (docs/client-protocol.md, tls.kind).
  if (kind == "not_tls" || kind == "server_certificate") return "unexpected";
  if (stage == "handshake") return "tls_reject";
  if (stage == "read" || stage == "write") return alert ? "tls_reject" : "unexpected";
  return "unreachable";
}

nlohmann::json value_or_null(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) ? j[key] : nlohmann::json();
}

}  // namespace

std::vector<std::string> observed_errors(const nlohmann::json& obs) {
  std::vector<std::string> out;
  for (const auto& c : challenges_of(obs))
    if (std::string e = challenge_param(c, "error"); !e.empty()) out.push_back(e);
  if (const nlohmann::json* resp = member(obs, "response"))
    if (const nlohmann::json* body = member(*resp, "json"))
      if (std::string e = text(member(*body, "error")); !e.empty()) out.push_back(e);
  return out;
}

std::vector<std::string> observed_schemes(const nlohmann::json& obs) {
  std::vector<std::string> out;
  for (const auto& c : challenges_of(obs))
    if (std::string s = text(member(c, "scheme")); !s.empty()) out.push_back(s);
  return out;
}

namespace {

// The schemes with the one whose challenge carried the first `error` first, the others after in
// the order received: "401 invalid_dpop_proof DPoP" names the challenge that said it.
std::vector<std::string> schemes_error_first(const nlohmann::json& obs) {
  std::vector<std::string> out;
  std::size_t carrier = 0;
  bool found = false;
  for (const auto& c : challenges_of(obs)) {
    std::string s = text(member(c, "scheme"));
    if (s.empty()) continue;
    if (!found && !challenge_param(c, "error").empty()) {
      carrier = out.size();
      found = true;
    }
    out.push_back(s);
  }
  if (found && carrier > 0) std::rotate(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(carrier),
                                        out.begin() + static_cast<std::ptrdiff_t>(carrier) + 1);
  return out;
}

}  // namespace

nlohmann::json summarize_observation(const nlohmann::json& obs) {
  nlohmann::json s = nlohmann::json::object();
  s["outcome"] = outcome_of(obs);
  const nlohmann::json* resp = member(obs, "response");
  const nlohmann::json* st = resp ? member(*resp, "status") : nullptr;
  s["status"] = st ? *st : nlohmann::json();
  std::vector<std::string> errors = observed_errors(obs);
  s["error"] = errors.empty() ? nlohmann::json() : nlohmann::json(errors.front());
  std::string description;
  std::string algs;
  for (const auto& c : challenges_of(obs)) {
    if (description.empty()) description = challenge_param(c, "error_description");
    if (algs.empty()) algs = challenge_param(c, "algs");
  }
  if (description.empty() && resp)
    if (const nlohmann::json* body = member(*resp, "json")) description = text(member(*body, "error_description"));
  s["error_description"] = description.empty() ? nlohmann::json() : nlohmann::json(description);
  std::vector<std::string> schemes = schemes_error_first(obs);
  s["scheme"] = schemes.empty() ? nlohmann::json() : nlohmann::json(schemes.front());
  s["schemes"] = schemes;
  s["algs"] = algs.empty() ? nlohmann::json() : nlohmann::json(algs);
  // token_type and cnf: from the decoded token of a token response, else from the JSON body
  // (an introspection response carries cnf at the top level, RFC 8705 3.2 / RFC 9449 6.2).
  nlohmann::json token_type, cnf;
  if (const nlohmann::json* tok = member(obs, "token")) {
    if (const nlohmann::json* tt = member(*tok, "token_type")) token_type = *tt;
    if (const nlohmann::json* c = member(*tok, "cnf")) cnf = *c;
  }
  if (resp) {
    if (const nlohmann::json* body = member(*resp, "json")) {
      if (token_type.is_null())
        if (const nlohmann::json* tt = member(*body, "token_type")) token_type = *tt;
      if (cnf.is_null())
        if (const nlohmann::json* c = member(*body, "cnf")) cnf = *c;
    }
  }
  s["token_type"] = token_type;
  s["cnf"] = cnf;
  // A connection that ended before any byte of an answer: what a crashing server looks like.
  const nlohmann::json* tls = member(obs, "tls");
  s["closed"] = !resp && tls && text(member(*tls, "kind")) == "closed";
  return s;
}

nlohmann::json observed_answer(const scenario_result& r) {
  const step_record* last = nullptr;
  for (const auto& s : r.steps)
    if (s.st->kind == step_kind::probe && s.observation.is_object()) last = &s;
  if (!last) return nullptr;
  const nlohmann::json& sum = last->observation.value("summary", nlohmann::json::object());
  nlohmann::json schemes = value_or_null(sum, "schemes");
  // docs/report-format.md: `schemes` only when several challenges were sent, `tls` only for a
  // refusal at the TLS layer (the stage and the library's error).
  if (!schemes.is_array() || schemes.size() < 2) schemes = nullptr;
  nlohmann::json tls = nullptr;
  const nlohmann::json& t = last->observation.value("tls", nlohmann::json::object());
  if (t.is_object() && t.value("stage", std::string()) != "")
    tls = {{"stage", value_or_null(t, "stage")}, {"error", value_or_null(t, "error")}};
  return {{"outcome", value_or_null(sum, "outcome")},
          {"status", value_or_null(sum, "status")},
          {"error", value_or_null(sum, "error")},
          {"scheme", value_or_null(sum, "scheme")},
          {"schemes", schemes},
          {"error_description", value_or_null(sum, "error_description")},
          {"algs", value_or_null(sum, "algs")},
          {"token_type", value_or_null(sum, "token_type")},
          {"cnf", value_or_null(sum, "cnf")},
          {"tls", tls}};
}

}  // namespace tether::runner
