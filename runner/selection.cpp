#include "runner/selection.hpp"

#include <algorithm>
#include <set>

#include "runner/certificate_needs.hpp"
#include "runner/pinned_profiles.hpp"
#include "runner/scenario_needs.hpp"

namespace tether::runner {

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative matcher with one backtrack point: linear enough for IDs, no recursion blow-up.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool selected(const std::string& id, const selection_filter& f) {
  if (!f.only.empty() &&
      std::none_of(f.only.begin(), f.only.end(), [&](const std::string& g) { return glob_match(g, id); }))
    return false;
  return std::none_of(f.skip.begin(), f.skip.end(), [&](const std::string& g) { return glob_match(g, id); });
}

nlohmann::json default_setting(role r, const std::string& s) {
  if (s == "require_nonce") return false;
  if (s == "token_format") return "jwt";
  if (s == "mtls_client_cert_mode") return "optional";
  if (s == "client_cert_mode") return "optional";
  if (s == "trusted_proxy") return nullptr;
  (void)r;
  return nullptr;
}

std::vector<std::string> registrations_used(const scenario& sc) {
  std::set<std::string> names;
  for (const auto& st : sc.steps) {
    if (st.params.contains("client") && st.params["client"].is_string())
      names.insert(st.params["client"].get<std::string>());
    else if (st.action == "introspect")
      names.insert("rs");
  }
  return {names.begin(), names.end()};
}

namespace {

std::string role_name(role r) {
  switch (r) {
    case role::as: return "AS";
    case role::rs: return "RS";
    case role::client: return "client";
  }
  return "";
}

std::string show(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string knob_names(const nlohmann::json& knobs) {
  std::string out;
  for (const auto& [name, value] : knobs.items()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// A scenario's require_nonce (a boolean) against what a server declares: true needs a server that
// demands nonces; false one that does not, whether or not it hands them out ("provides").
bool nonce_setting_met(const nlohmann::json& wanted, const nlohmann::json& have) {
  std::string mode = have.is_string() ? have.get<std::string>() : have == true ? "always" : "never";
  return wanted == true ? mode == "always" : mode != "always";
}

}  // namespace

bool pinned_as(const target& t) { return !t.is_builtin(role::rs) && t.is_builtin(role::as); }

namespace {

// Why a scenario cannot run against the one mock AS the external RS trusts, or "". Its token
// shapes come from token profiles, chosen per token request (runner/pinned_profiles.hpp);
// its environment settings must be what the pinned AS runs with.
std::string pinned_as_skip(const scenario& sc, const target& t, const knob_catalog* knobs) {
  bool has_knobs = sc.mocks.contains("as") && sc.mocks["as"].is_object() && !sc.mocks["as"].empty();
  if (has_knobs) {
    // A client under test asks for its own tokens and sends no profile header.
    for (const auto& st : sc.steps)
      if (st.action == "run_client")
        return "needs the mock AS with knobs set for the client under test's own token requests, and the "
               "external RS trusts one pinned mock AS";
    if (std::string why = per_token_problem(sc.mocks["as"], knobs); !why.empty()) return why;
  }
  if (!sc.environment.contains("as")) return "";
  const nlohmann::json& declared = t.settings.at(role::as).environment;
  for (const auto& [setting, wanted] : sc.environment["as"].items()) {
    nlohmann::json have = declared.contains(setting) ? declared[setting] : default_setting(role::as, setting);
    bool met = setting == "require_nonce" ? nonce_setting_met(wanted, have) : have == wanted;
    if (!met)
      return "needs as." + setting + " = " + show(wanted) + ", and the pinned mock AS the external RS trusts runs with " +
             (have.is_null() ? std::string("none") : show(have)) + " (a setting of the whole AS, not of one token)";
  }
  return "";
}

}  // namespace

std::string skip_reason(const scenario& sc, const target& t, std::string* disabled_pattern, const knob_catalog* knobs) {
  if (!t.under_test(sc.under_test))
    return "the " + role_name(sc.under_test) + " is not under test (target roles: " + t.roles_text() + ")";
  for (const auto& [pattern, reason] : t.disabled) {
    if (glob_match(pattern, sc.id)) {
      if (disabled_pattern) *disabled_pattern = pattern;
      return "disabled by the target (" + pattern + "): " + reason;
    }
  }
  for (const auto& cap : sc.requires_caps)
    if (!t.has_capability(cap)) return "the target does not have the capability \"" + cap + "\"";
  // What the steps need, even where `requires` forgot it: a control that cannot succeed against
  // the declared target is a skip, never an error.
  for (const auto& cap : derived_needs(sc, t.clients))
    if (!t.has_capability(cap))
      return "the target does not have the capability \"" + cap + "\", which the steps need";
  for (role r : {role::as, role::rs}) {
    const char* key = to_string(r);
    if (sc.mocks.contains(key) && !sc.mocks[key].empty() && !t.is_builtin(r))
      return "needs the built-in " + role_name(r) + " with knobs set (" + knob_names(sc.mocks[key]) + "), but the " +
             role_name(r) + " is external";
    if (!sc.environment.contains(key) || t.is_builtin(r)) continue;
    const nlohmann::json& declared = t.settings.at(r).environment;
    for (const auto& [setting, wanted] : sc.environment[key].items()) {
      nlohmann::json have = declared.contains(setting) ? declared[setting] : default_setting(r, setting);
      bool met = setting == "require_nonce" ? nonce_setting_met(wanted, have) : have == wanted;
      if (!met)
        return "needs " + std::string(key) + "." + setting + " = " + show(wanted) + "; the target's " +
               role_name(r) + " declares " + (have.is_null() ? std::string("none") : show(have));
    }
  }
  if (std::string why = rs_declaration_skip(sc, t); !why.empty()) return why;
  if (std::string why = certificate_skip(sc, t); !why.empty()) return why;
  // An external RS trusts one mock AS (as.fixed keeps it stable); an AS started with other
  // knobs or settings would be another issuer with other keys, which it does not trust.
  if (pinned_as(t))
    if (std::string why = pinned_as_skip(sc, t, knobs); !why.empty()) return why;
  // Question Q6 needs two instances of one RS; an external RS names its second one.
  if (!t.is_builtin(role::rs) && t.settings.at(role::rs).second_instance.empty())
    for (const auto& st : sc.steps)
      if (st.params.value("instance", 1) == 2)
        return "needs a second instance of the RS behind the same URL; the target names none (rs.second_instance)";
  // An external AS is reached with the clients registered for the suite; a name the target does
  // not map cannot be exercised.
  for (const auto& name : registrations_used(sc))
    if (!t.clients.count(name)) return "the target has no client registration \"" + name + "\"";
  if (sc.under_test == role::client && !t.is_builtin(role::client) && t.settings.at(role::client).command.empty())
    return "the target gives no command for the client under test";
  return "";
}

std::vector<planned> plan_run(const scenario_catalogue& catalogue, const target& t,
                              const selection_filter& filter, const knob_catalog* knobs) {
  std::vector<planned> plan;
  for (const scenario* sc : catalogue.all()) {
    if (!selected(sc->id, filter)) continue;
    planned p;
    p.sc = sc;
    p.skip_reason = skip_reason(*sc, t, &p.disabled_pattern, knobs);
    plan.push_back(std::move(p));
  }
  std::sort(plan.begin(), plan.end(), [](const planned& a, const planned& b) { return a.sc->id < b.sc->id; });
  return plan;
}

}  // namespace tether::runner
