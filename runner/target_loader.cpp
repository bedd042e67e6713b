#include "runner/target_loader.hpp"

#include <algorithm>
#include <filesystem>

#include "core/http/uri_syntax.hpp"
#include "runner/launch_placeholders.hpp"

namespace tether::runner {
namespace fs = std::filesystem;
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string relative_to(const std::string& file, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::absolute(fs::path(file)).parent_path() / p).lexically_normal().string();
}

// "" when `url` is an https URL the runner can connect to once its placeholders are filled in,
// else why not. A {port} or {port:NAME} placeholder reads as a port here, since the runner puts
// one in before connecting (runner/launch_placeholders.hpp); everything else is parsed strictly
// (core/http/uri_syntax.hpp), so "https://127.0.0.1:8443x/y" is refused instead of read as
// port 8443.
std::string https_url_problem(const std::string& url) {
  placeholder_values as_ports;
  std::map<std::string, int> names;
  if (collect_ports(url, names)) {
    for (const auto& [name, port] : names) as_ports.ports[name] = 1;
  }
  status s = http::check_https_url(substitute(url, as_ports));
  return s ? "" : s.err().message;
}

// Checks an optional URL member; `what` says what it points at.
std::optional<std::string> https_url(object_reader& r, std::string_view key, const std::string& what,
                                     bool required = false) {
  auto url = r.string(key, required);
  if (!url) return std::nullopt;
  if (std::string why = https_url_problem(*url); !why.empty()) {
    r.problem(key, "expected an https:// URL of " + what + ": " + why);
    return std::nullopt;
  }
  return url;
}

// require_nonce of an external server: a boolean (true: it demands nonces; false: it does not)
// or one of never, provides (hands out nonces, does not demand them), always (targets/README.md).
void read_nonce_declaration(object_reader& r, bool external) {
  if (!external || !r.has("require_nonce") || r.get("require_nonce")->is_boolean()) {
    r.boolean("require_nonce");
    return;
  }
  r.choice("require_nonce", {"never", "provides", "always"});
}

void read_declared_settings(object_reader& r, role which, bool external) {
  // External roles declare how they are set up, so that scenarios needing another set-up are
  // skipped instead of failing (targets/README.md).
  if (which == role::as) {
    read_nonce_declaration(r, external);
    r.choice("mtls_client_cert_mode", {"optional", "required"});
    r.choice("token_format", {"jwt", "opaque"});
  } else if (which == role::rs) {
    r.choice("client_cert_mode", {"none", "optional", "required"});
    r.choice("token_format", {"jwt", "introspection"});
    read_nonce_declaration(r, external);
    r.choice("trusted_proxy", {"rfc9440", "xfcc", "escaped_pem", "base64_der"});
  }
}

role_settings read_role(const nlohmann::json& v, const std::string& pointer, role which,
                        const std::string& file, const knob_catalog& knobs, problem_list& out) {
  role_settings rs;
  object_reader r(v, file, pointer, out);
  rs.builtin = r.boolean("builtin").value_or(false);
  if (rs.builtin) {
    if (const nlohmann::json* k = r.object("knobs")) {
      rs.knobs = *k;
      check_knobs(*k, which, file, r.at("knobs"), knobs, out);
    }
    if (const nlohmann::json* e = r.object("environment")) {
      object_reader er(*e, file, r.at("environment"), out);
      read_declared_settings(er, which, /*external=*/false);
      rs.environment = *e;
    }
    if (which == role::as) {
      if (const nlohmann::json* f = r.object("fixed")) {
        object_reader fr(*f, file, r.at("fixed"), out);
        nlohmann::json fixed = nlohmann::json::object();
        if (auto port = fr.integer("port", 1, 65535)) fixed["port"] = *port;
        if (auto key = fr.string("signing_key")) fixed["signing_key"] = relative_to(file, *key);
        if (auto iss = fr.string("issuer")) fixed["issuer"] = *iss;
        rs.fixed = fixed;
      }
    }
    return rs;
  }
  // External implementation.
  if (which == role::as) {
    rs.issuer = https_url(r, "issuer", "the AS (RFC 8414 issuer)", true).value_or("");
    rs.metadata_url = https_url(r, "metadata_url", "the AS's metadata document").value_or("");
  } else if (which == role::rs) {
    rs.url = https_url(r, "url", "a protected resource", true).value_or("");
    // Scenario steps name a path (`/resource`, `/scoped/write/x`); an RS that serves them
    // elsewhere maps each path to its URL. Unmapped paths go to the origin of `url`.
    if (const nlohmann::json* urls = r.object("urls")) {
      for (const auto& [path_key, u] : urls->items()) {
        std::string where = pointer_join(r.at("urls"), path_key);
        if (path_key.empty() || path_key[0] != '/') out.add(file, where, "expected a path starting with \"/\" as the key");
        else if (!u.is_string()) out.add(file, where, "expected an https:// URL, found " + describe_type(u));
        else if (std::string why = https_url_problem(u.get<std::string>()); !why.empty())
          out.add(file, where, "expected an https:// URL: " + why);
        else rs.urls[path_key] = u.get<std::string>();
      }
    }
    if (auto kinds = r.strings("token_bindings", false, true)) {
      for (std::size_t i = 0; i < kinds->size(); ++i)
        if (!contains({"none", "dpop", "mtls"}, (*kinds)[i]))
          out.add(file, pointer_join(r.at("token_bindings"), i),
                  "unknown binding \"" + (*kinds)[i] + "\" (expected none, dpop or mtls)");
      rs.token_bindings = *kinds;
    }
    rs.second_instance = https_url(r, "second_instance", "a second instance of the RS (its origin)").value_or("");
  } else {
    if (auto cmd = r.strings("command", true, true)) rs.command = *cmd;
    if (auto c = r.integer("unsupported_exit_code", 1, 255)) rs.unsupported_exit_code = static_cast<int>(*c);
    if (auto t = r.number("timeout_s", 0.1, 3600)) rs.timeout_s = *t;
  }
  if (which != role::client) {
    if (auto ca = r.string("ca_file")) rs.ca_file = relative_to(file, *ca);
    read_declared_settings(r, which, /*external=*/true);
    for (const char* key : {"require_nonce", "mtls_client_cert_mode", "token_format", "client_cert_mode",
                            "trusted_proxy"})
      if (const nlohmann::json* s = v.is_object() && v.contains(key) ? &v[key] : nullptr) rs.environment[key] = *s;
  }
  return rs;
}

client_registration read_registration(const nlohmann::json& v, const std::string& name,
                                      const std::string& pointer, const std::string& file,
                                      bool registry_format, problem_list& out) {
  client_registration c;
  c.name = name;
  object_reader r(v, file, pointer, out);
  c.client_id = r.string("client_id", true).value_or("");
  static const std::vector<std::string> methods = {
      "tls_client_auth", "self_signed_tls_client_auth", "client_secret_basic", "client_secret_post",
      "private_key_jwt", "none"};
  if (registry_format) {
    c.auth_method = r.choice("token_endpoint_auth_method", methods, true).value_or("");
    c.secret = r.string("client_secret");
    // RFC 7591, RFC 8705 and RFC 9449 registration metadata the built-in AS reads.
    for (const char* k : {"tls_client_auth_subject_dn", "tls_client_auth_san_dns", "tls_client_auth_san_uri",
                          "tls_client_auth_san_ip", "tls_client_auth_san_email", "jwks_uri", "scope",
                          "client_name"})
      r.string(k);
    for (const char* k : {"tls_client_certificate_bound_access_tokens", "dpop_bound_access_tokens"})
      r.boolean(k);
    for (const char* k : {"grant_types", "redirect_uris", "response_types", "jwks_certs"}) r.strings(k);
    r.object("jwks");
  } else {
    c.auth_method = r.choice("auth_method", methods, true).value_or("");
    c.secret = r.string("secret");
    c.scope = r.string("scope");
  }
  // RFC 7523 client assertions are not implemented by tether-client or tether-as: say so when the
  // file is read, not when a scenario first needs the client.
  if (c.auth_method == "private_key_jwt")
    r.problem(registry_format ? "token_endpoint_auth_method" : "auth_method",
              "private_key_jwt (RFC 7523) is not supported by the suite's client yet: register the suite's client "
              "with tls_client_auth, self_signed_tls_client_auth, client_secret_basic, client_secret_post or none");
  c.cert = r.string("cert");
  c.binding = r.choice("binding", {"mtls", "dpop", "none"}).value_or("none");
  // RFC 9449 4.2: asymmetric algs only; an AS may accept only some (oidc-provider: ES256, EdDSA).
  c.dpop_alg = r.choice("dpop_alg", {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384",
                                     "PS512", "EdDSA"});
  if ((c.auth_method == "client_secret_basic" || c.auth_method == "client_secret_post") && !c.secret)
    r.problem_here("client \"" + name + "\" authenticates with a secret but has none");
  return c;
}

}  // namespace

void load_clients_file(const std::string& path, std::map<std::string, client_registration>& into,
                       problem_list& out) {
  nlohmann::json doc = parse_json_file(path, out);
  if (doc.is_discarded()) return;
  object_reader r(doc, path, "", out);
  r.string("$schema");
  if (auto s = r.string("schema", true); s && *s != "tether-clients/1")
    r.problem("schema", "expected \"tether-clients/1\", found \"" + *s + "\"");
  r.string("description");
  if (const nlohmann::json* clients = r.object("clients", true))
    for (const auto& [name, reg] : clients->items())
      into[name] = read_registration(reg, name, pointer_join(r.at("clients"), name), path, true, out);
}

target read_target(const nlohmann::json& doc, const std::string& path, const knob_catalog& knobs,
                   problem_list& out) {
  target t;
  t.path = path;
  t.dir = fs::absolute(fs::path(path)).parent_path().lexically_normal().string();
  object_reader r(doc, path, "", out);
  r.string("$schema");
  if (auto s = r.string("schema", true); s && *s != "tether-target/1")
    r.problem("schema", "expected \"tether-target/1\", found \"" + *s + "\"");
  t.name = r.string("name", true).value_or("");
  t.version = r.string("version").value_or("");
  r.string("description");
  if (auto roles = r.strings("roles", true, true)) {
    for (std::size_t i = 0; i < roles->size(); ++i) {
      auto ro = role_from((*roles)[i]);
      if (!ro) out.add(path, pointer_join(r.at("roles"), i), "expected \"as\", \"rs\" or \"client\", found \"" + (*roles)[i] + "\"");
      else if (std::find(t.roles.begin(), t.roles.end(), *ro) == t.roles.end()) t.roles.push_back(*ro);
    }
  }
  for (role ro : {role::as, role::rs, role::client}) {
    if (const nlohmann::json* v = r.get(to_string(ro))) t.settings[ro] = read_role(*v, r.at(to_string(ro)), ro, path, knobs, out);
    else t.settings[ro] = role_settings{};
  }
  if (const nlohmann::json* clients = r.object("clients")) {
    for (const auto& [name, reg] : clients->items())
      t.clients[name] = read_registration(reg, name, pointer_join(r.at("clients"), name), path, false, out);
  }
  if (auto cf = r.string("clients_file")) {
    t.clients_file = relative_to(path, *cf);
    problem_list file_problems;
    std::map<std::string, client_registration> from_file;
    load_clients_file(t.clients_file, from_file, file_problems);
    if (!file_problems.empty()) out.append(file_problems);
    for (auto& [name, reg] : from_file) t.clients.emplace(name, std::move(reg));  // inline ones win
  }
  if (t.is_builtin(role::as) && t.clients_file.empty())
    r.problem_here("a target whose AS is built in needs \"clients_file\" (the built-in AS's registry, "
                   "such as builtin-clients.json)");
  for (const auto& [name, reg] : t.clients) {
    if (reg.cert && !contains(vocabulary::certificate_names(), *reg.cert) && !doc.value("certificates", nlohmann::json::object()).contains(*reg.cert))
      out.add(path, pointer_join(pointer_join("/clients", name), "cert"),
              "unknown certificate \"" + *reg.cert + "\"");
  }
  if (const nlohmann::json* certs = r.object("certificates")) {
    for (const auto& [name, files] : certs->items()) {
      object_reader cr(files, path, pointer_join(r.at("certificates"), name), out);
      certificate_files cf;
      cf.cert = relative_to(path, cr.string("cert", true).value_or(""));
      cf.key = relative_to(path, cr.string("key", true).value_or(""));
      t.certificates[name] = cf;
    }
  }
  if (auto caps = r.strings("capabilities")) {
    for (std::size_t i = 0; i < caps->size(); ++i)
      if (!contains(vocabulary::capabilities(), (*caps)[i]))
        out.add(path, pointer_join(r.at("capabilities"), i), "unknown capability \"" + (*caps)[i] + "\"");
    t.capabilities = *caps;
  }
  if (auto m = r.integer("max_concurrency", 1, 1000)) t.max_concurrency = static_cast<int>(*m);
  if (const nlohmann::json* disabled = r.object("disabled")) {
    for (const auto& [pattern, reason] : disabled->items()) {
      std::string where = pointer_join(r.at("disabled"), pattern);
      if (!reason.is_string() || reason.get<std::string>().empty())
        out.add(path, where, "a disabled pattern needs a reason (a non-empty string), shown in every report");
      else t.disabled.emplace_back(pattern, reason.get<std::string>());
    }
  }
  if (const nlohmann::json* em = r.object("error_map")) {
    for (const auto& [canonical, names] : em->items()) {
      std::string where = pointer_join(r.at("error_map"), canonical);
      if (names.is_string()) t.error_map[canonical] = {names.get<std::string>()};
      else if (names.is_array() && !names.empty() &&
               std::all_of(names.begin(), names.end(), [](const auto& n) { return n.is_string(); }))
        t.error_map[canonical] = names.get<std::vector<std::string>>();
      else out.add(path, where, "expected the implementation's error name or a non-empty array of them");
    }
  }
  if (const nlohmann::json* l = r.object("launch")) {
    object_reader lr(*l, path, r.at("launch"), out);
    launch_spec ls;
    if (auto cmd = lr.strings("command", true, true)) ls.command = *cmd;
    ls.ready_url = https_url(lr, "ready_url", "the launched implementation").value_or("");
    if (const nlohmann::json* env = lr.object("env"))
      for (const auto& [k, v] : env->items()) {
        if (v.is_string()) ls.env[k] = v.get<std::string>();
        else out.add(path, pointer_join(lr.at("env"), k), "expected a string, found " + describe_type(v));
      }
    if (auto ts = lr.number("timeout_s", 0.1, 3600)) ls.timeout_s = *ts;
    ls.cwd = relative_to(path, lr.string("cwd").value_or("."));
    t.launch = ls;
  }
  if (auto e = r.string("expectations")) t.expectations_file = relative_to(path, *e);
  return t;
}

target load_target(const std::string& path, const knob_catalog& knobs, problem_list& out) {
  nlohmann::json doc = parse_json_file(path, out);
  if (doc.is_discarded()) {
    target t;
    t.path = path;
    return t;
  }
  return read_target(doc, path, knobs, out);
}

bool target::under_test(role r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }

bool target::is_builtin(role r) const {
  auto it = settings.find(r);
  return it == settings.end() || it->second.builtin;
}

bool target::has_capability(const std::string& cap) const {
  if (!capabilities) return true;
  return std::find(capabilities->begin(), capabilities->end(), cap) != capabilities->end();
}

std::string target::roles_text() const {
  std::string out;
  for (role r : roles) out += (out.empty() ? "" : ",") + std::string(to_string(r));
  return out;
}

}  // namespace tether::runner
