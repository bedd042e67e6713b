#include "mocks/client/flow_env.hpp"

#include <algorithm>
#include <array>

namespace tether::client {
namespace {

template <std::size_t N>
bool one_of(const std::string& value, const std::array<const char*, N>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

constexpr std::array<const char*, 4> flows{"token", "token+resource", "refresh+resource", "code+resource"};
constexpr std::array<const char*, 3> bindings{"dpop", "mtls", "none"};
constexpr std::array<const char*, 5> methods{"tls_client_auth", "self_signed_tls_client_auth",
                                             "client_secret_basic", "client_secret_post", "none"};
// The algs core/jose can create keys for (RFC 9449 4.2: asymmetric only).
constexpr std::array<const char*, 10> algs{"ES256", "ES384", "ES512", "RS256", "RS384",
                                           "RS512", "PS256", "PS384", "PS512", "EdDSA"};

env_check unsupported(std::string m) { return {env_problem::unsupported, std::move(m)}; }
env_check bad(std::string m) { return {env_problem::bad_input, std::move(m)}; }

}  // namespace

flow_env read_flow_env(const env_getter& getenv_fn, const std::string& flow_name) {
  auto get = [&](const char* name) {
    const char* v = getenv_fn(name);
    return v ? std::string(v) : std::string();
  };
  flow_env e;
  e.flow = flow_name.empty() ? get("TETHER_FLOW") : flow_name;
  e.issuer = get("TETHER_AS_ISSUER");
  e.metadata_url = get("TETHER_AS_METADATA");
  e.rs_url = get("TETHER_RS_URL");
  e.ca_file = get("TETHER_CA_FILE");
  e.client_id = get("TETHER_CLIENT_ID");
  e.auth_method = get("TETHER_CLIENT_AUTH_METHOD");
  e.secret = get("TETHER_CLIENT_SECRET");
  e.cert_file = get("TETHER_CLIENT_CERT");
  e.key_file = get("TETHER_CLIENT_KEY");
  e.binding = get("TETHER_BINDING");
  e.dpop_alg = get("TETHER_DPOP_ALG");
  e.scope = get("TETHER_SCOPE");
  e.redirect_uri = get("TETHER_REDIRECT_URI");
  e.trace = get("TETHER_TRACE");
  if (e.auth_method.empty()) e.auth_method = e.secret.empty() ? "none" : "client_secret_basic";
  if (e.binding.empty()) e.binding = "none";
  if (e.dpop_alg.empty()) e.dpop_alg = "ES256";
  return e;
}

bool flow_calls_resource(const std::string& flow) { return flow != "token"; }

env_check check_flow_env(const flow_env& e) {
  if (e.flow.empty()) return bad("no flow: give NAME or set TETHER_FLOW");
  if (!one_of(e.flow, flows))
    return unsupported("flow \"" + e.flow + "\" is not supported (token, token+resource, refresh+resource, code+resource)");
  if (!one_of(e.binding, bindings)) return unsupported("TETHER_BINDING \"" + e.binding + "\" is not supported (dpop, mtls, none)");
  if (!one_of(e.auth_method, methods))
    return unsupported("TETHER_CLIENT_AUTH_METHOD \"" + e.auth_method + "\" is not supported");
  if (e.binding == "dpop" && !one_of(e.dpop_alg, algs))
    return unsupported("TETHER_DPOP_ALG \"" + e.dpop_alg + "\" is not supported");
  if (e.issuer.empty()) return bad("TETHER_AS_ISSUER is not set");
  if (e.client_id.empty()) return bad("TETHER_CLIENT_ID is not set");
  if (flow_calls_resource(e.flow) && e.rs_url.empty()) return bad("TETHER_RS_URL is not set (flow " + e.flow + " calls a resource)");
  const bool cert_method = e.auth_method == "tls_client_auth" || e.auth_method == "self_signed_tls_client_auth";
  if ((cert_method || e.binding == "mtls") && e.cert_file.empty())
    return bad("TETHER_CLIENT_CERT is not set (" + (cert_method ? e.auth_method : std::string("binding mtls")) + " needs a certificate)");
  if (!e.cert_file.empty() && e.key_file.empty()) return bad("TETHER_CLIENT_KEY is not set for TETHER_CLIENT_CERT");
  if ((e.auth_method == "client_secret_basic" || e.auth_method == "client_secret_post") && e.secret.empty())
    return bad("TETHER_CLIENT_SECRET is not set (" + e.auth_method + ")");
  return {};
}

}  // namespace tether::client
