// The authorization endpoint without a user: every valid request is approved at once and
// redirected with a code (RFC 6749 4.1.2). PKCE S256 is required of public clients (RFC 7636,
// OAuth security BCP), and dpop_jkt (RFC 9449 10) is kept with the code for the token endpoint.

#include "core/jose/base64url.hpp"
#include "mocks/as/handlers.hpp"
#include "mocks/as/token_grants.hpp"

namespace tether::as {
namespace {

constexpr int64_t code_lifetime_s = 60;  // RFC 6749 4.1.2: short-lived, ten minutes at most
const char* const default_subject = "tether-user";

// Before the redirect URI is known to be the client's, errors go to the user agent, never to
// the URI (RFC 6749 4.1.2.1).
http::response direct_error(const std::string& code, const std::string& why, exchange& x) {
  x.because(why);
  return error_response(oauth_error{code, why});
}

std::string with_query(const std::string& uri, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = uri;
  out += uri.find('?') == std::string::npos ? '?' : '&';
  return out + http::format_form(fields);
}

http::response redirect(const std::string& uri, std::vector<std::pair<std::string, std::string>> fields,
                        const form_params& params, const as_state& state) {
  if (const std::string* st = params.get("state")) fields.emplace_back("state", *st);
  fields.emplace_back("iss", state.urls.issuer);  // RFC 9207
  http::response res;
  res.status = 302;
  res.headers.set("Location", with_query(uri, fields));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::response redirect_error(const std::string& uri, const std::string& code, const std::string& why,
                              const form_params& params, const as_state& state, exchange& x) {
  x.because(why);
  x.event["response_error"] = code;
  return redirect(uri, {{"error", code}, {"error_description", why}}, params, state);
}

bool is_b64url_sha256(const std::string& value) {
  auto raw = jose::base64url_decode(value);
  return raw && raw->size() == 32;
}

bool printable(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) return false;
  return true;
}

}  // namespace

http::response handle_authorize(const http::request& req, const http::connection_info&,
                                as_state& state, exchange& x) {
  if (req.method != "GET" && req.method != "POST")
    return direct_error("invalid_request", "the authorization endpoint takes GET or POST (RFC 6749 3.1)", x);
  form_params params = read_form(req.method == "GET" ? std::string(query_of(req.target)) : req.body);
  for (const auto& name : params.repeated)
    if (name == "client_id" || name == "redirect_uri")
      return direct_error("invalid_request", "parameter " + shown(name) + " is repeated (RFC 6749 3.1)", x);

  const std::string* client_id = params.get("client_id");
  if (!client_id) return direct_error("invalid_request", "the client_id parameter is missing", x);
  x.event["client_id"] = *client_id;
  const client* who = state.clients.find(*client_id);
  if (!who) return direct_error("invalid_request", "unknown client " + shown(*client_id), x);

  const std::string* redirect_uri = params.get("redirect_uri");
  std::string target;
  if (redirect_uri) {
    bool registered = false;
    for (const auto& r : who->redirect_uris) registered = registered || r == *redirect_uri;
    if (!registered) return direct_error("invalid_request", "redirect_uri " + shown(*redirect_uri) + " is not registered for this client", x);
    target = *redirect_uri;
  } else if (who->redirect_uris.size() == 1) {
    target = who->redirect_uris.front();  // RFC 6749 3.1.2.3: the single registered URI
  } else {
    return direct_error("invalid_request", "redirect_uri is missing and the client has not exactly one registered", x);
  }

  if (!params.repeated.empty())
    return redirect_error(target, "invalid_request", "parameter " + shown(params.repeated.front()) + " is repeated (RFC 6749 3.1)", params, state, x);
  const std::string* response_type = params.get("response_type");
  if (!response_type || *response_type != "code")
    return redirect_error(target, "unsupported_response_type", "only response_type=code is supported", params, state, x);
  if (!who->allows_grant("authorization_code"))
    return redirect_error(target, "unauthorized_client", "the client is not registered for the authorization_code grant", params, state, x);

  code_grant grant;
  grant.client_id = who->client_id;
  if (redirect_uri) grant.redirect_uri = *redirect_uri;
  const std::string* challenge = params.get("code_challenge");
  const std::string* method = params.get("code_challenge_method");
  if (challenge) {
    // RFC 7636 4.3: the method defaults to plain, which this AS does not accept.
    if (!method || *method != "S256")
      return redirect_error(target, "invalid_request", "code_challenge_method must be S256", params, state, x);
    if (!is_b64url_sha256(*challenge))
      return redirect_error(target, "invalid_request", "code_challenge is not a base64url SHA-256 value", params, state, x);
    grant.code_challenge = *challenge;
  } else if (who->is_public()) {
    return redirect_error(target, "invalid_request", "public clients must use PKCE with S256 (RFC 7636)", params, state, x);
  }
  if (const std::string* jkt = params.get("dpop_jkt")) {
    if (!is_b64url_sha256(*jkt))
      return redirect_error(target, "invalid_request", "dpop_jkt is not a base64url SHA-256 JWK thumbprint (RFC 9449 10)", params, state, x);
    grant.dpop_jkt = *jkt;
    x.event["dpop_jkt"] = *jkt;
  }
  if (const std::string* scope = params.get("scope")) {
    if (!valid_scope(*scope))
      return redirect_error(target, "invalid_scope", "the scope parameter is not a list of scope tokens", params, state, x);
    grant.scope = *scope;
  }
  for (const auto& r : params.resources)
    if (!valid_resource(r))
      return redirect_error(target, "invalid_target", "resource " + shown(r) + " is not an absolute URI (RFC 8707 2)", params, state, x);
  grant.resources = params.resources;
  const std::string* hint = params.get("login_hint");
  grant.subject = hint && printable(*hint) ? *hint : default_subject;
  grant.expires_at = state.now() + code_lifetime_s;

  x.event["pkce"] = !grant.code_challenge.empty();
  std::string code = state.grants.add_code(std::move(grant), state.now());
  x.because("approved without a user: redirect with a code");
  return redirect(target, {{"code", code}}, params, state);
}

}  // namespace tether::as
