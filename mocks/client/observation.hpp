#pragma once
// The observation (docs/client-protocol.md): what was sent and what came back, as JSON. Pure
// functions of the request and the transport's result, so that every member is tested with
// canned responses. Nothing here judges: a 500 with garbage is recorded as faithfully as a 200.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/http/https_client.hpp"
#include "core/http/message.hpp"
#include "mocks/client/step_model.hpp"

namespace tether::client {

// Response bodies longer than this are cut in the observation ("body_truncated": true); the
// JSON member is still parsed from the whole body.
constexpr std::size_t max_observed_body = 64 * 1024;
// The longest response body tether-client reads (docs/client-protocol.md): past it the exchange
// fails at stage "read", saying so, and the step is not judged. A replay with `concurrent`
// copies holds at most that many bodies of this size, so memory stays bounded whatever a
// server sends (an OAuth answer is a few KiB).
constexpr std::uint64_t max_response_body = 1024 * 1024;

// [[name, value], ...] in order, repeated fields kept apart.
nlohmann::json headers_json(const http::header_list& headers);

// {"name", "x5t#S256", "subject"} of the certificate the connection presents, null for none.
// An unreadable file gives {"name", "file", "error"}: the request still goes out (and fails
// at the TLS layer), and the observation says why.
nlohmann::json cert_json(const tls_settings& tls);

// {"method", "url", "headers", "body"}; the executor adds cert, dpop and authorization.
nlohmann::json request_json(const std::string& url, const http::request& req);

// {"status", "headers", "body", "json", "challenges", "dpop_nonce", "dpop_nonces"}.
nlohmann::json response_json(const http::response& res);

// {"ok", "version", "stage", "error", "alert", "handshake_ms"}.
nlohmann::json tls_json(const http::exchange_result& result);

// Parsed WWW-Authenticate challenges: [{"scheme", "params": {...}, "token68"?}]. A field that
// does not parse gives an empty list and `error` its reason.
nlohmann::json challenges_json(const http::header_list& headers, std::string& error);

// An access token decoded WITHOUT verification, for judging: {"format": "jwt"|"opaque",
// "header", "claims", "cnf"}.
nlohmann::json decode_access_token(const std::string& token);

// The observation's "token" for a token response body, or null when the body carries no
// access_token (an error response, a non-JSON body).
nlohmann::json token_json(const nlohmann::json& body);

// RFC 9449 8 and 9: the server asks for a nonce, in the JSON body's error (AS: 400) or in a
// DPoP challenge's error (RS: 401). Both places are accepted whatever the status, because
// servers vary (requirements section 4, item 6).
bool asks_for_nonce(const http::response& res);

// {"request", "response" | absent, "tls"} of one attempt.
nlohmann::json attempt_json(const nlohmann::json& request, const http::exchange_result& result);

// The dump used for every line tether-client prints: compact, with invalid UTF-8 (a hostile
// body) replaced instead of throwing.
std::string dump_line(const nlohmann::json& j);

}  // namespace tether::client
