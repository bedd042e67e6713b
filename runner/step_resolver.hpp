#pragma once
// Turns a scenario step into the client protocol's resolved step (docs/client-protocol.md):
// every reference replaced by a value, so that tether-client never reads scenario or target
// files. URLs come from the mocks' ready lines or the target, certificate paths from the
// certificate set (or the target's overrides), client details from the target's registrations,
// tokens and codes from earlier observations.

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "runner/scenario_model.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

// Where the servers of this scenario are.
struct endpoints {
  std::string issuer;
  std::string token_endpoint;
  std::string mtls_token_endpoint;  // RFC 8705 5 alias; "" when none
  std::string authorization_endpoint;
  std::string introspection_endpoint;
  std::string jwks_uri;
  // Where the AS's metadata was found: the one home of that URL for scenarios, the client
  // under test and the report (an issuer with a path, an AS with only OpenID Connect discovery).
  std::string metadata_url;
  std::string as_ca_file;
  std::string rs_url;       // origin of the RS
  std::string rs_resource;  // its default protected resource
  std::map<std::string, std::string> rs_paths;  // an external RS's URL for a step's path
  std::string rs_ca_file;
  std::string rs_second_instance;  // origin of a second instance of the RS (replays with instance 2)
};

struct resolve_context {
  const target* tgt = nullptr;
  std::string certs_dir;
  endpoints ep;
  std::string trace;
  int timeout_ms = 10000;
  // Earlier steps of this run, by name: what was observed and what was sent.
  const std::map<std::string, nlohmann::json>* observations = nullptr;
  const std::map<std::string, nlohmann::json>* resolved = nullptr;
};

result<nlohmann::json> resolve_step(const step& st, const resolve_context& ctx);

// TLS settings presenting a certificate by name (or none): {ca_file, cert_file, key_file, cert_name}.
nlohmann::json tls_block(const std::string& ca_file, const nlohmann::json& cert_name, const resolve_context& ctx);

// "https://host:port" of a URL (the URL itself when it has no path).
std::string origin_of(const std::string& url);

// Does the step need the AS or the RS? (so that only the servers a scenario uses are started)
bool step_needs_as(const step& st);
bool step_needs_rs(const step& st);

}  // namespace tether::runner
