// RFC 8414 authorization server metadata and the JWK Set the access tokens verify with.

#include "core/dpop/proof_verifier.hpp"
#include "mocks/as/handlers.hpp"

namespace tether::as {
namespace {

http::response only_get(exchange& x) {
  x.because("metadata and keys are read with GET");
  http::response res = error_response(oauth_error{"invalid_request", "use GET", 405});
  res.headers.set("Allow", "GET");
  return res;
}

}  // namespace

nlohmann::json metadata_document(const as_state& state) {
  const endpoints& u = state.urls;
  nlohmann::json m = {
      {"issuer", u.issuer},
      {"authorization_endpoint", u.authorization()},
      {"token_endpoint", u.token()},
      {"jwks_uri", u.jwks()},
      {"introspection_endpoint", u.introspection()},
      {"response_types_supported", {"code"}},
      {"response_modes_supported", {"query"}},
      {"grant_types_supported", {"authorization_code", "client_credentials", "refresh_token"}},
      // RFC 8705 2.1.1 and 2.2.1 advertise the two mutual-TLS methods here.
      {"token_endpoint_auth_methods_supported",
       {"tls_client_auth", "self_signed_tls_client_auth", "client_secret_basic", "client_secret_post", "none"}},
      {"introspection_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "tls_client_auth", "self_signed_tls_client_auth"}},
      {"code_challenge_methods_supported", {"S256"}},
      {"tls_client_certificate_bound_access_tokens", true},  // RFC 8705 3.3
      {"dpop_signing_alg_values_supported", dpop::verify_policy{}.algs},  // RFC 9449 5.1
      {"authorization_response_iss_parameter_supported", true},  // RFC 9207
  };
  if (state.config.publish_mtls_aliases) {
    // RFC 8705 5: the endpoints a client doing mutual TLS must use instead.
    m["mtls_endpoint_aliases"] = {{"token_endpoint", u.mtls_token()},
                                  {"introspection_endpoint", u.mtls_introspection()}};
  }
  return m;
}

http::response handle_metadata(const http::request& req, const as_state& state, exchange& x) {
  if (req.method != "GET" && req.method != "HEAD") return only_get(x);
  x.because("metadata");
  return json_response(200, metadata_document(state), false);
}

http::response handle_jwks(const http::request& req, const as_state& state, exchange& x) {
  if (req.method != "GET" && req.method != "HEAD") return only_get(x);
  x.because("signing keys");
  http::response res = json_response(200, state.jwks(), false);
  res.headers.set("Content-Type", "application/jwk-set+json");
  return res;
}

}  // namespace tether::as
