#include "mocks/rs/binding.hpp"

namespace tether::rs {

namespace {

enum class cert_result { verified, mismatch, missing };

const char* to_string(cert_result r) {
  switch (r) {
    case cert_result::verified: return "verified";
    case cert_result::mismatch: return "mismatch";
    case cert_result::missing: return "missing";
  }
  return "missing";
}

cert_result compare_cert(const token::confirmation& cnf, const observed_cert& cert) {
  if (!cert.cert) return cert_result::missing;
  // RFC 8705 3.1: base64url(SHA-256(DER)), compared as the exact string the AS put in cnf.
  return cert.cert->x5t_s256() == *cnf.x5t_s256 ? cert_result::verified : cert_result::mismatch;
}

rejection cert_refusal(cert_result result, mechanism target, const observed_cert& cert,
                       const request_facts& facts, const rs_config& config) {
  if (result == cert_result::mismatch) {
    return invalid_token("the client certificate is not the one the access token is bound to "
                         "(its x5t#S256 is " + cert.cert->x5t_s256() + ")",
                         target,
                         "RFC 8705 3: a certificate that does not match cnf.x5t#S256 is refused "
                         "with 401 invalid_token");
  }
  rejection r;
  r.target = target;
  r.description = "the access token is bound to a client certificate (cnf.x5t#S256) but none was presented";
  apply_status_error(r, config.missing_cert_response);
  const std::string where =
      cert.proxy_connection ? "the trusted proxy forwarded no usable client certificate"
                            : "the connection presented no client certificate (client_cert_mode " +
                                  facts.cert_mode + ")";
  r.reason = "certificate-bound token, but " + where +
             "; RFC 8705 3 does not name the error for this case (table 2.2 row A): "
             "missing_cert_response=" + config.missing_cert_response;
  if (config.missing_cert_response != rs_config{}.missing_cert_response)
    r.knobs.push_back("missing_cert_response");
  return r;
}

rejection downgrade_refusal(const presentation& p, const rs_config& config) {
  rejection r;
  // Bearer alone: the mechanism is clear. Bearer next to a DPoP proof: ambiguous, so the error
  // goes on both challenges (RFC 9449 7.2).
  r.target = p.dpop_headers.empty() ? mechanism::bearer : mechanism::both;
  r.description = "the access token is DPoP-bound (cnf.jkt): send it with the DPoP scheme and a "
                  "DPoP proof, not as a bearer token";
  apply_status_error(r, config.downgrade_response);
  r.reason = std::string("a DPoP-bound token was presented as a bearer token") +
             (p.dpop_headers.empty() ? "" : " (with a DPoP header next to it)") +
             "; RFC 9449 7.2 requires rejecting it, the code is open (rows C/C2): "
             "downgrade_response=" + config.downgrade_response;
  if (config.downgrade_response != rs_config{}.downgrade_response) r.knobs.push_back("downgrade_response");
  return r;
}

}  // namespace

binding_outcome check_binding(const validated_token& token, const presentation& p,
                              const observed_cert& cert, dpop_checker& proofs,
                              const request_facts& facts, const rs_config& config) {
  binding_outcome out;
  const auto& cnf = token.cnf;
  const bool has_x5t = cnf.x5t_s256.has_value();
  const bool has_jkt = cnf.jkt.has_value();
  const bool both = has_x5t && has_jkt;
  const mechanism used = p.is_dpop() ? mechanism::dpop : mechanism::bearer;
  auto refuse = [&](rejection r) {
    out.refused = std::move(r);
    return std::move(out);
  };

  if (cnf.present() && !cnf.bound()) {
    // RFC 7800 3.1 asks to ignore unknown cnf members; a cnf with nothing else still says
    // "bound", and serving it as a bearer token would drop a binding this RS cannot check.
    if (!config.skip_cnf_check) {
      return refuse(invalid_token("the access token's cnf has no confirmation method this "
                                  "resource server can verify (x5t#S256 or jkt)",
                                  used, "a binding the RS cannot verify is not ignored"));
    }
    out.knobs.push_back("skip_cnf_check");
  }

  bool check_x5t = has_x5t;
  bool check_jkt = has_jkt;
  if (both && config.cnf_policy == "first") {
    // Auth0's reading (row G): a token carries one confirmation; the DPoP one wins.
    check_x5t = false;
    out.binding["x5t#S256"] = "not_checked";
    out.knobs.push_back("cnf_policy");
  }

  // RFC 9449 7.1: the DPoP scheme demands a token bound to the proof's key.
  if (p.is_dpop() && !has_jkt) {
    if (!config.accept_unbound_dpop_scheme) {
      return refuse(invalid_token("the access token is not DPoP-bound (its cnf has no jkt), so it "
                                  "cannot be used with the DPoP scheme",
                                  mechanism::dpop,
                                  "RFC 9449 7.1: the proof key must match the key the token is "
                                  "bound to, and this token is bound to none"));
    }
    out.knobs.push_back("accept_unbound_dpop_scheme");
  }
  // RFC 9449 7.2: a DPoP-bound token is never a bearer token here.
  if (!p.is_dpop() && has_jkt) {
    if (config.accept_bearer_downgrade) {
      out.knobs.push_back("accept_bearer_downgrade");
      check_jkt = false;
      out.binding["jkt"] = "not_checked";
    } else if (both && config.cnf_policy == "any") {
      check_jkt = false;  // the certificate alone decides below
      out.binding["jkt"] = "not_checked";
    } else {
      out.binding["jkt"] = "missing";
      return refuse(downgrade_refusal(p, config));
    }
  }

  if (both && config.cnf_policy == "any" && !config.skip_cnf_check) {
    // Either binding proven is enough: the certificate first, the proof if that fails.
    out.knobs.push_back("cnf_policy");
    const cert_result cr = compare_cert(cnf, cert);
    out.binding["x5t#S256"] = to_string(cr);
    if (cr == cert_result::verified) {
      out.binding["jkt"] = "not_checked";
      return out;
    }
    if (!p.is_dpop()) return refuse(cert_refusal(cr, used, cert, facts, config));
    check_x5t = false;
  }

  if (check_x5t) {
    const cert_result cr = compare_cert(cnf, cert);
    if (config.skip_cnf_check) {
      out.binding["x5t#S256"] = "not_checked";
      if (cr != cert_result::verified) out.knobs.push_back("skip_cnf_check");
    } else {
      out.binding["x5t#S256"] = to_string(cr);
      if (cr == cert_result::missing && config.accept_missing_cert) {
        out.knobs.push_back("accept_missing_cert");
      } else if (cr != cert_result::verified) {
        return refuse(cert_refusal(cr, used, cert, facts, config));
      }
    }
  }

  if (p.is_dpop()) {
    proof_context ctx{p.dpop_headers, facts.request.method, facts.url, p.token, std::nullopt};
    if (check_jkt && !config.skip_cnf_check) ctx.bound_jkt = cnf.jkt;
    const dpop_outcome& proof = out.proof.emplace(proofs.check(ctx, facts.now));
    out.knobs.insert(out.knobs.end(), proof.knobs.begin(), proof.knobs.end());
    if (!proof.ok()) {
      if (check_jkt) {
        out.binding["jkt"] =
            proof.verdict.check == dpop::proof_check::key_mismatch ? "mismatch" : "not_checked";
      }
      return refuse(refusal_for(proof.verdict, config));
    }
    if (check_jkt) {
      if (config.skip_cnf_check) {
        out.binding["jkt"] = "not_checked";
        if (proof.verdict.jkt != *cnf.jkt) out.knobs.push_back("skip_cnf_check");
      } else {
        out.binding["jkt"] = "verified";
      }
    }
  }
  return out;
}

}  // namespace tether::rs
