// Requests to the authorization server: token (RFC 6749 3.2, 4.1.3, 4.4, 6), authorization
// (4.1.1 with PKCE, RFC 7636, and dpop_jkt, RFC 9449 10) and introspection (RFC 7662 2.1),
// with client authentication by the registered method (RFC 6749 2.3, RFC 8705 2).

#include <optional>

#include <openssl/rand.h>

#include "core/dpop/proof_builder.hpp"
#include "core/jose/base64url.hpp"
#include "mocks/client/requests.hpp"

namespace tether::client {
namespace {

// application/x-www-form-urlencoded of one value: core/http's form writer encodes "name=";
// the part before '=' is exactly the encoded value.
std::string form_encoded(const std::string& value) {
  std::string pair = http::format_form({{value, ""}});
  return pair.substr(0, pair.size() - 1);
}

// The step's extra fields too: the runner selects a pinned AS's token profile by one
// (runner/pinned_profiles.hpp).
void common_headers(http::request& req, const resolved_step& step) {
  if (!step.trace.empty()) req.headers.add("Tether-Trace", step.trace);
  for (const auto& [name, value] : step.headers) req.headers.add(name, value);
}

prepared_request form_post(const resolved_step& step, const string_pairs& form) {
  prepared_request p;
  p.url = step.url;
  p.tls = step.tls;
  p.req.method = "POST";
  p.req.target = "";
  p.req.headers.add("Content-Type", "application/x-www-form-urlencoded");
  p.req.headers.add("Accept", "application/json");
  common_headers(p.req, step);
  p.req.body = http::format_form(form);
  return p;
}

// A form POST with the step's client authentication, by method, then the step's overrides.
// The certificate methods put client_id in the body, which RFC 8705 2 requires of every
// request that authenticates with a certificate.
prepared_request authenticated_form_post(const resolved_step& step, string_pairs form) {
  const client_identity& c = step.client;
  std::optional<std::string> basic;
  if (c.auth_method == "client_secret_basic") {
    basic = "Basic " + basic_credentials(c.client_id, c.secret.value_or(""));
  } else {
    form.emplace_back("client_id", c.client_id);
    if (c.auth_method == "client_secret_post") form.emplace_back("client_secret", c.secret.value_or(""));
  }
  prepared_request p = form_post(step, with_overrides(std::move(form), step.params, step.omit_params));
  if (basic) p.req.headers.add("Authorization", *basic);
  p.observed = {{"client_auth", {{"method", c.auth_method}, {"client_id", c.client_id}}}};
  return p;
}

std::string append_query(const std::string& url, const std::string& query) {
  if (query.empty()) return url;
  auto hash = url.find('#');
  std::string base = hash == std::string::npos ? url : url.substr(0, hash);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace

std::string basic_credentials(const std::string& client_id, const std::string& secret) {
  return jose::base64_encode(form_encoded(client_id) + ":" + form_encoded(secret));
}

string_pairs with_overrides(string_pairs fields, const string_pairs& params, const std::vector<std::string>& omit) {
  for (const auto& [name, value] : params) {
    bool replaced = false;
    for (auto& f : fields) {
      if (f.first == name && !replaced) {
        f.second = value;
        replaced = true;
      }
    }
    if (!replaced) fields.emplace_back(name, value);
  }
  for (const auto& name : omit)
    std::erase_if(fields, [&](const auto& f) { return f.first == name; });
  return fields;
}

result<std::string> random_text(std::size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1)
    return make_error("random", "the random generator failed");
  return jose::base64url_encode(bytes);
}

result<prepared_request> prepare_token(const resolved_step& step) {
  string_pairs form = {{"grant_type", step.grant}};
  if (step.grant == "authorization_code") {
    if (step.code) form.emplace_back("code", *step.code);
    // RFC 6749 4.1.3: redirect_uri only when the authorization request had one.
    if (step.redirect_uri && !step.redirect_uri->empty()) form.emplace_back("redirect_uri", *step.redirect_uri);
    if (step.code_verifier && !step.code_verifier->empty()) form.emplace_back("code_verifier", *step.code_verifier);
  } else if (step.grant == "refresh_token") {
    if (step.refresh_token) form.emplace_back("refresh_token", *step.refresh_token);
  }
  if (step.scope) form.emplace_back("scope", *step.scope);
  prepared_request p = authenticated_form_post(step, std::move(form));
  // RFC 9449 4.2: htm POST and htu the token endpoint's URL.
  if (step.dpop) p.proof = proof_target{"POST", step.url, std::nullopt};
  return p;
}

result<prepared_request> prepare_introspect(const resolved_step& step) {
  return authenticated_form_post(step, {{"token", step.token}});
}

result<prepared_request> prepare_authorize(const resolved_step& step, run_state& state, authorize_secrets& secrets) {
  auto st = random_text(16);
  if (!st) return st.err();
  secrets.state = *st;
  string_pairs query = {{"response_type", "code"}, {"client_id", step.client.client_id}, {"state", secrets.state}};
  if (step.pkce) {
    auto verifier = random_text(32);  // 43 characters: RFC 7636 4.1's minimum, 256 bits
    if (!verifier) return verifier.err();
    secrets.code_verifier = *verifier;
    // RFC 7636 4.2 S256 is BASE64URL(SHA256(ASCII(verifier))): the same transform as ath.
    secrets.code_challenge = dpop::access_token_hash(*verifier);
    query.emplace_back("code_challenge", *secrets.code_challenge);
    query.emplace_back("code_challenge_method", "S256");
  }
  if (step.dpop_jkt.is_string()) {
    secrets.dpop_jkt = step.dpop_jkt.get<std::string>();
  } else if (step.dpop_jkt.is_object()) {
    const std::string name = step.dpop_jkt["key"].get<std::string>();
    auto key = state.key(name, step.dpop ? step.dpop->alg : "");
    if (!key) return key.err();
    secrets.dpop_jkt = (*key)->thumbprint();  // RFC 9449 10: the JWK thumbprint of the proof key
  }
  if (secrets.dpop_jkt) query.emplace_back("dpop_jkt", *secrets.dpop_jkt);
  query = with_overrides(std::move(query), step.params, step.omit_params);
  for (const auto& [name, value] : query)
    if (name == "redirect_uri") secrets.redirect_uri = value;

  prepared_request p;
  p.url = append_query(step.url, http::format_form(query));
  p.tls = step.tls;
  p.req.method = step.method.empty() ? "GET" : step.method;
  p.req.target = "";
  common_headers(p.req, step);
  return p;
}

nlohmann::json authorization_json(const http::response& res, const authorize_secrets& secrets) {
  nlohmann::json out = {{"location", nullptr}, {"code", nullptr}, {"state", nullptr}, {"iss", nullptr},
                        {"error", nullptr}, {"error_description", nullptr},
                        {"state_sent", secrets.state}, {"state_matches", false},
                        {"code_verifier", secrets.code_verifier ? nlohmann::json(*secrets.code_verifier) : nlohmann::json()},
                        {"code_challenge", secrets.code_challenge ? nlohmann::json(*secrets.code_challenge) : nlohmann::json()},
                        {"redirect_uri", secrets.redirect_uri ? nlohmann::json(*secrets.redirect_uri) : nlohmann::json()},
                        {"dpop_jkt", secrets.dpop_jkt ? nlohmann::json(*secrets.dpop_jkt) : nlohmann::json()}};
  auto location = res.headers.first("Location");
  if (!location) return out;
  out["location"] = *location;
  // The redirect is read, never followed: the client is its own user agent (RFC 6749 4.1.2).
  std::string rest = location->substr(0, location->find('#'));
  auto q = rest.find('?');
  if (q == std::string::npos) return out;
  for (const auto& [name, value] : http::parse_form(std::string_view(rest).substr(q + 1))) {
    for (const char* member : {"code", "state", "iss", "error", "error_description"})
      if (name == member && out[member].is_null()) out[member] = value;
  }
  out["state_matches"] = out["state"] == secrets.state;
  return out;
}

}  // namespace tether::client
