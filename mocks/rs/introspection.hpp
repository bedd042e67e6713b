#pragma once
// RFC 7662 token introspection from the resource server's side: the request it sends (client
// credentials in HTTP Basic, RFC 6749 2.3.1) and the reading of the answer. The transport is
// the caller's (main.cpp uses https_client), so both halves are tested without sockets.

#include <string>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "core/util/result.hpp"

namespace tether::rs {

struct introspection_client {
  std::string url;
  std::string client_id;
  std::string client_secret;
};

// "ID:SECRET" from the command line; the error says what is missing.
result<introspection_client> parse_introspection_credentials(const std::string& url,
                                                             const std::string& id_secret);

http::request make_introspection_request(const introspection_client& client,
                                         const std::string& token);

// 200 with a JSON object holding a boolean "active" (RFC 7662 2.2); anything else is an error
// naming what the AS sent, so the RS can say the AS failed rather than blame the token.
result<nlohmann::json> read_introspection_response(const http::response& response);

}  // namespace tether::rs
