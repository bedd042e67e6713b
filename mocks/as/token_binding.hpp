#pragma once
// Which key an access token is bound to: the client certificate (RFC 8705 3, 4) for clients
// registered with tls_client_certificate_bound_access_tokens, the DPoP key (RFC 9449 5) when a
// valid proof came along, both or neither; and the refusals the RFCs ask for (RFC 9449 5.2) or
// leave to the AS (RFC 8705 3.4, and a request carrying both, table 2.2 G).

#include <optional>

#include "core/http/message.hpp"
#include "mocks/as/as_state.hpp"
#include "mocks/as/oauth_response.hpp"
#include "mocks/as/token_issue.hpp"
#include "mocks/as/token_proof.hpp"

namespace tether::as {

struct binding_decision {
  binding bound;
  std::optional<oauth_error> error;
};

// used_authorization_header: for the status of an invalid_client answer (RFC 6749 5.2). cfg is
// the AS's configuration, or the token profile the request selected (token_profiles.hpp).
binding_decision decide_binding(const client& who, const http::connection_info& conn,
                                const proof_outcome& proof, bool used_authorization_header,
                                const as_config& cfg, exchange& x);

}  // namespace tether::as
