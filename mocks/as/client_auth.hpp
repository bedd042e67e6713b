#pragma once
// Client authentication at the token and introspection endpoints: client_secret_basic and
// client_secret_post (RFC 6749 2.3.1), none (public clients), tls_client_auth (RFC 8705 2.1:
// chain validation, then the one registered subject value) and self_signed_tls_client_auth
// (RFC 8705 2.2: the presented certificate is one the client registered).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "mocks/as/as_state.hpp"
#include "mocks/as/oauth_response.hpp"

namespace tether::as {

struct auth_result {
  const client* who = nullptr;        // set when authentication succeeded
  std::string client_id;              // as the request named it (even when it failed)
  bool client_id_in_request = false;  // the client_id parameter was present (RFC 8705 2)
  std::string method;                 // the method the request used (or tried)
  bool used_authorization_header = false;
  std::optional<oauth_error> error;
  bool ok() const { return who != nullptr && !error; }
};

// Records client_id, client_id_in_request, auth_method, client_authenticated and the details
// of certificate checks in x.event; names the knobs that changed the outcome.
auth_result authenticate_client(const http::request& req, const form_params& params,
                                const http::connection_info& conn, const as_state& state,
                                exchange& x);

// RFC 8705 2.1.2: does the certificate carry the client's registered subject value?
bool subject_matches(const tls::certificate& cert, const client& c);

}  // namespace tether::as
