#pragma once
// The members of an RS resource event (docs/mock-events.md) built from what the handler
// observed: the connection, the credentials, the token, the answer. The handler adds binding,
// dpop, forwarded_cert, reason and knobs as it learns them.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "mocks/rs/challenge.hpp"
#include "mocks/rs/token_validation.hpp"

namespace tether::rs {

// server, endpoint, trace, listener, method, path, remote, tls, client_cert, authorization.
nlohmann::json base_event(const http::request& request, const http::connection_info& info);

// The client_cert member for a certificate (x5t#S256, subject, issuer, and verify when known).
nlohmann::json certificate_json(const tls::certificate& cert);

// token: format, valid, check, detail, cached, subject, client_id, scope, cnf.
nlohmann::json token_event(const token_outcome& outcome);

// response: status, error, error_description (from the refusal, when there is one),
// www_authenticate and dpop_nonce (from the response).
nlohmann::json response_event(const http::response& response, const rejection* refusal);

// Appends names not yet listed.
void add_knobs(std::vector<std::string>& into, const std::vector<std::string>& names);

}  // namespace tether::rs
