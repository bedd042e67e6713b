#pragma once
// The knobs of `tether-client flow`, the client under test. By default the flow behaves as a
// correct client application; each `breaks` knob makes it violate one client requirement of
// RFC 8705 or RFC 9449, so that the client-role scenarios can prove they notice. One table binds
// names, members, kinds and documentation (mocks/common/knob_table.hpp).

#include <cstdint>
#include <string>

#include "mocks/common/knob_table.hpp"

namespace tether::client {

struct client_config {
  // --- settings ---------------------------------------------------------------------------
  int64_t timeout_ms = 10000;           // per step, retries included
  bool send_dpop_jkt = true;            // RFC 9449 10, code flow with DPoP
  std::string other_cert = "client-b";  // what other_cert_at_rs presents (suite certificate name)

  // --- breaks -----------------------------------------------------------------------------
  bool omit_ath = false;
  bool reuse_jti = false;
  bool ignore_nonce = false;
  bool wrong_htm = false;
  bool wrong_htu = false;
  bool bearer_scheme = false;
  bool omit_client_id = false;
  bool ignore_mtls_aliases = false;
  bool other_cert_at_rs = false;
  bool new_key_on_refresh = false;
  bool as_nonce_at_rs = false;
  bool ignore_nonce_rotation = false;
  bool accept_bearer_token_type = false;
};

const mocks::knob_table<client_config>& client_knobs();

}  // namespace tether::client
