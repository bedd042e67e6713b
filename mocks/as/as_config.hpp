#pragma once
// Configuration of tether-as: the knobs (settings, emulated divergences, deliberate breaks) in
// one table, and the process options that are not knobs (ports, issuer, files). The mock is
// correct with a default-constructed as_config; every departure is a named knob.

#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "mocks/common/knob_table.hpp"

namespace tether::mocks {
struct common_options;  // mocks/common/mock_cli.hpp (kept out: CLI11 is slow to compile)
}

namespace tether::as {

struct as_config {
  // --- settings: ordinary configuration ---------------------------------------------------
  bool require_nonce = false;                  // RFC 9449 8
  std::string mtls_client_cert_mode = "optional";
  std::string token_format = "jwt";            // jwt (RFC 9068) | opaque (RFC 7662)
  std::string signing_alg = "ES256";
  int64_t access_token_lifetime_s = 300;
  bool publish_mtls_aliases = true;            // RFC 8705 5
  std::string audience = "tether-rs";
  int64_t nonce_lifetime_s = 120;
  int64_t max_refresh_grants = 10000;          // live refresh tokens kept (as_state.hpp)

  // --- emulates: answers the RFCs leave open, as real servers give them --------------------
  std::string mtls_and_dpop = "reject";        // table 2.2 G
  std::string missing_cert_policy = "error";   // RFC 8705 3.4, table 2.2 F
  std::string missing_cert_error = "invalid_request";
  std::string bad_proof_error = "invalid_dpop_proof";  // table 2.2 E2
  std::string dpop_jkt_mismatch_error = "invalid_grant";  // RFC 9449 10, table 2.2 H
  std::string dpop_bound_without_proof_error = "invalid_request";  // RFC 9449 5.2
  int64_t dpop_max_age_s = 300;                // RFC 9449 11.1
  int64_t dpop_max_future_s = 30;
  int64_t clock_offset_s = 0;

  // --- breaks: each violates a MUST, so that the catalogue can prove it notices -------------
  bool omit_cnf = false;
  bool pad_x5t = false;
  bool x5t_standard_base64 = false;
  bool token_type_bearer_for_dpop = false;
  bool accept_invalid_proof = false;
  bool skip_chain_validation = false;
  bool skip_subject_check = false;
  bool ignore_dpop_bound = false;
  bool skip_refresh_binding_check = false;
  bool skip_dpop_jkt_check = false;
  bool introspection_omit_cnf = false;
  bool no_replay_cache = false;
  bool replay_key_whole_proof = false;
  bool skip_nonce_check = false;
  std::string plain_jwt_typ_client;  // empty: every token is at+jwt
};

// The one table binding knob names to members, kinds and documentation.
const mocks::knob_table<as_config>& knobs();

// Combinations a table cannot express: an RSA alg with an EC default, negative lifetimes...
status validate(const as_config& config);

// Process options of tether-as that are not knobs.
struct as_options {
  int port = 0;                 // main listener; 0 = ephemeral
  int mtls_port = 0;            // mTLS listener (RFC 8705 5 aliases); 0 = ephemeral
  std::string issuer;           // default https://<host>:<port>
  std::string signing_key;      // PEM file; generated there when absent; empty: in memory only
  std::string clients_file;     // default targets/builtin-clients.json
  std::string introspection_client = "rs";  // client_id allowed to call /introspect
};

// Reads a JSON config file ({"port": 9443, "knobs": {...}, ...}) into the options and the
// config. Members named in `given` were set on the command line and keep that value. Relative
// paths are taken relative to the file. Unknown members are errors naming the member and file.
status apply_config_file(const nlohmann::json& file, const std::string& path,
                         const std::set<std::string>& given, as_options& options,
                         mocks::common_options& common, as_config& config);

// Path of targets/builtin-clients.json: $TETHER_HOME/targets/..., else the source tree's.
std::string default_clients_file();

}  // namespace tether::as
