#pragma once
// Everything that shapes tether-rs's answers, as one struct bound to names by one knob table
// (knob_table.hpp): settings (ordinary configuration, also the scenario `environment`), the
// emulation knobs (answers real servers differ on where the RFCs leave a choice) and the
// knobs that break a MUST on purpose, each proven by a test in suites/rs.
//
// A default-constructed rs_config is the correct resource server.

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/result.hpp"
#include "mocks/common/knob_table.hpp"

namespace tether::rs {

// The audience an access token must name when none is configured (RFC 9068 4: the RS MUST
// check aud). tether-as issues tokens for it unless told otherwise.
inline constexpr const char* default_audience = "tether-rs";

struct rs_config {
  // --- settings -------------------------------------------------------------------------
  std::string client_cert_mode = "optional";  // none | optional | required (TLS layer)
  std::string token_format = "jwt";           // jwt | introspection
  bool require_nonce = false;                 // RFC 9449 9: demand an RS-issued nonce
  std::string trusted_proxy;                  // "" or rfc9440 | xfcc | escaped_pem | base64_der
  std::string dpop_algs = "ES256 ES384 ES512 PS256 RS256 EdDSA";
  std::string audience = default_audience;
  std::string realm = "tether-rs";
  bool token_in_body = true;    // RFC 6750 2.2 form-encoded body parameter accepted
  bool token_in_query = true;   // RFC 6750 2.3 URI query parameter accepted
  int64_t token_cache_s = 60;   // validated tokens remembered this long (0: no cache)
  int64_t nonce_lifetime_s = 120;
  int64_t token_leeway_s = 30;  // clock leeway for exp/nbf/iat of access tokens
  std::string public_origin;    // origin clients use (htu); "" = the listener's own

  // --- emulates: choices real servers make differently --------------------------------
  std::string missing_cert_response = "401_invalid_token";
  std::string bad_proof_status = "401";
  std::string dpop_scheme_without_proof = "400_invalid_request";
  std::string downgrade_response = "401_invalid_token";
  std::string key_mismatch_error = "invalid_token";
  std::string replay_error = "invalid_dpop_proof";
  int64_t dpop_max_age_s = 300;
  int64_t dpop_max_future_s = 30;
  int64_t clock_offset_s = 0;
  std::string challenge_extra_param;  // "name=value" added to every challenge
  std::string cnf_policy = "all";     // all | first | any

  // --- breaks: each one violates a MUST ------------------------------------------------
  bool skip_ath_check = false;
  bool skip_cnf_check = false;
  bool accept_private_jwk = false;
  bool accept_missing_claims = false;
  bool no_replay_cache = false;
  bool replay_key_whole_proof = false;
  bool htu_from_forwarded_headers = false;
  bool accept_bearer_downgrade = false;
  std::string htu_comparison = "normalised";  // or "exact"
  bool case_insensitive_htu = false;
  bool trust_any_proxy_header = false;
  bool skip_htm_check = false;
  bool skip_htu_check = false;
  bool skip_iat_check = false;
  bool skip_nonce_check = false;
  bool skip_token_signature_check = false;
  bool skip_audience_check = false;
  bool accept_any_token_typ = false;
  bool accept_unbound_dpop_scheme = false;
  bool accept_missing_cert = false;
};

const mocks::knob_table<rs_config>& rs_knobs();

// Cross-field checks the table cannot express (alg names, the extra auth-param's syntax,
// non-negative windows). The error names the knob.
status validate(const rs_config& config);

// dpop_algs as a list.
std::vector<std::string> dpop_alg_list(const rs_config& config);

}  // namespace tether::rs
