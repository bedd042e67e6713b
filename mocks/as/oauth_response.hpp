#pragma once
// What every AS endpoint shares: the record of one exchange (the event written to the log
// before the response leaves), RFC 6749 5.2 error responses, JSON bodies that never throw on
// hostile text, and form parameters with repeats detected (RFC 6749 3.1, 3.2).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"

namespace tether::as {

// The event of one request (docs/mock-events.md), filled in by the handler.
struct exchange {
  nlohmann::json event = nlohmann::json::object();
  std::vector<std::string> knobs;  // knobs that changed this answer

  void used_knob(const std::string& name);
  void because(std::string reason) { event["reason"] = std::move(reason); }
};

struct oauth_error {
  std::string code;         // RFC 6749 5.2, RFC 9449 5/8 error code
  std::string description;  // one sentence naming what was wrong
  int status = 400;
  bool basic_challenge = false;  // 401 with WWW-Authenticate: Basic (RFC 6749 5.2)
};

// invalid_client: 401 with a Basic challenge when the client tried the Authorization header
// (RFC 6749 5.2 MUST), otherwise 400, so that no 401 goes out without a challenge (RFC 9110 15.5.2).
oauth_error client_error(std::string description, bool used_authorization_header);

// JSON body; token endpoint answers also get Cache-Control: no-store (RFC 6749 5.1, 5.2).
http::response json_response(int status, const nlohmann::json& body, bool no_store = true);
http::response error_response(const oauth_error& e);

// Serialises with invalid UTF-8 replaced, so that echoing request text can never throw.
std::string json_text(const nlohmann::json& j);
// A value from the request, quoted and cut for an error description: printable ASCII only.
std::string shown(std::string_view text);

// Form parameters (application/x-www-form-urlencoded, RFC 6749 appendix B). A parameter sent
// without a value counts as omitted (RFC 6749 3.1); a repeated one is listed in `repeated`
// (3.2: MUST NOT be included more than once), except `resource`, which RFC 8707 2 allows to
// repeat and whose values are kept in order in `resources`.
struct form_params {
  std::map<std::string, std::string> values;
  std::vector<std::string> repeated;
  std::vector<std::string> resources;

  const std::string* get(const std::string& name) const;
  bool has(const std::string& name) const { return get(name) != nullptr; }
};

form_params read_form(std::string_view encoded);
// The query component of an origin-form request target ("" when none).
std::string_view query_of(std::string_view target);
// The path component ("/token" of "/token?x=1").
std::string_view path_of(std::string_view target);

}  // namespace tether::as
