#include "runner/step_resolver.hpp"

#include <algorithm>

#include "runner/checks.hpp"

namespace tether::runner {
namespace {

const nlohmann::json* earlier(const std::map<std::string, nlohmann::json>* m, const nlohmann::json& name) {
  if (!m || !name.is_string()) return nullptr;
  auto it = m->find(name.get<std::string>());
  return it == m->end() ? nullptr : &it->second;
}

std::string text_at(const nlohmann::json* doc, const char* pointer) {
  if (!doc) return "";
  const nlohmann::json* v = resolve_pointer(*doc, pointer);
  return v && v->is_string() ? v->get<std::string>() : "";
}

nlohmann::json client_block(const client_registration& c, const nlohmann::json& params) {
  nlohmann::json j = {{"client_id", c.client_id}, {"auth_method", c.auth_method},
                      {"secret", c.secret ? nlohmann::json(*c.secret) : nlohmann::json()}};
  // "secret": a wrong secret to send, for scenarios about failed client authentication.
  if (params.contains("secret")) j["secret"] = params["secret"];
  return j;
}

// `alg`: the default alg of a new key, from the client's registration (targets/README.md
// `dpop_alg`) or the key's earlier use; "" leaves tether-client's default (ES256).
nlohmann::json proof_of(const nlohmann::json& params, const std::string& alg = "") {
  if (!params.contains("dpop")) return nullptr;
  nlohmann::json p = params["dpop"];
  if (!p.contains("alg") && !alg.empty()) p["alg"] = alg;
  if (!p.contains("key")) p["key"] = "k1";
  if (!p.contains("nonce")) p["nonce"] = "auto";
  if (!p.contains("retry_on_nonce")) p["retry_on_nonce"] = true;
  if (!p.contains("headers")) p["headers"] = 1;
  if (!p.contains("header_name")) p["header_name"] = "DPoP";
  if (!p.contains("defects")) p["defects"] = nlohmann::json::object();
  return p;
}

// defects.jti_of names an earlier step: the jti of the proof it sent (its last attempt) becomes
// this proof's jti, the builder's `jti` defect. A fresh proof that repeats the jti of one the
// server accepted is a replay to a server that tracks jti (RFC 9449 11.1).
status resolve_jti_of(nlohmann::json& proof, const resolve_context& ctx) {
  if (!proof.is_object() || !proof.contains("defects") || !proof["defects"].contains("jti_of")) return {};
  nlohmann::json& defects = proof["defects"];
  const nlohmann::json of = defects["jti_of"];
  const std::string jti = text_at(earlier(ctx.observations, of), "/request/dpop/claims/jti");
  if (jti.empty())
    return make_error("resolve.jti", "step \"" + of.get<std::string>() + "\" sent no DPoP proof with a jti");
  defects.erase("jti_of");
  defects["jti"] = jti;
  return {};
}

result<const client_registration*> registration(const resolve_context& ctx, const std::string& name) {
  auto it = ctx.tgt->clients.find(name);
  if (it == ctx.tgt->clients.end())
    return make_error("resolve.client", "the target has no client registration \"" + name + "\"");
  return &it->second;
}

}  // namespace

std::string origin_of(const std::string& url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  std::size_t path = url.find('/', scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

nlohmann::json tls_block(const std::string& ca_file, const nlohmann::json& cert_name, const resolve_context& ctx) {
  nlohmann::json t = {{"ca_file", ca_file.empty() ? ctx.certs_dir + "/ca.crt" : ca_file},
                      {"cert_file", nullptr}, {"key_file", nullptr}, {"cert_name", nullptr}};
  if (cert_name.is_string()) {
    std::string name = cert_name.get<std::string>();
    auto it = ctx.tgt ? ctx.tgt->certificates.find(name) : decltype(ctx.tgt->certificates.end()){};
    if (ctx.tgt && it != ctx.tgt->certificates.end()) {
      t["cert_file"] = it->second.cert;
      t["key_file"] = it->second.key;
    } else {
      t["cert_file"] = ctx.certs_dir + "/" + name + ".crt";
      t["key_file"] = ctx.certs_dir + "/" + name + ".key";
    }
    t["cert_name"] = name;
  }
  return t;
}

bool step_needs_as(const step& st) {
  if (st.action == "token" || st.action == "authorize" || st.action == "introspect" || st.action == "run_client")
    return true;
  if (st.action == "fetch") return st.params.value("server", std::string()) == "as";
  return false;
}

bool step_needs_rs(const step& st) {
  if (st.action == "resource" || st.action == "run_client") return true;
  if (st.action == "fetch") return st.params.value("server", std::string()) == "rs";
  return false;
}

result<nlohmann::json> resolve_step(const step& st, const resolve_context& ctx) {
  const nlohmann::json& p = st.params;
  nlohmann::json r = {{"name", st.name}, {"action", st.action}, {"trace", ctx.trace}, {"timeout_ms", ctx.timeout_ms}};
  if (st.action == "token") {
    auto reg = registration(ctx, p["client"].get<std::string>());
    if (!reg) return reg.err();
    const client_registration& c = **reg;
    nlohmann::json cert = p.contains("cert") ? p["cert"] : (c.cert ? nlohmann::json(*c.cert) : nlohmann::json());
    std::string endpoint = p.value("endpoint", std::string("auto"));
    std::string alias = ctx.ep.mtls_token_endpoint.empty() ? ctx.ep.token_endpoint : ctx.ep.mtls_token_endpoint;
    // RFC 8705 5: a client doing mTLS uses the alias when the AS publishes one.
    bool use_alias = endpoint == "mtls" || (endpoint == "auto" && cert.is_string());
    r["endpoint_url"] = use_alias ? alias : ctx.ep.token_endpoint;
    r["url"] = r["endpoint_url"];
    r["method"] = "POST";
    r["client"] = client_block(c, p);
    std::string grant = p.value("grant", std::string("client_credentials"));
    r["grant"] = grant;
    r["code"] = nullptr;
    r["code_verifier"] = nullptr;
    r["redirect_uri"] = nullptr;
    r["refresh_token"] = nullptr;
    if (grant == "authorization_code") {
      const nlohmann::json* obs = earlier(ctx.observations, p["from"]);
      std::string code = text_at(obs, "/authorization/code");
      if (code.empty())
        return make_error("resolve.code", "step \"" + p["from"].get<std::string>() + "\" obtained no authorization code");
      r["code"] = code;
      r["code_verifier"] = text_at(obs, "/authorization/code_verifier");
      r["redirect_uri"] = text_at(obs, "/authorization/redirect_uri");
    } else if (grant == "refresh_token") {
      const nlohmann::json* obs = earlier(ctx.observations, p["from"]);
      std::string rt = text_at(obs, "/token/refresh_token");
      if (rt.empty())
        return make_error("resolve.refresh", "step \"" + p["from"].get<std::string>() + "\" obtained no refresh token");
      r["refresh_token"] = rt;
    }
    r["scope"] = p.value("scope", nlohmann::json());
    // A real AS may grant client credentials only for a registered scope: the registration's,
    // unless the step names one (a refresh keeps the scope it had, RFC 6749 6).
    if (r["scope"].is_null() && c.scope && grant == "client_credentials") r["scope"] = *c.scope;
    r["params"] = p.value("params", nlohmann::json::object());
    r["omit_params"] = p.value("omit_params", nlohmann::json::array());
    r["dpop"] = proof_of(p, c.dpop_alg.value_or(""));
    if (auto s = resolve_jti_of(r["dpop"], ctx); !s) return s.err();
    r["tls"] = tls_block(ctx.ep.as_ca_file, cert, ctx);
  } else if (st.action == "authorize") {
    auto reg = registration(ctx, p["client"].get<std::string>());
    if (!reg) return reg.err();
    r["url"] = ctx.ep.authorization_endpoint;
    r["method"] = "GET";
    r["client"] = client_block(**reg, p);
    r["pkce"] = p.value("pkce", true);
    r["dpop_jkt"] = p.value("dpop_jkt", nlohmann::json());
    r["params"] = p.value("params", nlohmann::json::object());
    if (!r["params"].contains("scope") && (*reg)->scope) r["params"]["scope"] = *(*reg)->scope;
    r["tls"] = tls_block(ctx.ep.as_ca_file, nullptr, ctx);
  } else if (st.action == "resource") {
    std::string base = origin_of(ctx.ep.rs_url.empty() ? ctx.ep.rs_resource : ctx.ep.rs_url);
    std::string url = p.contains("path") ? base + p["path"].get<std::string>() : ctx.ep.rs_resource;
    if (p.contains("path"))
      if (auto mapped = ctx.ep.rs_paths.find(p["path"].get<std::string>()); mapped != ctx.ep.rs_paths.end())
        url = mapped->second;
    if (p.contains("query")) url += "?" + p["query"].get<std::string>();
    r["url"] = url;
    r["method"] = p.value("method", std::string("GET"));
    nlohmann::json cert = nullptr;
    r["access_token"] = nullptr;
    r["token_type"] = nullptr;
    if (p.contains("token_from")) {
      const nlohmann::json* obs = earlier(ctx.observations, p["token_from"]);
      std::string at = text_at(obs, "/token/access_token");
      if (at.empty()) at = text_at(obs, "/response/json/access_token");
      if (at.empty())
        return make_error("resolve.token", "step \"" + p["token_from"].get<std::string>() + "\" obtained no access token");
      r["access_token"] = at;
      std::string tt = text_at(obs, "/token/token_type");
      if (tt.empty()) tt = text_at(obs, "/response/json/token_type");
      r["token_type"] = tt.empty() ? nlohmann::json() : nlohmann::json(tt);
      // Default certificate: the one the token was obtained with (RFC 8705 3: the same one).
      if (const nlohmann::json* sent = earlier(ctx.resolved, p["token_from"]))
        if (const nlohmann::json* name = resolve_pointer(*sent, "/tls/cert_name")) cert = *name;
    } else if (p.contains("token")) {
      r["access_token"] = p["token"];
    }
    if (p.contains("cert")) cert = p["cert"];
    r["scheme"] = p.value("scheme", std::string("auto"));
    // The same key as at the token endpoint keeps the alg it was created with there.
    std::string alg;
    if (p.contains("token_from"))
      if (const nlohmann::json* sent = earlier(ctx.resolved, p["token_from"]))
        if (const nlohmann::json* a = resolve_pointer(*sent, "/dpop/alg"); a && a->is_string()) alg = a->get<std::string>();
    r["dpop"] = proof_of(p, alg);
    if (auto s = resolve_jti_of(r["dpop"], ctx); !s) return s.err();
    r["headers"] = p.value("headers", nlohmann::json::array());
    r["authorization_headers"] = p.value("authorization_headers", 1);
    r["token_in"] = p.value("token_in", std::string("header"));
    r["forwarded_cert"] = nullptr;
    if (p.contains("forwarded_cert")) {
      const nlohmann::json& f = p["forwarded_cert"];
      std::string via = f.value("via", std::string("proxy"));
      nlohmann::json fc = {{"format", f["format"]}, {"via", via}, {"value", f.value("value", nlohmann::json())}};
      nlohmann::json fwd_tls = tls_block("", f.value("cert", nlohmann::json()), ctx);
      fc["cert_name"] = fwd_tls["cert_name"];
      fc["cert_file"] = fwd_tls["cert_file"];
      r["forwarded_cert"] = fc;
      // The RS believes the header only from the proxy (README environment `trusted_proxy`).
      if (via == "proxy" && !p.contains("cert")) cert = "proxy";
    }
    r["tls"] = tls_block(ctx.ep.rs_ca_file, cert, ctx);
  } else if (st.action == "introspect") {
    auto reg = registration(ctx, p.value("client", std::string("rs")));
    if (!reg) return reg.err();
    const nlohmann::json* obs = earlier(ctx.observations, p["token_from"]);
    std::string at = text_at(obs, "/token/access_token");
    if (at.empty())
      return make_error("resolve.token", "step \"" + p["token_from"].get<std::string>() + "\" obtained no access token");
    r["url"] = ctx.ep.introspection_endpoint;
    r["method"] = "POST";
    r["client"] = client_block(**reg, p);
    r["token"] = at;
    r["tls"] = tls_block(ctx.ep.as_ca_file, nullptr, ctx);
  } else if (st.action == "fetch") {
    std::string ca;
    if (p.contains("url_from")) {
      const nlohmann::json* obs = earlier(ctx.observations, p["url_from"]["step"]);
      const nlohmann::json* v = obs ? resolve_pointer(*obs, p["url_from"]["pointer"].get<std::string>()) : nullptr;
      if (!v || !v->is_string())
        return make_error("resolve.url", "step \"" + p["url_from"]["step"].get<std::string>() + "\" has no URL at " +
                                             p["url_from"]["pointer"].get<std::string>());
      r["url"] = *v;
      ca = ctx.ep.as_ca_file;
    } else if (p.value("document", std::string()) == "metadata") {
      // The URL discovery found, never one rebuilt here: an issuer with a path has its metadata
      // at /.well-known/oauth-authorization-server/<path> (RFC 8414 3.1).
      if (ctx.ep.metadata_url.empty()) return make_error("resolve.url", "the AS's metadata URL is not known");
      r["url"] = ctx.ep.metadata_url;
      ca = ctx.ep.as_ca_file;
    } else {
      bool as = p.value("server", std::string("as")) == "as";
      std::string base = origin_of(as ? ctx.ep.issuer : (ctx.ep.rs_url.empty() ? ctx.ep.rs_resource : ctx.ep.rs_url));
      r["url"] = base + p.value("path", std::string("/"));
      ca = as ? ctx.ep.as_ca_file : ctx.ep.rs_ca_file;
    }
    r["method"] = "GET";
    r["tls"] = tls_block(ca, p.value("cert", nlohmann::json()), ctx);
  } else if (st.action == "replay") {
    r["of"] = p["of"];
    int copies = p.value("concurrent", 1);
    if (ctx.tgt && ctx.tgt->max_concurrency > 0) copies = std::min(copies, ctx.tgt->max_concurrency);
    r["concurrent"] = copies;
    r["method"] = "GET";
    if (const nlohmann::json* sent = earlier(ctx.resolved, p["of"])) {
      r["method"] = sent->value("method", std::string("GET"));
      r["url"] = sent->value("url", std::string());
      r["tls"] = sent->value("tls", nlohmann::json());
    }
  } else {
    return make_error("resolve.action", "the action \"" + st.action + "\" is not sent to tether-client");
  }
  // A second instance of the RS behind the same public URL: the request stays the same, its
  // proof's htu included; only the connection goes elsewhere (question Q6).
  if (p.value("instance", 1) == 2) {
    if (ctx.ep.rs_second_instance.empty())
      return make_error("resolve.instance", "the step goes to a second RS instance, and there is none");
    r["to"] = ctx.ep.rs_second_instance;
  }
  return r;
}

}  // namespace tether::runner
