#include "mocks/as/as_config.hpp"

#include <cstdlib>
#include <filesystem>

#include "mocks/common/mock_cli.hpp"

#ifndef TETHER_SOURCE_ROOT
#define TETHER_SOURCE_ROOT "."
#endif

namespace tether::as {
namespace {

using mocks::knob_kind;
using table = mocks::knob_table<as_config>;

table make_table() {
  table t;
  // settings
  t.flag("require_nonce", &as_config::require_nonce, knob_kind::setting,
         "Demand a server nonce in every DPoP proof at the token endpoint: a proof without one, "
         "or with a stale one, gets 400 use_dpop_nonce and a DPoP-Nonce header; each success "
         "hands out the next nonce (RFC 9449 8, 8.2).");
  t.choice("mtls_client_cert_mode", &as_config::mtls_client_cert_mode, {"optional", "required"},
           knob_kind::setting,
           "How the mTLS listener asks for a client certificate: optional (requested; a client "
           "without one still connects) or required (the TLS handshake fails without one).");
  t.choice("token_format", &as_config::token_format, {"jwt", "opaque"}, knob_kind::setting,
           "Access tokens as RFC 9068 JWTs, or as opaque strings that the RS must introspect "
           "(RFC 7662; cnf at the top level, RFC 8705 3.2, RFC 9449 6.2).");
  t.choice("signing_alg", &as_config::signing_alg, {"ES256", "RS256", "PS256", "EdDSA"},
           knob_kind::setting,
           "JWS algorithm of the access tokens; the signing key must suit it (P-256, RSA, Ed25519).");
  t.integer("access_token_lifetime_s", &as_config::access_token_lifetime_s, knob_kind::setting,
            "Access token lifetime in seconds (expires_in, exp). RFC 9449 11.2: keep DPoP tokens "
            "short-lived when no nonce is used.");
  t.flag("publish_mtls_aliases", &as_config::publish_mtls_aliases, knob_kind::setting,
         "Publish mtls_endpoint_aliases in the metadata (RFC 8705 5). When false, the main listener "
         "itself requests client certificates (optional), as an AS without aliases must.");
  t.text("audience", &as_config::audience, knob_kind::setting,
         "The aud claim when the request names no RFC 8707 resource.");
  t.integer("nonce_lifetime_s", &as_config::nonce_lifetime_s, knob_kind::setting,
            "How long a DPoP-Nonce stays acceptable, in seconds (RFC 9449 8).");
  t.integer("max_refresh_grants", &as_config::max_refresh_grants, knob_kind::setting,
            "How many unexpired refresh tokens the AS keeps (each lives 24 h). A token request that "
            "would issue one more gets 503 temporarily_unavailable, and nothing is issued, until "
            "some expire; no refresh token already issued is ever dropped.");

  // emulates
  t.choice("mtls_and_dpop", &as_config::mtls_and_dpop, {"reject", "bind_both", "dpop_only", "mtls_only"},
           knob_kind::emulates,
           "A client registered for certificate-bound tokens sends a DPoP proof over mTLS: reject "
           "(400 invalid_request, as node-oidc-provider; the default, because RFC 7800 3.1 lets a "
           "cnf carry one proof-of-possession key and neither RFC says which to choose), bind_both "
           "(x5t#S256 and jkt in one cnf, as Spring Authorization Server), dpop_only (as Duende), "
           "mtls_only (ignore the proof).");
  t.choice("missing_cert_policy", &as_config::missing_cert_policy, {"error", "issue_unbound"},
           knob_kind::emulates,
           "A client registered for certificate-bound tokens asks without a client certificate: "
           "error (missing_cert_error) or issue an unbound token (both allowed by RFC 8705 3.4).");
  t.choice("missing_cert_error", &as_config::missing_cert_error,
           {"invalid_request", "invalid_grant", "invalid_client", "unauthorized_client"},
           knob_kind::emulates,
           "The error code for missing_cert_policy=error: invalid_request (Keycloak), invalid_grant "
           "(node-oidc-provider), invalid_client, unauthorized_client (older Keycloak).");
  t.choice("bad_proof_error", &as_config::bad_proof_error, {"invalid_dpop_proof", "invalid_request"},
           knob_kind::emulates,
           "The error code for an invalid DPoP proof: invalid_dpop_proof (RFC 9449 5) or "
           "invalid_request (what Keycloak sends on the wire).");
  t.choice("dpop_jkt_mismatch_error", &as_config::dpop_jkt_mismatch_error,
           {"invalid_grant", "invalid_request", "invalid_dpop_proof"}, knob_kind::emulates,
           "The error code when the token request's proof key is not the dpop_jkt of the "
           "authorization request (RFC 9449 10 says reject, not how): invalid_grant "
           "(node-oidc-provider), invalid_request (Keycloak), invalid_dpop_proof.");
  t.choice("dpop_bound_without_proof_error", &as_config::dpop_bound_without_proof_error,
           {"invalid_request", "invalid_dpop_proof", "invalid_grant", "invalid_client",
            "unauthorized_client"},
           knob_kind::emulates,
           "The error code when a dpop_bound_access_tokens client sends no DPoP proof (RFC 9449 "
           "5.2 says reject, not how).");
  t.integer("dpop_max_age_s", &as_config::dpop_max_age_s, knob_kind::emulates,
            "Oldest acceptable proof iat, in seconds (RFC 9449 11.1 leaves the window to the "
            "server: Keycloak 25 s, node-oidc-provider 300 s).");
  t.integer("dpop_max_future_s", &as_config::dpop_max_future_s, knob_kind::emulates,
            "How far in the future a proof iat may be, in seconds (RFC 9449 4.3 (11)).");
  t.integer("clock_offset_s", &as_config::clock_offset_s, knob_kind::emulates,
            "Seconds added to the AS clock: token iat/exp, the proof window, nonces and codes all "
            "see a skewed clock (pain point: clock skew).");

  // breaks
  t.flag("omit_cnf", &as_config::omit_cnf, knob_kind::breaks,
         "Issue bound tokens without cnf (RFC 8705 3.1, RFC 9449 6: the RS must be able to tell "
         "the token is bound); token_type stays DPoP for DPoP requests.");
  t.flag("pad_x5t", &as_config::pad_x5t, knob_kind::breaks,
         "Write cnf.x5t#S256 with '=' padding (RFC 8705 3.1: MUST NOT have padding).");
  t.flag("x5t_standard_base64", &as_config::x5t_standard_base64, knob_kind::breaks,
         "Write cnf.x5t#S256 in standard base64 ('+', '/' and '=' padding) instead of base64url "
         "(RFC 8705 3.1). When the digest has no '+' or '/' in it, only the padding differs.");
  t.flag("token_type_bearer_for_dpop", &as_config::token_type_bearer_for_dpop, knob_kind::breaks,
         "Answer token_type Bearer for a DPoP-bound token (RFC 9449 5: MUST be DPoP).");
  t.flag("accept_invalid_proof", &as_config::accept_invalid_proof, knob_kind::breaks,
         "Accept a DPoP proof that fails RFC 9449 4.3 (signature, typ, alg, htm, htu, iat, ...) "
         "and bind the token to its key when one can be read (RFC 9449 5).");
  t.flag("skip_chain_validation", &as_config::skip_chain_validation, knob_kind::breaks,
         "tls_client_auth without certificate path validation: a certificate from another CA, or "
         "an expired one, with the right subject authenticates (RFC 8705 2.1).");
  t.flag("skip_subject_check", &as_config::skip_subject_check, knob_kind::breaks,
         "tls_client_auth without comparing the registered subject DN or SAN: any certificate "
         "from the trusted CA authenticates any tls_client_auth client (RFC 8705 2, 2.1).");
  t.flag("ignore_dpop_bound", &as_config::ignore_dpop_bound, knob_kind::breaks,
         "Issue tokens without a DPoP proof to dpop_bound_access_tokens clients (RFC 9449 5.2).");
  t.flag("skip_refresh_binding_check", &as_config::skip_refresh_binding_check, knob_kind::breaks,
         "Accept a public client's refresh token without the DPoP key or certificate it is bound "
         "to (RFC 9449 5, RFC 8705 4).");
  t.flag("skip_dpop_jkt_check", &as_config::skip_dpop_jkt_check, knob_kind::breaks,
         "Exchange a code bound with dpop_jkt whatever the token request's proof key (RFC 9449 10).");
  t.flag("introspection_omit_cnf", &as_config::introspection_omit_cnf, knob_kind::breaks,
         "Leave cnf out of introspection responses for bound tokens (RFC 8705 3.2, RFC 9449 6.2).");
  t.flag("no_replay_cache", &as_config::no_replay_cache, knob_kind::breaks,
         "Accept a DPoP proof again with the same jti (RFC 9449 11.1).");
  t.flag("replay_key_whole_proof", &as_config::replay_key_whole_proof, knob_kind::breaks,
         "Remember whole proofs instead of their jti: the very same proof is refused again, but a "
         "fresh proof that repeats an accepted proof's jti gets a token (RFC 9449 11.1 keys the "
         "single-use check on jti).");
  t.flag("skip_nonce_check", &as_config::skip_nonce_check, knob_kind::breaks,
         "With require_nonce, still hand out nonces but accept proofs without one or with a stale "
         "or foreign one (RFC 9449 8, 11.3).");
  // Per client, so that a scenario has a correct token from the same AS for its control step.
  t.text("plain_jwt_typ_client", &as_config::plain_jwt_typ_client, knob_kind::breaks,
         "Sign the JWT access tokens of this client_id with header typ \"JWT\" instead of "
         "\"at+jwt\" (RFC 9068 2.1: MUST be at+jwt, so that a resource server can tell an access "
         "token from other JWTs, 4).");
  return t;
}

std::string resolve(const std::string& value, const std::string& config_path) {
  std::filesystem::path p(value);
  if (p.is_absolute() || value.empty() || value == "-") return value;  // "-": stderr
  return (std::filesystem::path(config_path).parent_path() / p).lexically_normal().string();
}

}  // namespace

const mocks::knob_table<as_config>& knobs() {
  static const table t = make_table();
  return t;
}

status validate(const as_config& c) {
  if (c.access_token_lifetime_s <= 0)
    return make_error("config.value", "knob \"access_token_lifetime_s\" must be positive");
  if (c.nonce_lifetime_s <= 0)
    return make_error("config.value", "knob \"nonce_lifetime_s\" must be positive");
  if (c.max_refresh_grants <= 0)
    return make_error("config.value", "knob \"max_refresh_grants\" must be positive");
  if (c.dpop_max_age_s < 0 || c.dpop_max_future_s < 0)
    return make_error("config.value", "knobs \"dpop_max_age_s\" and \"dpop_max_future_s\" must not be negative");
  if (c.audience.empty()) return make_error("config.value", "knob \"audience\" must not be empty");
  for (char ch : c.audience)  // it goes into every token: printable ASCII, as a URI or a name
    if (static_cast<unsigned char>(ch) <= 0x20 || static_cast<unsigned char>(ch) >= 0x7f)
      return make_error("config.value", "knob \"audience\" must be printable ASCII without spaces");
  return {};
}

status apply_config_file(const nlohmann::json& file, const std::string& path,
                         const std::set<std::string>& given, as_options& options,
                         mocks::common_options& common, as_config& config) {
  auto text = [&](const std::string& name, const nlohmann::json& v, std::string& out,
                  bool is_path) -> status {
    if (!v.is_string()) return make_error("config.type", path + ": /" + name + ": \"" + name + "\" must be a string");
    if (!given.count(name)) out = is_path ? resolve(v.get<std::string>(), path) : v.get<std::string>();
    return {};
  };
  auto number = [&](const std::string& name, const nlohmann::json& v, int& out) -> status {
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 65535)
      return make_error("config.type", path + ": /" + name + ": \"" + name + "\" must be an integer from 0 to 65535");
    if (!given.count(name)) out = v.get<int>();
    return {};
  };
  for (const auto& [name, v] : file.items()) {
    status s;
    if (name == "knobs") s = knobs().apply(config, v, path + ": /knobs");
    else if (name == "port") s = number(name, v, options.port);
    else if (name == "mtls_port") s = number(name, v, options.mtls_port);
    else if (name == "threads") s = number(name, v, common.threads);
    else if (name == "issuer") s = text(name, v, options.issuer, false);
    else if (name == "host") s = text(name, v, common.host, false);
    else if (name == "introspection_client") s = text(name, v, options.introspection_client, false);
    else if (name == "signing_key") s = text(name, v, options.signing_key, true);
    else if (name == "clients") s = text(name, v, options.clients_file, true);
    else if (name == "certs") s = text(name, v, common.certs_dir, true);
    else if (name == "cert") s = text(name, v, common.cert_file, true);
    else if (name == "key") s = text(name, v, common.key_file, true);
    else if (name == "ca") s = text(name, v, common.ca_file, true);
    else if (name == "event_log") s = text(name, v, common.event_log, true);
    else if (name == "$schema" || name == "description") continue;
    else s = make_error("config.unknown", path + ": /" + name + ": unknown member \"" + name + "\"");
    if (!s) return s;
  }
  return {};
}

std::string default_clients_file() {
  if (const char* home = std::getenv("TETHER_HOME"); home && *home)
    return std::string(home) + "/targets/builtin-clients.json";
  return std::string(TETHER_SOURCE_ROOT) + "/targets/builtin-clients.json";
}

}  // namespace tether::as
