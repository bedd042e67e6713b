#pragma once
// Builds the HTTP request of each action from a resolved step, without proofs (those are made
// per attempt) and without sending anything: what goes on the wire is decided here and only
// here, so the tests can read it byte for byte.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "core/util/result.hpp"
#include "mocks/client/proofs.hpp"
#include "mocks/client/run_state.hpp"
#include "mocks/client/step_model.hpp"

namespace tether::client {

struct prepared_request {
  std::string url;                    // including the query, as sent
  http::request req;                  // target left empty: the transport takes it from url
  tls_settings tls;
  std::optional<proof_target> proof;  // set when the step sends DPoP proofs
  nlohmann::json observed = nlohmann::json::object();  // added to the observation's "request"
};

// What an authorization request keeps for the observation and the token request after it.
struct authorize_secrets {
  std::string state;
  std::optional<std::string> code_verifier;    // PKCE (RFC 7636 4.1)
  std::optional<std::string> code_challenge;
  std::optional<std::string> redirect_uri;     // as sent, if sent
  std::optional<std::string> dpop_jkt;         // as sent, if sent
};

result<prepared_request> prepare_token(const resolved_step& step);
result<prepared_request> prepare_authorize(const resolved_step& step, run_state& state, authorize_secrets& secrets);
result<prepared_request> prepare_resource(const resolved_step& step);
result<prepared_request> prepare_introspect(const resolved_step& step);
result<prepared_request> prepare_fetch(const resolved_step& step);

// The observation's "authorization" member of an authorize step: what the 302's Location says
// (code, state, iss, error) next to what was sent (code_verifier, redirect_uri, dpop_jkt).
nlohmann::json authorization_json(const http::response& res, const authorize_secrets& secrets);

// RFC 6749 2.3.1: client_id and secret are each form-encoded, joined with ':', then base64'd.
std::string basic_credentials(const std::string& client_id, const std::string& secret);

// Form fields with the step's overrides: params replace a field of the same name (or are
// appended), then omit_params remove every field of the names given.
string_pairs with_overrides(string_pairs fields, const string_pairs& params, const std::vector<std::string>& omit);

// n random bytes, base64url (state, PKCE verifier).
result<std::string> random_text(std::size_t n);

}  // namespace tether::client
