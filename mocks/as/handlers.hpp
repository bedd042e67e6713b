#pragma once
// The AS endpoints, one function each: a request and what the transport knew about its
// connection in, a response out, and the exchange's event filled in on the way. No sockets:
// tests call these directly.

#include "core/http/message.hpp"
#include "mocks/as/as_state.hpp"
#include "mocks/as/oauth_response.hpp"

namespace tether::as {

// RFC 8414 metadata (also served as /.well-known/openid-configuration).
http::response handle_metadata(const http::request& req, const as_state& state, exchange& x);
nlohmann::json metadata_document(const as_state& state);

// RFC 7517 JWK Set of the access-token signing key.
http::response handle_jwks(const http::request& req, const as_state& state, exchange& x);

// RFC 6749 4.1.1 authorization request, approved at once (no user interface): a redirect with
// the code, or an error.
http::response handle_authorize(const http::request& req, const http::connection_info& conn,
                                as_state& state, exchange& x);

// RFC 6749 3.2 token endpoint with RFC 8705 and RFC 9449.
http::response handle_token(const http::request& req, const http::connection_info& conn,
                            as_state& state, exchange& x);

// RFC 7662 introspection for the resource server's client.
http::response handle_introspect(const http::request& req, const http::connection_info& conn,
                                 as_state& state, exchange& x);

}  // namespace tether::as
