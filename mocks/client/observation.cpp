#include "mocks/client/observation.hpp"

#include "core/http/www_authenticate.hpp"
#include "core/jose/jws.hpp"
#include "core/tls/certificate.hpp"

namespace tether::client {
namespace {

using nlohmann::json;

// The body as received, cut at max_observed_body; parsing never throws.
json parse_body(const std::string& body) {
  if (body.empty()) return nullptr;
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? json(nullptr) : j;
}

}  // namespace

json headers_json(const http::header_list& headers) {
  json out = json::array();
  for (const auto& f : headers.fields()) out.push_back(json::array({f.name, f.value}));
  return out;
}

json cert_json(const tls_settings& tls) {
  if (tls.cert_file.empty()) return nullptr;
  json out = {{"name", tls.cert_name.empty() ? json(nullptr) : json(tls.cert_name)}};
  auto cert = tls::certificate::load_file(tls.cert_file);
  if (!cert) {
    out["file"] = tls.cert_file;
    out["error"] = cert.err().message;
    return out;
  }
  out["x5t#S256"] = cert->x5t_s256();
  out["subject"] = cert->subject_dn();
  return out;
}

json request_json(const std::string& url, const http::request& req) {
  return {{"method", req.method}, {"url", url}, {"headers", headers_json(req.headers)}, {"body", req.body}};
}

json challenges_json(const http::header_list& headers, std::string& error) {
  json out = json::array();
  auto values = headers.all("WWW-Authenticate");
  if (values.empty()) return out;
  auto parsed = http::parse_www_authenticate(values);
  if (!parsed) {
    error = parsed.err().message;
    return out;
  }
  for (const auto& c : *parsed) {
    json params = json::object();
    // RFC 9110 11.2: a repeated auth-param is an error of the server; the first one is kept
    // here and the raw header stays in "headers" for whoever judges it.
    for (const auto& [name, value] : c.params)
      if (!params.contains(name)) params[name] = value;
    json one = {{"scheme", c.scheme}, {"params", params}};
    if (c.token68) one["token68"] = *c.token68;
    out.push_back(std::move(one));
  }
  return out;
}

json response_json(const http::response& res) {
  json out = {{"status", res.status}, {"headers", headers_json(res.headers)}};
  if (res.body.size() > max_observed_body) {
    out["body"] = res.body.substr(0, max_observed_body);
    out["body_truncated"] = true;
  } else {
    out["body"] = res.body;
  }
  out["json"] = parse_body(res.body);
  std::string challenge_error;
  out["challenges"] = challenges_json(res.headers, challenge_error);
  if (!challenge_error.empty()) out["challenges_error"] = challenge_error;
  auto nonces = res.headers.all("DPoP-Nonce");
  out["dpop_nonce"] = nonces.empty() ? json(nullptr) : json(nonces.front());
  // RFC 9449 8: a server MUST NOT send more than one; the count is observable.
  out["dpop_nonces"] = nonces;
  return out;
}

json tls_json(const http::exchange_result& r) {
  return {{"ok", r.ok()},
          {"version", r.tls_version},
          {"stage", r.failure_stage},
          {"error", r.failure},
          {"alert", r.tls_alert},
          {"kind", r.failure_kind},
          {"handshake_ms", r.handshake_ms}};
}

json decode_access_token(const std::string& token) {
  json out = {{"format", "opaque"}, {"header", nullptr}, {"claims", nullptr}, {"cnf", nullptr}};
  auto jws = jose::parse_compact(token);
  if (!jws) return out;
  auto claims = jose::parse_json_object(jws->payload_bytes);
  if (!claims) return out;
  out["format"] = "jwt";
  out["header"] = jws->header;
  out["claims"] = *claims;
  if (claims->contains("cnf")) out["cnf"] = (*claims)["cnf"];
  return out;
}

json token_json(const json& body) {
  if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string()) return nullptr;
  const std::string at = body["access_token"].get<std::string>();
  json out = decode_access_token(at);
  out["access_token"] = at;
  for (const char* name : {"token_type", "expires_in", "refresh_token", "scope"})
    out[name] = body.contains(name) ? body[name] : json(nullptr);
  return out;
}

bool asks_for_nonce(const http::response& res) {
  json body = parse_body(res.body);
  if (body.is_object() && body.value("error", json()) == "use_dpop_nonce") return true;
  auto values = res.headers.all("WWW-Authenticate");
  if (values.empty()) return false;
  auto parsed = http::parse_www_authenticate(values);
  if (!parsed) return false;
  for (const auto& c : *parsed)
    if (c.param("error") == std::optional<std::string>("use_dpop_nonce")) return true;
  return false;
}

json attempt_json(const json& request, const http::exchange_result& result) {
  json out = {{"request", request}, {"tls", tls_json(result)}};
  if (result.resp) out["response"] = response_json(*result.resp);
  return out;
}

std::string dump_line(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace tether::client
