#include "mocks/as/client_registry.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/jose/base64url.hpp"

namespace tether::as {
namespace {

using nlohmann::json;

const char* const auth_methods[] = {"tls_client_auth", "self_signed_tls_client_auth",
                                    "client_secret_basic", "client_secret_post", "none"};

const std::pair<const char*, subject_kind> subject_members[] = {
    {"tls_client_auth_subject_dn", subject_kind::dn},
    {"tls_client_auth_san_dns", subject_kind::san_dns},
    {"tls_client_auth_san_uri", subject_kind::san_uri},
    {"tls_client_auth_san_ip", subject_kind::san_ip},
    {"tls_client_auth_san_email", subject_kind::san_email},
};

// RFC 6901 reference token: "~" -> "~0", "/" -> "~1".
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

struct reader {
  const json& j;
  std::string where;  // "file: /clients/name", the file and the JSON pointer of the client

  error fail(const std::string& member, const std::string& what) const {
    return make_error("clients.invalid", where + "/" + pointer_token(member) + ": \"" + member + "\" " + what);
  }
  result<std::optional<std::string>> text(const char* member) const {
    auto it = j.find(member);
    if (it == j.end()) return std::optional<std::string>();
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      return fail(member, "must be a non-empty string");
    return std::optional<std::string>(it->get<std::string>());
  }
  result<bool> flag(const char* member) const {
    auto it = j.find(member);
    if (it == j.end()) return false;
    if (!it->is_boolean()) return fail(member, "must be true or false");
    return it->get<bool>();
  }
  result<std::optional<std::vector<std::string>>> list(const char* member) const {
    auto it = j.find(member);
    if (it == j.end()) return std::optional<std::vector<std::string>>();
    if (!it->is_array()) return fail(member, "must be an array of strings");
    std::vector<std::string> out;
    for (const auto& v : *it) {
      if (!v.is_string()) return fail(member, "must be an array of strings");
      out.push_back(v.get<std::string>());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }
};

// RFC 8705 2.2: the client's certificates are the x5c members of its registered JWK Set.
status read_inline_jwks(const reader& r, client& c) {
  auto it = r.j.find("jwks");
  if (it == r.j.end()) return {};
  if (!it->is_object() || !it->contains("keys") || !(*it)["keys"].is_array())
    return r.fail("jwks", "must be a JWK Set object with a \"keys\" array");
  for (const auto& key : (*it)["keys"]) {
    if (!key.is_object() || !key.contains("x5c")) continue;
    const auto& x5c = key["x5c"];
    if (!x5c.is_array() || x5c.empty() || !x5c[0].is_string())
      return r.fail("jwks", "has an x5c that is not a non-empty array of strings");
    auto der = jose::base64_decode(x5c[0].get<std::string>());
    if (!der) return r.fail("jwks", "has an x5c[0] that is not base64: " + der.err().message);
    auto cert = tls::certificate::from_der(*der);
    if (!cert) return r.fail("jwks", "has an x5c[0] that is not a certificate: " + cert.err().message);
    c.registered_certs.push_back(std::move(*cert));
  }
  return {};
}

status read_cert_names(const reader& r, client& c, const std::string& certs_dir) {
  auto names = r.list("jwks_certs");
  if (!names) return names.err();
  if (!*names) return {};
  for (const auto& name : **names) {
    if (name.find('/') != std::string::npos || name.empty() || name[0] == '.')
      return r.fail("jwks_certs", "names a certificate \"" + name + "\" that is not a plain name");
    auto cert = tls::certificate::load_file(certs_dir + "/" + name + ".crt");
    if (!cert) return r.fail("jwks_certs", "names \"" + name + "\": " + cert.err().message);
    c.registered_certs.push_back(std::move(*cert));
  }
  return {};
}

status read_subject(const reader& r, client& c) {
  for (const auto& [member, kind] : subject_members) {
    auto v = r.text(member);
    if (!v) return v.err();
    if (!*v) continue;
    // RFC 8705 2.1.2: exactly one subject value per client.
    if (c.subject != subject_kind::none)
      return r.fail(member, std::string("is a second subject value besides ") + to_string(c.subject) +
                                "; RFC 8705 2.1.2 allows exactly one");
    c.subject = kind;
    c.subject_value = **v;
    if (kind == subject_kind::san_ip) {
      auto ip = tls::ip_to_binary(**v);
      if (!ip) return r.fail(member, "is not an IP address: " + ip.err().message);
      c.subject_ip = *ip;
    }
  }
  if (c.auth_method == "tls_client_auth" && c.subject == subject_kind::none)
    return r.fail("token_endpoint_auth_method",
                  "is tls_client_auth but no tls_client_auth_subject_dn or _san_* member is given");
  if (c.auth_method != "tls_client_auth" && c.subject != subject_kind::none)
    return r.fail(std::string("tls_client_auth_") + (c.subject == subject_kind::dn ? "subject_dn" : "san_*"),
                  "is only meaningful with token_endpoint_auth_method tls_client_auth");
  return {};
}

result<client> read_client(const std::string& name, const json& j, const std::string& certs_dir,
                           const std::string& where) {
  const std::string at = where + ": /clients/" + pointer_token(name);
  if (!j.is_object()) return make_error("clients.invalid", at + ": client \"" + name + "\" must be an object");
  reader r{j, at};
  client c;
  c.name = name;
  auto id = r.text("client_id");
  auto method = r.text("token_endpoint_auth_method");
  auto secret = r.text("client_secret");
  if (!id) return id.err();
  if (!method) return method.err();
  if (!secret) return secret.err();
  c.client_id = id->value_or(name);
  c.auth_method = method->value_or("client_secret_basic");  // RFC 7591 2 default
  c.secret = secret->value_or("");
  if (std::find(std::begin(auth_methods), std::end(auth_methods), c.auth_method) == std::end(auth_methods))
    return r.fail("token_endpoint_auth_method", "is \"" + c.auth_method + "\", which the mock AS does not support");
  bool secret_method = c.auth_method == "client_secret_basic" || c.auth_method == "client_secret_post";
  if (secret_method && c.secret.empty()) return r.fail("client_secret", "is required with " + c.auth_method);
  if (!secret_method && !c.secret.empty()) return r.fail("client_secret", "is not used with " + c.auth_method);
  if (j.contains("jwks_uri"))
    return r.fail("jwks_uri", "is not supported by the mock AS; register certificates with jwks or jwks_certs");

  if (auto s = read_subject(r, c); !s) return s.err();
  if (auto s = read_inline_jwks(r, c); !s) return s.err();
  if (auto s = read_cert_names(r, c, certs_dir); !s) return s.err();
  if (c.auth_method == "self_signed_tls_client_auth" && c.registered_certs.empty())
    return r.fail("jwks_certs", "or \"jwks\" must register at least one certificate for self_signed_tls_client_auth");

  auto cert_bound = r.flag("tls_client_certificate_bound_access_tokens");
  auto dpop_bound = r.flag("dpop_bound_access_tokens");
  auto grants = r.list("grant_types");
  auto redirects = r.list("redirect_uris");
  if (!cert_bound) return cert_bound.err();
  if (!dpop_bound) return dpop_bound.err();
  if (!grants) return grants.err();
  if (!redirects) return redirects.err();
  c.certificate_bound = *cert_bound;
  c.dpop_bound = *dpop_bound;
  c.grant_types = *grants;
  c.redirect_uris = redirects->value_or(std::vector<std::string>{});
  for (const char* member : {"cert", "binding"}) {
    if (auto v = r.text(member); !v) return v.err();
  }
  return c;
}

}  // namespace

const char* to_string(subject_kind k) {
  switch (k) {
    case subject_kind::none: return "none";
    case subject_kind::dn: return "tls_client_auth_subject_dn";
    case subject_kind::san_dns: return "tls_client_auth_san_dns";
    case subject_kind::san_uri: return "tls_client_auth_san_uri";
    case subject_kind::san_ip: return "tls_client_auth_san_ip";
    case subject_kind::san_email: return "tls_client_auth_san_email";
  }
  return "none";
}

bool client::allows_grant(const std::string& grant) const {
  if (!grant_types) return true;
  return std::find(grant_types->begin(), grant_types->end(), grant) != grant_types->end();
}

bool client::gets_refresh_tokens() const {
  return grant_types && std::find(grant_types->begin(), grant_types->end(), "refresh_token") != grant_types->end();
}

result<client_registry> client_registry::parse(const json& file, const std::string& certs_dir,
                                               const std::string& where) {
  if (!file.is_object() || !file.contains("clients") || !file["clients"].is_object())
    return make_error("clients.invalid", where + ": /: expected an object with a \"clients\" object");
  if (auto it = file.find("schema"); it != file.end() && *it != "tether-clients/1")
    return make_error("clients.invalid", where + ": /schema: \"schema\" must be \"tether-clients/1\"");
  client_registry out;
  for (const auto& [name, j] : file["clients"].items()) {
    auto c = read_client(name, j, certs_dir, where);
    if (!c) return c.err();
    if (out.by_id_.count(c->client_id))
      return make_error("clients.invalid", where + ": /clients/" + pointer_token(name) + "/client_id: client_id \"" +
                                               c->client_id + "\" is registered twice");
    out.by_id_.emplace(c->client_id, std::move(*c));
  }
  return out;
}

result<client_registry> client_registry::load(const std::string& path, const std::string& certs_dir) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("clients.open", "cannot read client registry " + path);
  std::stringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error("clients.syntax", path + ": not valid JSON");
  return parse(j, certs_dir, path);
}

const client* client_registry::find(const std::string& client_id) const {
  auto it = by_id_.find(client_id);
  return it == by_id_.end() ? nullptr : &it->second;
}

}  // namespace tether::as
