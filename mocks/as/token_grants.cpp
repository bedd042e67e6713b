#include "mocks/as/token_grants.hpp"

#include <set>
#include <sstream>

#include "core/dpop/proof_builder.hpp"

namespace tether::as {
namespace {

grant_outcome failed(oauth_error e) {
  grant_outcome out;
  out.error = std::move(e);
  return out;
}

oauth_error invalid_grant(std::string why) { return oauth_error{"invalid_grant", std::move(why)}; }
oauth_error invalid_request(std::string why) { return oauth_error{"invalid_request", std::move(why)}; }

// RFC 7636 4.1: 43 to 128 unreserved characters.
bool valid_verifier(const std::string& v) {
  if (v.size() < 43 || v.size() > 128) return false;
  for (char c : v) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~';
    if (!ok) return false;
  }
  return true;
}

std::set<std::string> scope_set(const std::string& scope) {
  std::set<std::string> out;
  std::istringstream in(scope);
  for (std::string token; in >> token;) out.insert(token);
  return out;
}

// The requested scope, checked for syntax; on refresh it may only narrow (RFC 6749 6).
std::optional<oauth_error> requested_scope(const form_params& params, const std::string* granted,
                                           std::string& out) {
  const std::string* scope = params.get("scope");
  if (!scope) {
    out = granted ? *granted : "";
    return std::nullopt;
  }
  if (!valid_scope(*scope)) return oauth_error{"invalid_scope", "the scope parameter is not a list of scope tokens (RFC 6749 3.3)"};
  if (granted) {
    auto allowed = scope_set(*granted);
    for (const auto& s : scope_set(*scope))
      if (!allowed.count(s))
        return oauth_error{"invalid_scope", "scope " + shown(s) + " was not granted originally (RFC 6749 6)"};
  }
  out = *scope;
  return std::nullopt;
}

grant_outcome from_code(const form_params& params, const client& who, const proof_outcome& proof,
                        as_state& state, exchange& x) {
  grant_outcome out;
  const std::string* code = params.get("code");
  if (!code) return failed(invalid_request("the code parameter is missing"));
  auto grant = state.grants.find_code(*code, state.now());
  if (!grant) return failed(invalid_grant("the authorization code is unknown, expired or already used"));
  if (grant->client_id != who.client_id)
    return failed(invalid_grant("the authorization code was issued to another client"));
  const std::string* redirect = params.get("redirect_uri");
  // RFC 6749 4.1.3: required, and identical, when the authorization request included it.
  if (grant->redirect_uri && (!redirect || *redirect != *grant->redirect_uri))
    return failed(invalid_grant("redirect_uri is missing or differs from the authorization request's"));
  const std::string* verifier = params.get("code_verifier");
  if (!grant->code_challenge.empty()) {
    if (!verifier) return failed(invalid_grant("code_verifier is missing (RFC 7636 4.5)"));
    if (!valid_verifier(*verifier)) return failed(invalid_request("code_verifier is not 43 to 128 unreserved characters (RFC 7636 4.1)"));
    if (dpop::access_token_hash(*verifier) != grant->code_challenge)  // RFC 7636 4.6, S256
      return failed(invalid_grant("code_verifier does not match the code_challenge (RFC 7636 4.6)"));
  } else if (verifier) {
    return failed(invalid_grant("code_verifier sent for a code issued without code_challenge"));
  }
  // RFC 9449 10: the proof key must be the one named by dpop_jkt.
  if (grant->dpop_jkt) {
    x.event["dpop_jkt"] = *grant->dpop_jkt;
    if (!proof.jkt || *proof.jkt != *grant->dpop_jkt) {
      if (state.config.skip_dpop_jkt_check) {
        x.used_knob("skip_dpop_jkt_check");
      } else {
        if (state.config.dpop_jkt_mismatch_error != as_config{}.dpop_jkt_mismatch_error)
          x.used_knob("dpop_jkt_mismatch_error");
        return failed(oauth_error{state.config.dpop_jkt_mismatch_error,
                            proof.jkt ? "the DPoP proof key is not the dpop_jkt of the authorization request (RFC 9449 10)"
                                      : "the code is bound to a DPoP key (dpop_jkt) but the request has no DPoP proof (RFC 9449 10)"});
      }
    }
  }
  if (auto e = requested_scope(params, &grant->scope, out.scope)) return failed(*e);
  out.subject = grant->subject;
  // RFC 8707 2.2: the token request may narrow the resources of the authorization request.
  out.resources = params.resources.empty() ? grant->resources : params.resources;
  out.code = *code;
  return out;
}

grant_outcome from_refresh(const form_params& params, const client& who, const proof_outcome& proof,
                           const http::connection_info& conn, as_state& state, exchange& x) {
  grant_outcome out;
  const std::string* token = params.get("refresh_token");
  if (!token) return failed(invalid_request("the refresh_token parameter is missing"));
  auto grant = state.grants.find_refresh(*token, state.now());
  if (!grant) return failed(invalid_grant("the refresh token is unknown or expired"));
  if (grant->client_id != who.client_id) return failed(invalid_grant("the refresh token was issued to another client"));

  // RFC 9449 5 and RFC 8705 4: a public client's refresh token is usable only with the key or
  // certificate it was bound to.
  std::string mismatch;
  if (grant->bound_jkt) {
    x.event["refresh_token_binding"]["jkt"] = *grant->bound_jkt;
    if (!proof.jkt) mismatch = "the refresh token is bound to a DPoP key and the request has no DPoP proof (RFC 9449 5)";
    else if (*proof.jkt != *grant->bound_jkt) mismatch = "the refresh token is bound to another DPoP key (RFC 9449 5)";
  }
  if (grant->bound_x5t && mismatch.empty()) {
    x.event["refresh_token_binding"]["x5t#S256"] = *grant->bound_x5t;
    if (!conn.client_cert) mismatch = "the refresh token is bound to a client certificate and none was presented (RFC 8705 4)";
    else if (conn.client_cert->x5t_s256() != *grant->bound_x5t) mismatch = "the refresh token is bound to another client certificate (RFC 8705 4)";
  }
  if (!mismatch.empty()) {
    if (!state.config.skip_refresh_binding_check) return failed(invalid_grant(mismatch));
    x.used_knob("skip_refresh_binding_check");
  }
  if (auto e = requested_scope(params, &grant->scope, out.scope)) return failed(*e);
  out.subject = grant->subject;
  out.resources = params.resources.empty() ? grant->resources : params.resources;
  return out;
}

}  // namespace

bool valid_scope(const std::string& scope) {
  if (scope.empty() || scope.front() == ' ' || scope.back() == ' ') return false;
  char prev = 'x';
  for (char c : scope) {
    auto u = static_cast<unsigned char>(c);
    if (c == ' ') {
      if (prev == ' ') return false;  // one SP between tokens
    } else if (!(u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E))) {
      return false;
    }
    prev = c;
  }
  return true;
}

bool valid_resource(const std::string& resource) {
  auto scheme = resource.find("://");
  if (scheme == std::string::npos || scheme == 0 || resource.find('#') != std::string::npos) return false;
  for (char c : resource) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
  }
  return true;
}

grant_outcome run_grant(const std::string& grant_type, const form_params& params, const client& who,
                        const proof_outcome& proof, const http::connection_info& conn,
                        as_state& state, exchange& x) {
  for (const auto& r : params.resources)
    if (!valid_resource(r))
      return failed(oauth_error{"invalid_target", "resource " + shown(r) + " is not an absolute URI without a fragment (RFC 8707 2)"});
  if (grant_type == "authorization_code") return from_code(params, who, proof, state, x);
  if (grant_type == "refresh_token") return from_refresh(params, who, proof, conn, state, x);
  // client_credentials (RFC 6749 4.4): the client acts on its own behalf.
  grant_outcome out;
  if (who.is_public())
    return failed(oauth_error{"unauthorized_client", "public clients cannot use the client_credentials grant (RFC 6749 4.4)"});
  if (auto e = requested_scope(params, nullptr, out.scope)) return failed(*e);
  out.subject = who.client_id;
  out.resources = params.resources;
  return out;
}

}  // namespace tether::as
