#pragma once
// The TETHER_* environment a client under test is given (targets/README.md), read and checked
// before anything is sent. What tether-client cannot do is "unsupported" (exit 89: the verdict
// is skip); what is missing or contradictory is bad input (exit 2).

#include <functional>
#include <string>

#include "core/util/result.hpp"

namespace tether::client {

struct flow_env {
  std::string flow;          // token, token+resource, refresh+resource, code+resource
  std::string issuer;        // TETHER_AS_ISSUER
  std::string metadata_url;  // TETHER_AS_METADATA ("" = derived from the issuer, RFC 8414 3.1)
  std::string rs_url;        // TETHER_RS_URL
  std::string ca_file;       // TETHER_CA_FILE
  std::string client_id;     // TETHER_CLIENT_ID
  std::string auth_method;   // TETHER_CLIENT_AUTH_METHOD
  std::string secret;        // TETHER_CLIENT_SECRET
  std::string cert_file;     // TETHER_CLIENT_CERT
  std::string key_file;      // TETHER_CLIENT_KEY
  std::string binding;       // TETHER_BINDING: dpop, mtls, none
  std::string dpop_alg;      // TETHER_DPOP_ALG (default ES256)
  std::string scope;         // TETHER_SCOPE
  std::string redirect_uri;  // TETHER_REDIRECT_URI (optional: the AS's single registered one otherwise)
  std::string trace;         // TETHER_TRACE (optional: Tether-Trace prefix for the mocks' logs)
};

enum class env_problem { none, unsupported, bad_input };

struct env_check {
  env_problem problem = env_problem::none;
  std::string message;
};

using env_getter = std::function<const char*(const char*)>;

// flow_name: the command-line NAME, which wins over TETHER_FLOW.
flow_env read_flow_env(const env_getter& getenv_fn, const std::string& flow_name);

env_check check_flow_env(const flow_env& env);

bool flow_calls_resource(const std::string& flow);

}  // namespace tether::client
