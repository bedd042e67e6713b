#include "mocks/as/token_binding.hpp"

namespace tether::as {
namespace {

// An error whose code an emulates knob chose: invalid_client keeps its RFC 6749 5.2 status rule.
oauth_error chosen_error(const std::string& code, std::string why, bool used_authorization_header) {
  if (code == "invalid_client") return client_error(std::move(why), used_authorization_header);
  return oauth_error{code, std::move(why)};
}

}  // namespace

binding_decision decide_binding(const client& who, const http::connection_info& conn,
                                const proof_outcome& proof, bool used_authorization_header,
                                const as_config& cfg, exchange& x) {
  const as_config defaults{};
  binding_decision out;

  // RFC 9449 5.2: a dpop_bound_access_tokens client MUST NOT get a token without a proof.
  if (who.dpop_bound && !proof.present) {
    if (cfg.ignore_dpop_bound) {
      x.used_knob("ignore_dpop_bound");
    } else {
      if (cfg.dpop_bound_without_proof_error != defaults.dpop_bound_without_proof_error)
        x.used_knob("dpop_bound_without_proof_error");
      out.error = chosen_error(cfg.dpop_bound_without_proof_error,
                               "client " + shown(who.client_id) +
                                   " is registered with dpop_bound_access_tokens and the request has no DPoP proof (RFC 9449 5.2)",
                               used_authorization_header);
      return out;
    }
  }

  bool cert_bind = who.certificate_bound && conn.client_cert != nullptr;
  bool dpop_bind = proof.jkt.has_value();

  // RFC 8705 3.4: without mutual TLS the AS may refuse or issue an unbound token.
  if (who.certificate_bound && !conn.client_cert) {
    if (cfg.missing_cert_policy == "issue_unbound") {
      x.used_knob("missing_cert_policy");
    } else {
      if (cfg.missing_cert_error != defaults.missing_cert_error) x.used_knob("missing_cert_error");
      out.error = chosen_error(cfg.missing_cert_error,
                               "client " + shown(who.client_id) +
                                   " is registered for certificate-bound tokens and presented no client certificate (RFC 8705 3.4)",
                               used_authorization_header);
      return out;
    }
  }

  // Neither RFC says what a request asking for both bindings gets (table 2.2 G); RFC 7800 3.1
  // has cnf carry one proof-of-possession key, hence the default refusal.
  if (cert_bind && dpop_bind) {
    x.event["both_bindings_requested"] = true;
    if (cfg.mtls_and_dpop != defaults.mtls_and_dpop) x.used_knob("mtls_and_dpop");
    if (cfg.mtls_and_dpop == "reject") {
      out.error = oauth_error{"invalid_request",
                              "the request asks for a certificate-bound token and carries a DPoP proof; "
                              "this AS binds a token to one proof-of-possession key (RFC 7800 3.1)"};
      return out;
    }
    if (cfg.mtls_and_dpop == "dpop_only") cert_bind = false;
    if (cfg.mtls_and_dpop == "mtls_only") dpop_bind = false;
  }

  if (cert_bind) {
    out.bound.x5t_correct = conn.client_cert->x5t_s256();
    out.bound.x5t = x5t_as_written(*conn.client_cert, cfg, x);
  }
  if (dpop_bind) out.bound.jkt = proof.jkt;
  return out;
}

}  // namespace tether::as
