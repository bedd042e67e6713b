#include "mocks/rs/introspection.hpp"

#include "core/jose/base64url.hpp"

namespace tether::rs {

result<introspection_client> parse_introspection_credentials(const std::string& url,
                                                             const std::string& id_secret) {
  if (url.rfind("https://", 0) != 0)
    return make_error("introspection.url", "--introspection must be an https URL, not \"" + url + "\"");
  auto colon = id_secret.find(':');
  if (colon == std::string::npos || colon == 0)
    return make_error("introspection.credentials",
                      "--introspection-client takes ID:SECRET (the RS's client registration at the AS)");
  return introspection_client{url, id_secret.substr(0, colon), id_secret.substr(colon + 1)};
}

http::request make_introspection_request(const introspection_client& client,
                                         const std::string& token) {
  http::request req;
  req.method = "POST";
  req.target = "";  // taken from the URL by the client transport
  // RFC 6749 2.3.1: id and secret are form-encoded before they are joined and base64'd.
  std::string basic = http::url_encode(client.client_id) + ":" + http::url_encode(client.client_secret);
  req.headers.add("Authorization", "Basic " + jose::base64_encode(basic));
  req.headers.add("Content-Type", "application/x-www-form-urlencoded");
  req.headers.add("Accept", "application/json");
  req.body = http::format_form({{"token", token}, {"token_type_hint", "access_token"}});
  return req;
}

result<nlohmann::json> read_introspection_response(const http::response& response) {
  if (response.status != 200)
    return make_error("introspection.status", "the introspection endpoint answered " +
                                                  std::to_string(response.status));
  auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object())
    return make_error("introspection.body", "the introspection response is not a JSON object");
  auto active = body.find("active");
  if (active == body.end() || !active->is_boolean())
    return make_error("introspection.active",
                      "the introspection response has no boolean \"active\" (RFC 7662 2.2)");
  return body;
}

}  // namespace tether::rs
