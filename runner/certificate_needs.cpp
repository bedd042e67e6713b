#include "runner/certificate_needs.hpp"

namespace tether::runner {
namespace {

// A step's `cert` decides when present (null: no certificate); otherwise `fallback` applies.
void add_named(const nlohmann::json& p, const char* key, const std::string& fallback, std::set<std::string>& out) {
  if (p.contains(key)) {
    if (p[key].is_string()) out.insert(p[key].get<std::string>());
    return;
  }
  if (!fallback.empty()) out.insert(fallback);
}

std::string registration_cert(const nlohmann::json& p, const std::map<std::string, client_registration>& clients) {
  if (!p.contains("client") || !p["client"].is_string()) return "";
  auto c = clients.find(p["client"].get<std::string>());
  return c != clients.end() && c->second.cert ? *c->second.cert : "";
}

}  // namespace

std::set<std::string> certificates_used(const scenario& sc, const std::map<std::string, client_registration>& clients) {
  std::set<std::string> out;
  for (const auto& st : sc.steps) {
    const nlohmann::json& p = st.params;
    if (st.action == "token" || st.action == "run_client") {
      add_named(p, "cert", registration_cert(p, clients), out);
    } else if (st.action == "resource") {
      // Without `cert`, the token's own certificate, counted at its token step.
      add_named(p, "cert", "", out);
      if (p.contains("forwarded_cert") && p["forwarded_cert"].is_object()) {
        const nlohmann::json& f = p["forwarded_cert"];
        add_named(f, "cert", "", out);
        if (f.value("via", std::string("proxy")) == "proxy" && !p.contains("cert")) out.insert("proxy");
      }
    } else if (st.action == "fetch") {
      add_named(p, "cert", "", out);
    }
  }
  return out;
}

std::string certificate_skip(const scenario& sc, const target& t) {
  if (t.certificates.empty()) return "";
  std::string mapped;
  for (const auto& [name, files] : t.certificates) mapped += (mapped.empty() ? "" : ", ") + name;
  for (const auto& name : certificates_used(sc, t.clients))
    if (!t.certificates.count(name))
      return "needs the certificate \"" + name + "\", which the target does not map (its certificates: " + mapped +
             "); the suite's own would not be a variant of the target's";
  return "";
}

}  // namespace tether::runner
