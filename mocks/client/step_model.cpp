// Strict reading of resolved steps. One reader knows every member of every action (the
// runner writes null for members an action does not use), so that a misspelt member is an
// error wherever it appears; the checks per action come after.

#include "mocks/client/step_model.hpp"

#include <algorithm>
#include <array>

#include "mocks/client/json_fields.hpp"

namespace tether::client {
namespace {

template <std::size_t N>
bool one_of(const std::string& value, const std::array<const char*, N>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

constexpr std::array<const char*, 6> actions{"token", "authorize", "resource", "introspect", "fetch", "replay"};
constexpr std::array<const char*, 5> auth_methods{"tls_client_auth", "self_signed_tls_client_auth",
                                                  "client_secret_basic", "client_secret_post", "none"};
constexpr std::array<const char*, 3> grants{"client_credentials", "authorization_code", "refresh_token"};
constexpr std::array<const char*, 4> token_places{"header", "body", "query", "header_and_body"};

result<client_identity> parse_client(const nlohmann::json& j, const std::string& where) {
  client_identity c;
  field_reader r(j, where);
  r.text("client_id", c.client_id);
  r.text("auth_method", c.auth_method);
  r.text("secret", c.secret);
  if (auto s = r.finish(); !s) return s.err();
  if (!one_of(c.auth_method, auth_methods))
    return make_error("step.invalid", where + ".auth_method \"" + c.auth_method +
                                          "\" is not one of tls_client_auth, self_signed_tls_client_auth, "
                                          "client_secret_basic, client_secret_post, none");
  return c;
}

result<forwarded_cert_options> parse_forwarded(const nlohmann::json& j, const std::string& where) {
  forwarded_cert_options f;
  field_reader r(j, where);
  std::string format;
  r.text("format", format);
  r.text("via", f.via);
  r.text("value", f.value);
  r.text("cert_name", f.cert_name);
  r.text("cert_file", f.cert_file);
  r.ignore("cert");  // the scenario's name for cert_name, when a caller passes it through
  if (auto s = r.finish(); !s) return s.err();
  auto parsed = tls::forwarded_format_from_string(format);
  if (!parsed) return make_error("step.invalid", where + ".format: " + parsed.err().message);
  f.format = *parsed;
  if (f.via != "proxy" && f.via != "direct")
    return make_error("step.invalid", where + ".via must be proxy or direct, not \"" + f.via + "\"");
  if (!f.value && f.cert_file.empty())
    return make_error("step.invalid", where + " needs a cert_file or a literal value");
  return f;
}

status parse_headers(const nlohmann::json* j, string_pairs& out) {
  if (!j) return {};
  if (!j->is_array()) return make_error("step.invalid", "step.headers must be an array of [name, value] pairs");
  for (const auto& pair : *j) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
      return make_error("step.invalid", "step.headers must be an array of [name, value] pairs of strings");
    out.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  return {};
}

status check_action(const resolved_step& s) {
  auto bad = [](const std::string& m) { return make_error("step.invalid", m); };
  if (s.name.empty()) return bad("step.name is missing");
  if (!one_of(s.action, actions))
    return bad("step.action \"" + s.action + "\" is not one of token, authorize, resource, introspect, fetch, replay");
  if (s.action == "replay") {
    if (s.of.empty()) return bad("step.of is missing: the replay names no earlier step");
    return {};
  }
  if (s.url.empty()) return bad("step.url is missing");
  if (s.action == "token") {
    if (!one_of(s.grant, grants))
      return bad("step.grant \"" + s.grant + "\" is not one of client_credentials, authorization_code, refresh_token");
    if (s.client.client_id.empty() && s.client.auth_method != "none")
      return bad("step.client.client_id is missing");
  }
  if ((s.action == "authorize" || s.action == "introspect") && s.client.client_id.empty())
    return bad("step.client.client_id is missing");
  if (s.action == "resource" && !one_of(s.token_in, token_places))
    return bad("step.token_in \"" + s.token_in + "\" is not one of header, body, query, header_and_body");
  if (s.action == "resource" && s.scheme.empty()) return bad("step.scheme is empty");
  if (!s.dpop_jkt.is_null() && !s.dpop_jkt.is_string() &&
      !(s.dpop_jkt.is_object() && s.dpop_jkt.size() == 1 && s.dpop_jkt.contains("key") && s.dpop_jkt["key"].is_string()))
    return bad("step.dpop_jkt must be a thumbprint string or {\"key\": name}");
  return {};
}

}  // namespace

result<tls_settings> parse_tls(const nlohmann::json& j, const std::string& where) {
  tls_settings t;
  field_reader r(j, where);
  r.text("ca_file", t.ca_file);
  r.text("cert_file", t.cert_file);
  r.text("key_file", t.key_file);
  r.text("cert_name", t.cert_name);
  if (auto s = r.finish(); !s) return s.err();
  if (!t.cert_file.empty() && t.key_file.empty()) return make_error("step.invalid", where + ".key_file is missing for cert_file");
  return t;
}

result<proof_options> parse_proof_options(const nlohmann::json& j, const std::string& where) {
  proof_options p;
  field_reader r(j, where);
  r.text("key", p.key);
  r.text("alg", p.alg);
  r.text("nonce", p.nonce);
  r.boolean("retry_on_nonce", p.retry_on_nonce);
  r.integer("headers", p.headers, 0, 8);
  r.text("header_name", p.header_name);
  const nlohmann::json* defects = r.raw("defects");
  if (auto s = r.finish(); !s) return s.err();
  if (p.key.empty()) return make_error("step.invalid", where + ".key is empty");
  if (p.header_name.empty()) return make_error("step.invalid", where + ".header_name is empty");
  if (p.nonce.empty()) return make_error("step.invalid", where + ".nonce is empty (auto, none or a literal)");
  if (defects) {
    auto d = dpop::proof_defects::from_json(*defects);
    if (!d) return make_error("step.invalid", where + ".defects: " + d.err().message);
    p.defects = std::move(*d);
  }
  return p;
}

result<resolved_step> parse_step(const nlohmann::json& j) {
  resolved_step s;
  field_reader r(j, "step");
  r.text("name", s.name);
  r.text("action", s.action);
  r.text("trace", s.trace);
  r.integer("timeout_ms", s.timeout_ms, 1, 600000);
  r.text("url", s.url);
  std::string endpoint_url;
  r.text("endpoint_url", endpoint_url);
  r.text("method", s.method);
  r.text("grant", s.grant);
  r.text("code", s.code);
  r.text("code_verifier", s.code_verifier);
  r.text("redirect_uri", s.redirect_uri);
  r.text("refresh_token", s.refresh_token);
  r.text("scope", s.scope);
  r.string_map("params", s.params);
  r.string_list("omit_params", s.omit_params);
  r.boolean("pkce", s.pkce);
  if (const auto* jkt = r.raw("dpop_jkt")) s.dpop_jkt = *jkt;
  r.text("access_token", s.access_token);
  r.text("token_type", s.token_type);
  r.text("scheme", s.scheme);
  r.integer("authorization_headers", s.authorization_headers, 0, 8);
  r.text("token_in", s.token_in);
  r.text("token", s.token);
  r.text("of", s.of);
  r.integer("concurrent", s.concurrent, 1, 1000);
  r.text("to", s.to);
  const nlohmann::json* tls = r.raw("tls");
  const nlohmann::json* client = r.raw("client");
  const nlohmann::json* proof = r.raw("dpop");
  const nlohmann::json* headers = r.raw("headers");
  const nlohmann::json* forwarded = r.raw("forwarded_cert");
  if (auto st = r.finish(); !st) return st.err();

  if (s.url.empty()) s.url = endpoint_url;
  if (s.method.empty()) return make_error("step.invalid", "step.method is empty");
  if (tls) {
    auto t = parse_tls(*tls, "step.tls");
    if (!t) return t.err();
    s.tls = std::move(*t);
  }
  if (client) {
    auto c = parse_client(*client, "step.client");
    if (!c) return c.err();
    s.client = std::move(*c);
  }
  if (proof) {
    auto p = parse_proof_options(*proof, "step.dpop");
    if (!p) return p.err();
    s.dpop = std::move(*p);
  }
  if (auto st = parse_headers(headers, s.headers); !st) return st.err();
  if (forwarded) {
    auto f = parse_forwarded(*forwarded, "step.forwarded_cert");
    if (!f) return f.err();
    s.forwarded_cert = std::move(*f);
  }
  if (auto st = check_action(s); !st) return st.err();
  return s;
}

}  // namespace tether::client
