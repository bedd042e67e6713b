#pragma once
// A resolved step (docs/client-protocol.md): a scenario step with every reference replaced by a
// value, read strictly from JSON. The same structs are filled by the shell commands and the
// flow mode, so that all three uses of tether-client run the one executor.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dpop/proof_builder.hpp"
#include "core/tls/forwarded_cert.hpp"
#include "core/util/result.hpp"

namespace tether::client {

using string_pairs = std::vector<std::pair<std::string, std::string>>;

// How the connection is made: trust anchors, and the client certificate presented (if any).
struct tls_settings {
  std::string ca_file;    // "" = the executor's default
  std::string cert_file;  // "" = no client certificate
  std::string key_file;
  std::string cert_name;  // the suite's name for it ("client-a"), for the observation
};

struct client_identity {
  std::string client_id;
  std::string auth_method = "none";  // tls_client_auth, self_signed_tls_client_auth,
                                     // client_secret_basic, client_secret_post, none
  std::optional<std::string> secret;
};

// What the DPoP proof of a request should be (scenarios/README.md, "A proof").
struct proof_options {
  std::string key = "k1";          // key name in the run; created on first use
  std::string alg;                 // "" = ES256 for a new key, the key's default otherwise
  std::string nonce = "auto";      // auto (the last nonce of this server), none, or a literal
  bool retry_on_nonce = true;      // one retry on use_dpop_nonce (RFC 9449 8, 9), auto only
  dpop::proof_defects defects;
  int64_t headers = 1;             // how many DPoP fields (each a fresh proof); 0 = none
  std::string header_name = "DPoP";
};

struct forwarded_cert_options {
  tls::forwarded_format format = tls::forwarded_format::rfc9440;
  std::string via = "proxy";            // proxy | direct: recorded; the tls block says which
                                        // certificate the connection presents
  std::optional<std::string> value;     // a literal header value (overrides cert_file)
  std::string cert_name;
  std::string cert_file;
};

struct resolved_step {
  std::string name;
  std::string action;      // token, authorize, resource, introspect, fetch, replay
  std::string trace;       // sent as Tether-Trace
  int64_t timeout_ms = 10000;
  std::string url;
  std::string method = "GET";
  tls_settings tls;

  // token, authorize, introspect
  client_identity client;
  std::string grant = "client_credentials";
  std::optional<std::string> code, code_verifier, redirect_uri, refresh_token, scope;
  string_pairs params;                  // extra or overriding form parameters
  std::vector<std::string> omit_params;
  std::optional<proof_options> dpop;

  // authorize
  bool pkce = true;
  nlohmann::json dpop_jkt;              // null, a literal string, or {"key": name}

  // resource
  std::optional<std::string> access_token;
  std::optional<std::string> token_type;
  std::string scheme = "auto";          // auto, Bearer, DPoP, any text, none
  string_pairs headers;                 // extra header fields, in order
  int64_t authorization_headers = 1;
  std::string token_in = "header";      // header, body, query, header_and_body
  std::optional<forwarded_cert_options> forwarded_cert;

  // introspect
  std::string token;

  // replay
  std::string of;
  int64_t concurrent = 1;
  std::string to;  // another origin to send the copy to (a second instance of the server); "" = the original's
};

// Every error names the member ("step.dpop.nonce must be a string").
result<resolved_step> parse_step(const nlohmann::json& j);
result<proof_options> parse_proof_options(const nlohmann::json& j, const std::string& where);
result<tls_settings> parse_tls(const nlohmann::json& j, const std::string& where);

}  // namespace tether::client
