// RFC 7662 token introspection for the resource server. The binding travels as a top-level cnf
// (RFC 8705 3.2, RFC 9449 6.2); the AS does not check the binding here, the RS does.

#include "mocks/as/client_auth.hpp"
#include "mocks/as/handlers.hpp"

namespace tether::as {
namespace {

http::response fail(const oauth_error& e, exchange& x) {
  x.because(e.description);
  return error_response(e);
}

}  // namespace

http::response handle_introspect(const http::request& req, const http::connection_info& conn,
                                 as_state& state, exchange& x) {
  if (req.method != "POST") {
    http::response res = fail(oauth_error{"invalid_request", "the introspection endpoint takes POST (RFC 7662 2.1)", 405}, x);
    res.headers.set("Allow", "POST");
    return res;
  }
  form_params params = read_form(req.body);
  if (!params.repeated.empty())
    return fail(oauth_error{"invalid_request", "parameter " + shown(params.repeated.front()) + " is repeated"}, x);

  // RFC 7662 2.1: the endpoint requires authorization; here, the resource server's client.
  auth_result auth = authenticate_client(req, params, conn, state, x);
  if (!auth.ok()) return fail(*auth.error, x);
  if (auth.who->client_id != state.introspection_client)
    return fail(client_error("client " + shown(auth.who->client_id) + " may not introspect tokens; only " +
                                 shown(state.introspection_client) + " may",
                             auth.used_authorization_header),
                x);
  const std::string* token = params.get("token");
  if (!token) return fail(oauth_error{"invalid_request", "the token parameter is missing (RFC 7662 2.1)"}, x);

  auto grant = state.grants.find_access(*token, state.now());
  if (!grant) {
    // RFC 7662 2.2: an unknown, expired or foreign token is simply inactive.
    x.event["introspected"] = {{"active", false}};
    x.because("the token is unknown to this AS or expired");
    return json_response(200, {{"active", false}});
  }
  nlohmann::json body = grant->claims;
  body["active"] = true;
  // RFC 9449 6.2: token_type, when present, MUST be DPoP for a DPoP-bound token.
  body["token_type"] = grant->token_type;
  if (body.contains("cnf") && state.config.introspection_omit_cnf) {
    body.erase("cnf");
    x.used_knob("introspection_omit_cnf");
  }
  nlohmann::json seen = {{"active", true}, {"token_type", grant->token_type}};
  if (body.contains("cnf")) seen["cnf"] = body["cnf"];
  x.event["introspected"] = std::move(seen);
  x.because("the token is active");
  return json_response(200, body);
}

}  // namespace tether::as
