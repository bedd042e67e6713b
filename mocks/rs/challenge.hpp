#pragma once
// The answers of a resource server that serves both the Bearer (RFC 6750) and DPoP (RFC 9449)
// schemes: a refusal names its status, error code and which challenge carries the error, and
// is turned into WWW-Authenticate challenges, a JSON body and the cache headers here, in one
// place, following RFC 9449 7.2's rules for several challenges.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "mocks/rs/rs_config.hpp"

namespace tether::rs {

// Which challenge delivers the error (RFC 9449 7.2): none when the request carried no
// credentials, the mechanism the client used when that is clear, both when it is ambiguous.
enum class mechanism { none, bearer, dpop, both };

const char* to_string(mechanism);

struct rejection {
  int status = 401;
  std::string error;        // "" only with mechanism::none: no credentials (RFC 6750 3.1)
  std::string description;  // error_description: names what was wrong
  mechanism target = mechanism::none;
  std::string scope;        // insufficient_scope: the scope needed (RFC 6750 3)
  std::string reason;       // one sentence for the event log: why this answer
  std::vector<std::string> knobs;  // knobs that shaped this answer
};

// What a rejection looks like on the wire. nonce: a DPoP-Nonce value to send, if any.
http::response make_rejection_response(const rejection& r, const rs_config& config,
                                       const std::optional<std::string>& nonce);

// The WWW-Authenticate value alone (both challenges, error where r.target says).
std::string challenge_header(const rejection& r, const rs_config& config);

// 200 with a JSON body describing what was accepted.
http::response make_success_response(const nlohmann::json& body,
                                     const std::optional<std::string>& nonce);

// Refusals for the cases where RFC 6750 3.1 and RFC 9449 7.1 name the code; the knob-shaped
// ones are built by the checks that meet them.
rejection no_credentials(std::string description);
rejection invalid_request(std::string description, mechanism target, std::string reason);
rejection invalid_token(std::string description, mechanism target, std::string reason);
rejection invalid_dpop_proof(std::string description, const rs_config& config, std::string reason);
rejection use_dpop_nonce(std::string description, std::string reason);
rejection insufficient_scope(std::string scope, mechanism target);

// A "<status>_<error>" knob value ("400_invalid_request") applied to r.
void apply_status_error(rejection& r, const std::string& status_error);

}  // namespace tether::rs
