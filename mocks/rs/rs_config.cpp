#include "mocks/rs/rs_config.hpp"

#include <sstream>

#include "core/jose/jws.hpp"

namespace tether::rs {

using mocks::knob_kind;

const mocks::knob_table<rs_config>& rs_knobs() {
  static const mocks::knob_table<rs_config> table = [] {
    mocks::knob_table<rs_config> t;
    // Settings: legitimate configuration (scenario `environment`).
    t.choice("client_cert_mode", &rs_config::client_cert_mode, {"none", "optional", "required"},
             knob_kind::setting,
             "TLS client certificate request: none (no CertificateRequest), optional (requested: "
             "a client without a certificate still connects), required (handshake fails "
             "without one). RFC 8705 3: the RS must know in advance that mTLS is used");
    t.choice("token_format", &rs_config::token_format, {"jwt", "introspection"}, knob_kind::setting,
             "how access tokens are validated: RFC 9068 JWTs against the AS's JWKS, or RFC 7662 "
             "introspection with the RS's client credentials");
    t.flag("require_nonce", &rs_config::require_nonce, knob_kind::setting,
           "demand an RS-issued nonce in every DPoP proof: 401 use_dpop_nonce with DPoP-Nonce "
           "until the proof carries one; a fresh nonce on every answer (RFC 9449 8.2, 9)");
    t.choice("trusted_proxy", &rs_config::trusted_proxy,
             {"", "rfc9440", "xfcc", "escaped_pem", "base64_der"}, knob_kind::setting,
             "believe a forwarded client certificate in this format, only on connections that "
             "present the suite's proxy certificate (RFC 8705 6.5 leaves the hop out of scope); "
             "a header from any other connection is ignored, an empty or unparsable one from "
             "the proxy means no certificate");
    t.text("dpop_algs", &rs_config::dpop_algs, knob_kind::setting,
           "space-separated JWS algs accepted in DPoP proofs and listed in the DPoP challenge's "
           "algs (RFC 9449 4.3 (5), 7.1)");
    t.text("audience", &rs_config::audience, knob_kind::setting,
           "the aud an access token must contain (RFC 9068 4); with introspection, checked when "
           "the response has aud");
    t.text("realm", &rs_config::realm, knob_kind::setting,
           "realm auth-param of both challenges (RFC 6750 3); empty: none");
    t.flag("token_in_body", &rs_config::token_in_body, knob_kind::setting,
           "accept access_token in a form-encoded body (RFC 6750 2.2); false: 400 invalid_request");
    t.flag("token_in_query", &rs_config::token_in_query, knob_kind::setting,
           "accept access_token in the query (RFC 6750 2.3); false: 400 invalid_request");
    t.integer("token_cache_s", &rs_config::token_cache_s, knob_kind::setting,
              "seconds a validated token is remembered (never past its exp); binding, proof and "
              "scope are checked on every request anyway. 0: validate every time");
    t.integer("nonce_lifetime_s", &rs_config::nonce_lifetime_s, knob_kind::setting,
              "seconds an RS nonce stays valid (RFC 9449 9)");
    t.integer("token_leeway_s", &rs_config::token_leeway_s, knob_kind::setting,
              "clock leeway for the access token's exp, nbf and iat");
    t.text("public_origin", &rs_config::public_origin, knob_kind::setting,
           "origin clients use to reach this RS (e.g. through a proxy), the base of the URI that "
           "htu must match (RFC 9449 4.3 (9)); empty: the listener's own https://127.0.0.1:PORT");

    // Emulates: answers the RFCs leave open, as real servers give them (requirements 2.2).
    t.choice("missing_cert_response", &rs_config::missing_cert_response,
             {"401_invalid_token", "400_invalid_request", "401_unauthorized_client"},
             knob_kind::emulates,
             "certificate-bound token on a connection without a client certificate (RFC 8705 3 "
             "is silent; table 2.2 row A): node-oidc-provider/Spring 401 invalid_token, Auth0 "
             "400 invalid_request, old Keycloak 401 unauthorized_client");
    t.choice("htu_comparison", &rs_config::htu_comparison, {"normalised", "exact"}, knob_kind::emulates,
             "how htu is compared with the request URI (RFC 9449 4.3: SHOULD normalise per RFC "
             "3986 6.2.2 and 6.2.3 first; row K): normalised as node-oidc-provider and Auth0, "
             "exact string equality after cutting query and fragment as Spring");
    t.choice("bad_proof_status", &rs_config::bad_proof_status, {"401", "400"}, knob_kind::emulates,
             "status that goes with invalid_dpop_proof (RFC 9449 7.1 does not pin it; row E): "
             "401 node-oidc-provider/Spring, 400 Auth0");
    t.choice("dpop_scheme_without_proof", &rs_config::dpop_scheme_without_proof,
             {"400_invalid_request", "401_invalid_request", "401_invalid_dpop_proof"},
             knob_kind::emulates,
             "Authorization: DPoP without a DPoP header (RFC 9449 7.1 MUST reject, code open; "
             "row D): node-oidc-provider/Auth0 400, Spring 401 invalid_request");
    t.choice("downgrade_response", &rs_config::downgrade_response,
             {"401_invalid_token", "400_invalid_request"}, knob_kind::emulates,
             "DPoP-bound token presented as a bearer token (RFC 9449 7.2 MUST reject, code open; "
             "rows C/C2)");
    t.choice("key_mismatch_error", &rs_config::key_mismatch_error,
             {"invalid_token", "invalid_dpop_proof"}, knob_kind::emulates,
             "error when the proof key is not the token's cnf.jkt (RFC 9449 4.3 (12); the 7.1 "
             "example uses invalid_token)");
    t.choice("replay_error", &rs_config::replay_error, {"invalid_dpop_proof", "invalid_token"},
             knob_kind::emulates,
             "error for a replayed proof (RFC 9449 11.1; row I): Spring invalid_dpop_proof, "
             "node-oidc-provider invalid_token");
    t.integer("dpop_max_age_s", &rs_config::dpop_max_age_s, knob_kind::emulates,
              "oldest acceptable proof iat, in seconds (RFC 9449 11.1; row J: Keycloak 25, "
              "node-oidc-provider and Auth0 300)");
    t.integer("dpop_max_future_s", &rs_config::dpop_max_future_s, knob_kind::emulates,
              "how far in the future a proof iat may be (RFC 9449 4.3 (11), 11.1)");
    t.integer("clock_offset_s", &rs_config::clock_offset_s, knob_kind::emulates,
              "seconds added to this server's clock (a skewed RS, RFC 9449 11.1): proof iat and "
              "token exp are judged against the shifted time");
    t.text("challenge_extra_param", &rs_config::challenge_extra_param, knob_kind::emulates,
           "name=value auth-param added to every challenge; clients MUST ignore unknown "
           "parameters (RFC 9449 7.1)");
    t.choice("cnf_policy", &rs_config::cnf_policy, {"all", "first", "any"}, knob_kind::emulates,
             "a token whose cnf has both x5t#S256 and jkt (RFC 7800 3.1, RFC 8705 and RFC 9449 "
             "are silent; row G): all = "
             "verify every member; first = only the DPoP member, certificate ignored (Auth0); "
             "any = either binding proven is enough");

    // Breaks: each violates a MUST, so that the catalogue can prove it notices.
    t.flag("skip_ath_check", &rs_config::skip_ath_check, knob_kind::breaks,
           "do not check the proof's ath against the token (RFC 9449 4.3 (12), 7)");
    t.flag("skip_cnf_check", &rs_config::skip_cnf_check, knob_kind::breaks,
           "never compare cnf with the certificate or the proof key; a missing certificate goes "
           "unnoticed (RFC 8705 3, RFC 9449 4.3 (12), 6)");
    t.flag("accept_private_jwk", &rs_config::accept_private_jwk, knob_kind::breaks,
           "accept a proof whose jwk has private members (RFC 9449 4.3 (7))");
    t.flag("accept_missing_claims", &rs_config::accept_missing_claims, knob_kind::breaks,
           "check typ, jti, htm, htu, iat and ath only when the proof has them, so a proof "
           "without one passes (RFC 9449 4.3 (3): every member 4.2 requires must be present); "
           "alg and jwk stay required");
    t.flag("no_replay_cache", &rs_config::no_replay_cache, knob_kind::breaks,
           "do not remember jti: a proof can be replayed within its window (RFC 9449 11.1)");
    t.flag("replay_key_whole_proof", &rs_config::replay_key_whole_proof, knob_kind::breaks,
           "remember whole proofs instead of their jti: the very same proof is refused again, "
           "but a fresh proof that repeats an accepted proof's jti gets through (RFC 9449 11.1 "
           "keys the single-use check on jti)");
    t.flag("htu_from_forwarded_headers", &rs_config::htu_from_forwarded_headers, knob_kind::breaks,
           "build the URI that htu must match from the client's Forwarded (RFC 7239) or "
           "X-Forwarded-Host / X-Forwarded-Proto headers, with no trusted proxy, so a proof for "
           "another origin passes (RFC 9449 4.3 (9): htu is the URI of the request received)");
    t.flag("accept_bearer_downgrade", &rs_config::accept_bearer_downgrade, knob_kind::breaks,
           "accept a DPoP-bound token with the Bearer scheme, without a proof (RFC 9449 7.2)");
    t.flag("case_insensitive_htu", &rs_config::case_insensitive_htu, knob_kind::breaks,
           "compare htu ignoring case, path included (RFC 9449 4.3 (9); RFC 3986 6.2.2.1 "
           "folds only scheme and host)");
    t.flag("trust_any_proxy_header", &rs_config::trust_any_proxy_header, knob_kind::breaks,
           "believe a forwarded certificate header from any connection (format trusted_proxy, "
           "rfc9440 when unset), so a client can claim any certificate (RFC 8705 3, 6.5)");
    t.flag("skip_htm_check", &rs_config::skip_htm_check, knob_kind::breaks,
           "do not compare htm with the request method (RFC 9449 4.3 (8))");
    t.flag("skip_htu_check", &rs_config::skip_htu_check, knob_kind::breaks,
           "do not compare htu with the request URI (RFC 9449 4.3 (9))");
    t.flag("skip_iat_check", &rs_config::skip_iat_check, knob_kind::breaks,
           "accept any proof iat, however old or far ahead (RFC 9449 4.3 (11), 11.1)");
    t.flag("skip_nonce_check", &rs_config::skip_nonce_check, knob_kind::breaks,
           "hand out nonces but accept proofs without one or with a wrong one (RFC 9449 4.3 "
           "(10), 11.3)");
    t.flag("skip_token_signature_check", &rs_config::skip_token_signature_check,
           knob_kind::breaks,
           "believe a JWT access token's claims as decoded when its signature or key does not "
           "verify: no signature, issuer, audience or expiry check (RFC 9068 4)");
    t.flag("skip_audience_check", &rs_config::skip_audience_check, knob_kind::breaks,
           "accept a token issued for another resource (RFC 9068 4: aud MUST be checked)");
    t.flag("accept_any_token_typ", &rs_config::accept_any_token_typ, knob_kind::breaks,
           "accept JWT access tokens whose typ is not at+jwt (RFC 9068 4), e.g. an ID token");
    t.flag("accept_unbound_dpop_scheme", &rs_config::accept_unbound_dpop_scheme,
           knob_kind::breaks,
           "accept a token without cnf.jkt under the DPoP scheme when the proof is otherwise "
           "valid (RFC 9449 7.1: the proof key MUST match the key the token is bound to)");
    t.flag("accept_missing_cert", &rs_config::accept_missing_cert, knob_kind::breaks,
           "accept a certificate-bound token on a connection without a client certificate "
           "(RFC 8705 3); a different certificate is still refused");
    return t;
  }();
  return table;
}

std::vector<std::string> dpop_alg_list(const rs_config& config) {
  std::vector<std::string> out;
  std::istringstream in(config.dpop_algs);
  for (std::string alg; in >> alg;) out.push_back(alg);
  return out;
}

status validate(const rs_config& c) {
  auto algs = dpop_alg_list(c);
  if (algs.empty()) return make_error("knob.value", "knob \"dpop_algs\" lists no algorithm");
  for (const auto& alg : algs) {
    // RFC 9449 4.2: asymmetric algorithms only; a MAC or "none" can prove nothing.
    if (!jose::is_asymmetric_alg(alg))
      return make_error("knob.value", "knob \"dpop_algs\": \"" + alg +
                                          "\" is not an asymmetric JWS algorithm this build verifies");
  }
  if (!c.challenge_extra_param.empty()) {
    auto eq = c.challenge_extra_param.find('=');
    bool ok = eq != std::string::npos && eq > 0;
    for (std::size_t i = 0; ok && i < eq; ++i) {
      char ch = c.challenge_extra_param[i];
      // RFC 9110 5.6.2 token characters: the auth-param name must be one.
      ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
    }
    if (!ok)
      return make_error("knob.value", "knob \"challenge_extra_param\" takes name=value with a "
                                      "token as name, not \"" + c.challenge_extra_param + "\"");
  }
  struct bound { const char* name; int64_t value; int64_t min; };
  for (const bound& b : {bound{"token_cache_s", c.token_cache_s, 0},
                         bound{"nonce_lifetime_s", c.nonce_lifetime_s, 1},
                         bound{"token_leeway_s", c.token_leeway_s, 0},
                         bound{"dpop_max_age_s", c.dpop_max_age_s, 0},
                         bound{"dpop_max_future_s", c.dpop_max_future_s, 0}}) {
    if (b.value < b.min)
      return make_error("knob.value", std::string("knob \"") + b.name + "\" must be at least " +
                                          std::to_string(b.min));
  }
  if (c.public_origin.size() > 0 && c.public_origin.rfind("https://", 0) != 0 &&
      c.public_origin.rfind("http://", 0) != 0)
    return make_error("knob.value", "knob \"public_origin\" must be an http(s) origin such as "
                                    "https://rs.example:8443");
  return {};
}

}  // namespace tether::rs
