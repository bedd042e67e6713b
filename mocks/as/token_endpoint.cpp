// The token endpoint in the order a request is judged: shape of the request, client
// authentication, the DPoP proof, the grant, the binding, and only then the code is consumed and
// tokens are minted, so that a request refused for a nonce or a proof leaves its code usable.

#include "mocks/as/client_auth.hpp"
#include "mocks/as/handlers.hpp"
#include "mocks/as/token_binding.hpp"
#include "mocks/as/token_grants.hpp"
#include "mocks/as/token_issue.hpp"
#include "mocks/as/token_proof.hpp"

namespace tether::as {
namespace {

constexpr int64_t refresh_lifetime_s = 24 * 3600;

bool is_form(const http::request& req) {
  auto type = req.headers.first("Content-Type");
  if (!type) return false;
  std::string_view t = *type;
  t = t.substr(0, t.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return http::iequals(t, "application/x-www-form-urlencoded");
}

http::response fail(const oauth_error& e, exchange& x) {
  x.because(e.description);
  return error_response(e);
}

oauth_error refresh_store_full(const as_state& state) {
  return oauth_error{"temporarily_unavailable",
                     "the AS keeps at most " + std::to_string(state.config.max_refresh_grants) +
                         " unexpired refresh tokens (knob max_refresh_grants) and has no room for another",
                     503};
}

// RFC 9449 5 and RFC 8705 4: public clients' refresh tokens carry the key they were issued for;
// confidential clients' do not (RFC 9449 5, RFC 8705 7.1: client authentication binds them).
refresh_grant refresh_for(const client& who, const grant_outcome& g, const proof_outcome& proof,
                          const binding& bound, const http::connection_info& conn, int64_t now) {
  refresh_grant r;
  r.client_id = who.client_id;
  r.scope = g.scope;
  r.subject = g.subject;
  r.resources = g.resources;
  r.expires_at = now + refresh_lifetime_s;
  if (who.is_public()) {
    r.bound_jkt = proof.jkt;
    if (bound.x5t_correct && conn.client_cert) r.bound_x5t = bound.x5t_correct;
  }
  return r;
}

}  // namespace

http::response handle_token(const http::request& req, const http::connection_info& conn,
                            as_state& state, exchange& x) {
  if (req.method != "POST") {
    http::response res = fail(oauth_error{"invalid_request", "the token endpoint takes POST (RFC 6749 3.2)", 405}, x);
    res.headers.set("Allow", "POST");
    return res;
  }
  if (!is_form(req))
    return fail(oauth_error{"invalid_request", "the body must be application/x-www-form-urlencoded (RFC 6749 3.2)"}, x);
  form_params params = read_form(req.body);
  if (const std::string* g = params.get("grant_type")) x.event["grant_type"] = *g;
  if (!params.repeated.empty())
    return fail(oauth_error{"invalid_request", "parameter " + shown(params.repeated.front()) +
                                                   " is repeated (RFC 6749 3.2)"}, x);

  auth_result auth = authenticate_client(req, params, conn, state, x);
  if (!auth.ok()) return fail(*auth.error, x);
  const client& who = *auth.who;

  const std::string* grant_type = params.get("grant_type");
  if (!grant_type) return fail(oauth_error{"invalid_request", "the grant_type parameter is missing"}, x);
  if (*grant_type != "client_credentials" && *grant_type != "authorization_code" && *grant_type != "refresh_token")
    return fail(oauth_error{"unsupported_grant_type", "grant_type " + shown(*grant_type) + " is not supported"}, x);
  if (!who.allows_grant(*grant_type))
    return fail(oauth_error{"unauthorized_client", "client " + shown(who.client_id) +
                                                       " is not registered for grant_type " + *grant_type}, x);

  proof_outcome proof = check_token_proof(req, state.urls.url_on(conn.listener, "/token"), state, x);
  if (proof.error) {
    http::response res = fail(*proof.error, x);
    if (proof.wants_nonce) add_fresh_nonce(res, state);
    return res;
  }

  grant_outcome grant = run_grant(*grant_type, params, who, proof, conn, state, x);
  if (grant.error) return fail(*grant.error, x);

  binding_decision bind = decide_binding(who, conn, proof, auth.used_authorization_header, state, x);
  if (bind.error) return fail(*bind.error, x);

  // A full refresh store refuses the whole request, before the code is spent or a token is
  // issued. Why not the alternatives: evicting the oldest grant would turn a refresh token the
  // client still holds into invalid_grant with no revocation (RFC 6749 6 and 10.4 let an AS
  // revoke, but the client would blame itself, and a scenario would get a false verdict);
  // leaving refresh_token out of the answer (RFC 6749 5.1 makes it OPTIONAL) would fail a flow
  // that needs it for a reason that is not the client's. Overload is what RFC 6749 4.1.2.1
  // names temporarily_unavailable, sent here with the HTTP status it stands for (503, RFC 9110
  // 15.6.4): the runner never judges a 5xx answer, so the step becomes an error saying why.
  const bool issues_refresh = who.gets_refresh_tokens() && *grant_type != "refresh_token";
  if (issues_refresh && !state.grants.has_room_for_refresh(state.now(), state.config.max_refresh_grants))
    return fail(refresh_store_full(state), x);

  if (grant.code && !state.grants.consume_code(*grant.code))
    return fail(oauth_error{"invalid_grant", "the authorization code was used by a concurrent request"}, x);

  token_spec spec{who.client_id, grant.subject, grant.scope, grant.resources, bind.bound};
  auto token = issue_access_token(spec, state, x);
  if (!token) return fail(oauth_error{"server_error", token.err().message, 500}, x);

  nlohmann::json body = {{"access_token", token->access_token},
                         {"token_type", token->token_type},
                         {"expires_in", state.config.access_token_lifetime_s}};
  if (!grant.scope.empty()) body["scope"] = grant.scope;
  if (issues_refresh) {
    refresh_grant r = refresh_for(who, grant, proof, bind.bound, conn, state.now());
    nlohmann::json rt_binding = nlohmann::json::object();
    if (r.bound_jkt) rt_binding["jkt"] = *r.bound_jkt;
    if (r.bound_x5t) rt_binding["x5t#S256"] = *r.bound_x5t;
    x.event["refresh_token_binding"] = rt_binding;
    // Another thread may have taken the last place since the check above.
    auto rt = state.grants.add_refresh(std::move(r), state.now(), state.config.max_refresh_grants);
    if (!rt) return fail(refresh_store_full(state), x);
    body["refresh_token"] = *rt;
  }
  http::response res = json_response(200, body);
  // RFC 9449 8.2: the next nonce rides on the success response.
  if (state.config.require_nonce && proof.present) add_fresh_nonce(res, state);
  x.because(bind.bound.any() ? "token issued, bound to " + std::string(bind.bound.x5t ? "the client certificate" : "") +
                                   (bind.bound.x5t && bind.bound.jkt ? " and " : "") +
                                   (bind.bound.jkt ? "the DPoP key" : "")
                             : "token issued, not sender-constrained");
  return res;
}

}  // namespace tether::as
