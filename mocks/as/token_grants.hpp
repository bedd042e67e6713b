#pragma once
// The grants of the token endpoint: client_credentials (RFC 6749 4.4), authorization_code with
// PKCE (RFC 6749 4.1.3, RFC 7636 4.6) and dpop_jkt (RFC 9449 10), refresh_token (RFC 6749 6)
// with the key binding of public clients' refresh tokens (RFC 9449 5, RFC 8705 4).

#include <optional>
#include <string>
#include <vector>

#include "core/http/message.hpp"
#include "mocks/as/as_state.hpp"
#include "mocks/as/oauth_response.hpp"
#include "mocks/as/token_proof.hpp"

namespace tether::as {

struct grant_outcome {
  std::optional<oauth_error> error;
  std::string subject;
  std::string scope;
  std::vector<std::string> resources;
  std::optional<std::string> code;  // consumed only once the token is issued
};

// proof: the checked DPoP proof of this request; conn: for the certificate of a refresh token
// bound under RFC 8705 4.
grant_outcome run_grant(const std::string& grant_type, const form_params& params, const client& who,
                        const proof_outcome& proof, const http::connection_info& conn,
                        as_state& state, exchange& x);

// RFC 6749 3.3: scope = scope-token *( SP scope-token ), scope-token = 1*NQCHAR.
bool valid_scope(const std::string& scope);
// RFC 8707 2: an absolute URI without a fragment (checked loosely: scheme, "://", printable).
bool valid_resource(const std::string& resource);

}  // namespace tether::as
