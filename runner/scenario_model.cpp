#include "runner/scenario_model.hpp"

namespace tether::runner {

const char* to_string(role r) {
  switch (r) {
    case role::as: return "as";
    case role::rs: return "rs";
    case role::client: return "client";
  }
  return "rs";
}

const char* to_string(level l) {
  switch (l) {
    case level::must: return "MUST";
    case level::should: return "SHOULD";
    case level::may: return "MAY";
  }
  return "MUST";
}

const char* to_string(step_kind k) {
  switch (k) {
    case step_kind::setup: return "setup";
    case step_kind::control: return "control";
    case step_kind::probe: return "probe";
    case step_kind::precondition: return "precondition";
  }
  return "probe";
}

const char* to_string(expected_outcome o) {
  switch (o) {
    case expected_outcome::accept: return "accept";
    case expected_outcome::reject: return "reject";
    case expected_outcome::either: return "either";
  }
  return "either";
}

std::optional<role> role_from(const std::string& s) {
  if (s == "as") return role::as;
  if (s == "rs") return role::rs;
  if (s == "client") return role::client;
  return std::nullopt;
}

std::optional<level> level_from(const std::string& s) {
  if (s == "MUST") return level::must;
  if (s == "SHOULD") return level::should;
  if (s == "MAY") return level::may;
  return std::nullopt;
}

namespace vocabulary {

const std::vector<std::string>& certificate_names() {
  // certs/README.md
  static const std::vector<std::string> v = {"client-a", "client-b", "client-a-rekeyed",
                                             "client-other-ca", "client-self-signed",
                                             "client-expired", "proxy"};
  return v;
}

const std::vector<std::string>& client_registrations() {
  static const std::vector<std::string> v = {
      "mtls-pki", "mtls-pki-san-dns", "mtls-pki-san-uri", "mtls-pki-san-ip", "mtls-pki-san-email",
      "mtls-self-signed", "secret-basic", "secret-post", "public", "dpop-bound",
      "mtls-bound-secret", "public-mtls", "confidential-dpop", "rs"};
  return v;
}

const std::vector<std::string>& capabilities() {
  static const std::vector<std::string> v = {
      "mtls", "self_signed_mtls", "mtls_bound_tokens", "dpop", "dpop_nonce", "introspection",
      "refresh_token", "authorization_code", "dpop_jkt", "mtls_endpoint_aliases", "client_secret",
      "public_clients", "forwarded_cert"};
  return v;
}

const std::vector<std::string>& bug_types() {
  static const std::vector<std::string> v = {"BINDING_BYPASS", "REPLAY", "DOWNGRADE",
                                             "MALFORMED_INPUT", "INTEROP", "SPEC_AMBIGUITY",
                                             "CONFIGURATION"};
  return v;
}

const std::vector<std::string>& actions() {
  static const std::vector<std::string> v = {"token", "authorize", "resource", "introspect",
                                             "fetch", "replay", "run_client"};
  return v;
}

const std::vector<std::string>& environment_settings(role r) {
  static const std::vector<std::string> as = {"require_nonce", "mtls_client_cert_mode", "token_format"};
  static const std::vector<std::string> rs = {"client_cert_mode", "token_format", "require_nonce",
                                              "trusted_proxy"};
  static const std::vector<std::string> none;
  if (r == role::as) return as;
  if (r == role::rs) return rs;
  return none;
}

}  // namespace vocabulary
}  // namespace tether::runner
