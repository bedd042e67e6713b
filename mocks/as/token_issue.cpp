#include "mocks/as/token_issue.hpp"

#include "core/jose/base64url.hpp"
#include "core/token/access_token.hpp"

namespace tether::as {

std::string x5t_as_written(const tls::certificate& cert, const as_config& config, exchange& x) {
  std::string correct = cert.x5t_s256();
  if (!config.pad_x5t && !config.x5t_standard_base64) return correct;
  auto digest = jose::base64url_decode(correct);
  if (!digest) return correct;  // cannot happen: x5t_s256 is base64url of 32 bytes
  std::string out;
  if (config.x5t_standard_base64) {
    // RFC 4648 4 with its padding: 32 bytes always end in one '=', so the value always differs.
    out = jose::base64_encode(*digest);
    x.used_knob("x5t_standard_base64");
  } else {
    out = correct;
  }
  if (config.pad_x5t && out.size() % 4 != 0) {  // standard base64 is padded already
    out.append(4 - out.size() % 4, '=');
    x.used_knob("pad_x5t");
  }
  return out;
}

result<issued_token> issue_access_token(const token_spec& spec, as_state& state, const as_config& cfg, exchange& x) {
  const int64_t now = state.now();
  issued_token out;

  nlohmann::json cnf = nlohmann::json::object();
  if (spec.bound.x5t) cnf["x5t#S256"] = *spec.bound.x5t;
  if (spec.bound.jkt) cnf["jkt"] = *spec.bound.jkt;

  nlohmann::json claims = {
      {"iss", state.urls.issuer},
      {"sub", spec.subject},
      {"client_id", spec.client_id},
      {"iat", now},
      {"exp", now + cfg.access_token_lifetime_s},
      {"jti", random_token(16)},
  };
  if (spec.resources.empty()) claims["aud"] = cfg.audience;
  else if (spec.resources.size() == 1) claims["aud"] = spec.resources.front();
  else claims["aud"] = spec.resources;
  if (!spec.scope.empty()) claims["scope"] = spec.scope;
  if (!cnf.empty()) {
    if (cfg.omit_cnf) x.used_knob("omit_cnf");
    else claims["cnf"] = cnf;
  }

  // RFC 9449 5: a DPoP-bound token MUST be answered with token_type DPoP; certificate-bound
  // tokens stay Bearer (RFC 8705 3).
  const std::string true_type = spec.bound.jkt ? "DPoP" : "Bearer";
  out.token_type = true_type;
  if (spec.bound.jkt && cfg.token_type_bearer_for_dpop) {
    out.token_type = "Bearer";
    x.used_knob("token_type_bearer_for_dpop");
  }

  if (cfg.token_format == "opaque") {
    out.access_token = random_token();
  } else {
    const bool plain_typ = !cfg.plain_jwt_typ_client.empty() && cfg.plain_jwt_typ_client == spec.client_id;
    auto jwt = token::issue_jwt(claims, state.signing_key, cfg.signing_alg, plain_typ ? "JWT" : "at+jwt");
    if (plain_typ) x.used_knob("plain_jwt_typ_client");
    if (!jwt) return make_error(jwt.err().code, "signing the access token failed: " + jwt.err().message);
    out.access_token = std::move(*jwt);
  }
  state.grants.add_access(out.access_token, access_grant{claims, true_type}, now);

  out.cnf = claims.contains("cnf") ? claims["cnf"] : nlohmann::json();
  out.claims = std::move(claims);
  x.event["token_type"] = out.token_type;
  x.event["token_format"] = cfg.token_format;
  if (!out.cnf.is_null()) x.event["cnf"] = out.cnf;
  return out;
}

}  // namespace tether::as
