#include "runner/scenario_needs.hpp"

#include <algorithm>

namespace tether::runner {
namespace {

bool has(const nlohmann::json& params, const char* key) { return params.contains(key) && !params[key].is_null(); }

std::string text(const nlohmann::json& params, const char* key) {
  return params.contains(key) && params[key].is_string() ? params[key].get<std::string>() : std::string();
}

// What a registration's tokens are bound to (the token an RS or a client is given), and how it
// authenticates (what an AS or a client must do: RFC 8705 2, RFC 7591). An AS scenario that
// authenticates a client with a certificate needs `mtls`, not certificate-bound tokens: its
// own `requires` says when it judges the binding too.
void registration_needs(const client_registration& c, role under_test, std::set<std::string>& out) {
  if (under_test != role::as) {
    if (c.binding == "mtls") out.insert("mtls_bound_tokens");
    if (c.binding == "dpop") out.insert("dpop");
  }
  if (under_test == role::rs) return;
  if (c.auth_method == "tls_client_auth") out.insert("mtls");
  else if (c.auth_method == "self_signed_tls_client_auth") out.insert("self_signed_mtls");
  else if (c.auth_method == "client_secret_basic" || c.auth_method == "client_secret_post") out.insert("client_secret");
  else if (c.auth_method == "none") out.insert("public_clients");
}

void step_needs(const step& st, role under_test, const std::map<std::string, client_registration>& clients,
                std::set<std::string>& out) {
  const nlohmann::json& p = st.params;
  // A proof anywhere, or the DPoP scheme on a resource request.
  if (has(p, "dpop") || text(p, "scheme") == "DPoP") out.insert("dpop");
  if (st.action == "token" || st.action == "authorize" || st.action == "run_client") {
    auto c = clients.find(text(p, "client"));
    if (c != clients.end()) registration_needs(c->second, under_test, out);
  }
  if (under_test == role::as) {
    if (st.action == "authorize" || text(p, "grant") == "authorization_code") out.insert("authorization_code");
    if (text(p, "grant") == "refresh_token") out.insert("refresh_token");
    if (has(p, "dpop_jkt")) out.insert("dpop_jkt");
    // `endpoint: mtls` without aliases is the token endpoint itself (RFC 8705 5), so it needs none.
    if (st.action == "introspect") out.insert("introspection");
  }
  if (st.action == "run_client") {
    std::string binding = text(p, "binding");
    if (binding == "dpop") out.insert("dpop");
    if (binding == "mtls") out.insert("mtls_bound_tokens");
    std::string flow = text(p, "flow");
    if (flow.rfind("refresh", 0) == 0) out.insert("refresh_token");
    if (flow.rfind("code", 0) == 0) out.insert("authorization_code");
  }
}

bool environment_says(const scenario& sc, role r, const char* setting, const nlohmann::json& value) {
  const char* key = to_string(r);
  return sc.environment.contains(key) && sc.environment[key].contains(setting) && sc.environment[key][setting] == value;
}

}  // namespace

std::set<std::string> derived_needs(const scenario& sc, const std::map<std::string, client_registration>& clients) {
  std::set<std::string> out;
  for (const auto& st : sc.steps) step_needs(st, sc.under_test, clients, out);
  // Server nonces of the role under test (RFC 9449 8 and 9).
  if (sc.under_test != role::client && environment_says(sc, sc.under_test, "require_nonce", true))
    out.insert("dpop_nonce");
  if (sc.under_test == role::rs && environment_says(sc, role::rs, "token_format", "introspection"))
    out.insert("introspection");
  // An RS that believes a proxy's certificate header; one that believes none is asked not to
  // (rfc8705/6.5/rs-ignores-forwarded-cert-without-proxy-setup), which needs nothing.
  if (sc.under_test == role::rs && sc.environment.contains("rs") && sc.environment["rs"].contains("trusted_proxy") &&
      !sc.environment["rs"]["trusted_proxy"].is_null())
    out.insert("forwarded_cert");
  return out;
}

std::set<std::string> token_bindings_used(const scenario& sc,
                                          const std::map<std::string, client_registration>& clients) {
  std::set<std::string> out;
  if (sc.under_test != role::rs) return out;
  for (const auto& st : sc.steps) {
    if (st.action != "token") continue;
    auto c = clients.find(text(st.params, "client"));
    std::set<std::string> kinds;
    if (has(st.params, "dpop")) kinds.insert("dpop");
    if (c != clients.end() && c->second.binding != "none") kinds.insert(c->second.binding);
    if (kinds.empty()) kinds.insert("none");
    out.insert(kinds.begin(), kinds.end());
  }
  return out;
}

bool presents_certificate_to_rs(const scenario& sc, const std::map<std::string, client_registration>& clients) {
  std::map<std::string, bool> token_cert;  // token step -> obtained with a certificate
  for (const auto& st : sc.steps) {
    const nlohmann::json& p = st.params;
    if (st.action == "token") {
      auto c = clients.find(text(p, "client"));
      bool with_cert = p.contains("cert") ? p["cert"].is_string() : (c != clients.end() && c->second.cert.has_value());
      token_cert[st.name] = with_cert;
    } else if (st.action == "resource") {
      if (p.contains("cert") ? p["cert"].is_string() : token_cert[text(p, "token_from")]) return true;
    }
  }
  return false;
}

std::string rs_declaration_skip(const scenario& sc, const target& t) {
  if (sc.under_test != role::rs) return "";
  const role_settings& rs = t.settings.at(role::rs);
  if (rs.token_bindings) {
    for (const auto& kind : token_bindings_used(sc, t.clients))
      if (std::find(rs.token_bindings->begin(), rs.token_bindings->end(), kind) == rs.token_bindings->end())
        return std::string("presents ") +
               (kind == "none" ? "an unbound Bearer token" : kind == "dpop" ? "a DPoP-bound token" : "a certificate-bound token") +
               ", which the target's RS does not serve (rs.token_bindings)";
  }
  const nlohmann::json& mode = rs.environment.contains("client_cert_mode") ? rs.environment["client_cert_mode"]
                                                                           : nlohmann::json("optional");
  if (mode == "none" && presents_certificate_to_rs(sc, t.clients))
    return "presents a client certificate to the RS, which requests none (rs.client_cert_mode: none)";
  return "";
}

std::vector<std::string> undeclared_needs(const scenario& sc, const std::map<std::string, client_registration>& clients) {
  std::vector<std::string> missing;
  for (const auto& need : derived_needs(sc, clients))
    if (std::find(sc.requires_caps.begin(), sc.requires_caps.end(), need) == sc.requires_caps.end())
      missing.push_back(need);
  return missing;
}

}  // namespace tether::runner
