#include "mocks/client/client_config.hpp"

namespace tether::client {
namespace {

using mocks::knob_kind;
using table = mocks::knob_table<client_config>;

table make_table() {
  table t;
  t.integer("timeout_ms", &client_config::timeout_ms, knob_kind::setting,
            "Time each step of the flow may take, nonce retry included, in milliseconds.");
  t.flag("send_dpop_jkt", &client_config::send_dpop_jkt, knob_kind::setting,
         "In the code flow with DPoP, bind the authorization code to the proof key with dpop_jkt "
         "(RFC 9449 10).");
  t.text("other_cert", &client_config::other_cert, knob_kind::setting,
         "The suite certificate that other_cert_at_rs presents at the resource server (client-a "
         "instead when the client's own certificate is this one).");

  t.flag("omit_ath", &client_config::omit_ath, knob_kind::breaks,
         "Leave ath out of the proofs sent to the resource server (RFC 9449 4.2, 7: MUST include "
         "the access token hash).");
  t.flag("reuse_jti", &client_config::reuse_jti, knob_kind::breaks,
         "Give every proof the same jti (RFC 9449 4.2: jti MUST be unique per proof; 11.1).");
  t.flag("ignore_nonce", &client_config::ignore_nonce, knob_kind::breaks,
         "Never put a server nonce in a proof and never retry on use_dpop_nonce (RFC 9449 8, 9: "
         "the client MUST use the nonce the server provided).");
  t.flag("wrong_htm", &client_config::wrong_htm, knob_kind::breaks,
         "Put the wrong method in htm: GET for a POST, POST otherwise (RFC 9449 4.2).");
  t.flag("wrong_htu", &client_config::wrong_htu, knob_kind::breaks,
         "Put the server's origin without the path in htu (RFC 9449 4.2: the target URI "
         "without query and fragment).");
  t.flag("bearer_scheme", &client_config::bearer_scheme, knob_kind::breaks,
         "Present a DPoP-bound token under the Bearer scheme (with its proof) instead of DPoP "
         "(RFC 9449 7.1).");
  t.flag("omit_client_id", &client_config::omit_client_id, knob_kind::breaks,
         "Leave client_id out of the token request body; with a certificate this breaks RFC 8705 "
         "2 (every mutual-TLS request MUST carry client_id). No effect with client_secret_basic, "
         "which sends no client_id in the body.");
  t.flag("ignore_mtls_aliases", &client_config::ignore_mtls_aliases, knob_kind::breaks,
         "Send certificate-authenticated or certificate-bound token requests to the top-level "
         "token_endpoint although mtls_endpoint_aliases names another one (RFC 8705 5).");
  t.flag("other_cert_at_rs", &client_config::other_cert_at_rs, knob_kind::breaks,
         "Present another certificate (other_cert) at the resource server than the one used at the "
         "token endpoint (RFC 8705 3: the same certificate MUST be used).");
  t.flag("new_key_on_refresh", &client_config::new_key_on_refresh, knob_kind::breaks,
         "Sign the refresh request and later proofs with a new DPoP key (RFC 9449 5: a refresh "
         "request MUST be proven with the key the refresh token is bound to; 4.2).");
  t.flag("as_nonce_at_rs", &client_config::as_nonce_at_rs, knob_kind::breaks,
         "Put the authorization server's last nonce in the proofs sent to the resource server and "
         "do not retry there (RFC 9449 9: the nonces of the AS and the RS are separate).");
  t.flag("ignore_nonce_rotation", &client_config::ignore_nonce_rotation, knob_kind::breaks,
         "Keep using the first nonce each server sent, ignoring the new DPoP-Nonce of later "
         "responses (RFC 9449 8.2: the client MUST use the new nonce).");
  t.flag("accept_bearer_token_type", &client_config::accept_bearer_token_type, knob_kind::breaks,
         "Use a token whose token_type is not DPoP although DPoP was asked for, instead of "
         "discarding the response (RFC 9449 5).");
  return t;
}

}  // namespace

const mocks::knob_table<client_config>& client_knobs() {
  static const table t = make_table();
  return t;
}

}  // namespace tether::client
