#include "runner/rs_trust.hpp"

#include "runner/checks.hpp"
#include "runner/client_worker.hpp"
#include "runner/scenario_executor.hpp"

namespace tether::runner {

bool needs_rs_trust(const target& t) {
  return t.under_test(role::rs) && !t.is_builtin(role::rs) && t.is_builtin(role::as);
}

result<nlohmann::json> describe_rs_trust(const target& t, mock_pool& pool, const knob_catalog& knobs,
                                         const std::string& certs_dir, const std::string& work_dir,
                                         const pinned_profiles* profiles) {
  // The same configuration as every scenario's (scenario_executor.cpp), so the pool keeps one.
  auto as = pool.acquire(pinned_as_config(t, profiles));
  if (!as) return make_error("rs_trust.as", "the mock AS the RS must trust did not start: " + as.err().message);
  const nlohmann::json& r = (*as)->ready;
  // The audience the mock AS puts in its tokens: its `audience` knob (tether-as --describe-knobs).
  std::string audience;
  const nlohmann::json& as_knobs = t.settings.at(role::as).knobs;
  if (as_knobs.contains("audience") && as_knobs["audience"].is_string()) audience = as_knobs["audience"].get<std::string>();
  else if (const knob_info* k = knobs.find(role::as, "audience"); k && k->default_value.is_string())
    audience = k->default_value.get<std::string>();
  nlohmann::json trust = {{"issuer", r.value("issuer", std::string())},
                          {"jwks_uri", r.value("jwks_uri", std::string())},
                          {"metadata_url", r.value("metadata_url", std::string())},
                          {"audience", r.value("audience", audience)},
                          {"ca_file", certs_dir + "/ca.crt"},
                          {"stable", t.settings.at(role::as).fixed.has_value()}};
  if (r.contains("introspection_endpoint")) {
    trust["introspection_endpoint"] = r["introspection_endpoint"];
    auto reg = t.clients.find("rs");
    // The RS's introspection credentials are a registration of the mock AS (clients_file):
    // named here, never printed.
    trust["introspection_client_id"] = reg == t.clients.end() ? nlohmann::json() : nlohmann::json(reg->second.client_id);
  }
  const auto& fixed = t.settings.at(role::as).fixed;
  trust["signing_key_file"] = fixed && fixed->contains("signing_key") ? (*fixed)["signing_key"] : nlohmann::json();
  // The public keys, so that an RS configured with a key instead of a JWKS URL can be set up.
  client_worker worker(certs_dir, work_dir + "/client-trust.stderr.log");
  nlohmann::json step = {{"name", "jwks"}, {"action", "fetch"}, {"trace", "rs-trust/jwks"},
                         {"url", trust["jwks_uri"]}, {"method", "GET"}, {"timeout_ms", 5000},
                         {"tls", {{"ca_file", certs_dir + "/ca.crt"}, {"cert_file", nullptr}, {"key_file", nullptr},
                                  {"cert_name", nullptr}}}};
  auto answer = worker.call("step", {{"run", "rs-trust"}, {"step", step}},
                            std::chrono::steady_clock::now() + std::chrono::seconds(15));
  trust["jwks"] = nullptr;
  if (answer && answer->contains("observation")) {
    const nlohmann::json* jwks = resolve_pointer((*answer)["observation"], "/response/json");
    if (jwks && jwks->is_object()) trust["jwks"] = *jwks;
  }
  worker.stop();
  return trust;
}

void print_rs_trust(const nlohmann::json& trust, const target& t, progress_printer& out) {
  auto text = [&](const char* k) { return trust.contains(k) && trust[k].is_string() ? trust[k].get<std::string>() : std::string("?"); };
  out.line("The RS under test must trust the suite's mock AS:");
  out.line("  issuer:   " + text("issuer"));
  out.line("  JWKS URL: " + text("jwks_uri"));
  out.line("  audience: " + text("audience"));
  if (trust.contains("jwks") && trust["jwks"].is_object() && trust["jwks"].contains("keys"))
    for (const auto& k : trust["jwks"]["keys"])
      out.line("  signing key: kid " + k.value("kid", std::string("?")) + " (" + k.value("kty", std::string("?")) + " " +
               k.value("crv", k.value("alg", std::string())) + ")" +
               (trust["signing_key_file"].is_string() ? ", private key in " + trust["signing_key_file"].get<std::string>() : ""));
  if (trust.contains("introspection_endpoint"))
    out.line("  introspection: " + text("introspection_endpoint") + " (client_id \"" +
             (trust["introspection_client_id"].is_string() ? trust["introspection_client_id"].get<std::string>() : "rs") +
             "\", secret in " + (t.clients_file.empty() ? std::string("the target") : t.clients_file) + ")");
  out.line("  TLS: the AS's certificate is issued by " + text("ca_file"));
  if (!trust.value("stable", false))
    out.line("  (these change every run; set as.fixed {\"port\", \"signing_key\"} in the target to keep them)");
}

}  // namespace tether::runner
