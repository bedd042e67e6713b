#pragma once
// The DPoP proof of a token request (RFC 9449 5): verified with core/dpop under the AS's policy
// (window, nonces, replay cache), its verdict mapped to the error the AS answers
// (invalid_dpop_proof, or use_dpop_nonce with a fresh DPoP-Nonce, RFC 9449 8), and the knobs
// that relax it applied here and nowhere else.

#include <optional>
#include <string>

#include "core/http/message.hpp"
#include "mocks/as/as_state.hpp"
#include "mocks/as/oauth_response.hpp"

namespace tether::as {

struct proof_outcome {
  bool present = false;             // the request carried a DPoP header
  std::optional<std::string> jkt;   // the key to bind to, when the proof was accepted
  std::optional<oauth_error> error;
  bool wants_nonce = false;         // the error is use_dpop_nonce: send a DPoP-Nonce
};

// url: the published URL of the endpoint on the listener the request came in on.
proof_outcome check_token_proof(const http::request& req, const std::string& url,
                                as_state& state, exchange& x);

// Adds exactly one DPoP-Nonce header with a fresh nonce (RFC 9449 8: never more than one).
void add_fresh_nonce(http::response& res, const as_state& state);

}  // namespace tether::as
