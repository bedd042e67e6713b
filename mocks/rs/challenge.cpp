#include "mocks/rs/challenge.hpp"

#include <charconv>

#include "core/http/www_authenticate.hpp"

namespace tether::rs {

const char* to_string(mechanism m) {
  switch (m) {
    case mechanism::none: return "none";
    case mechanism::bearer: return "Bearer";
    case mechanism::dpop: return "DPoP";
    case mechanism::both: return "both";
  }
  return "none";
}

namespace {

// RFC 6750 3: error_description and scope values MUST NOT include characters outside
// %x20-21 / %x23-5B / %x5D-7E. Descriptions quote request bytes and the scope comes from the
// path, so both are cleaned here: that also keeps CR/LF out of the header.
std::string param_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    if (ch == '"') out += '\'';
    else if (ch == '\\') out += '/';
    else if (u < 0x20 || u > 0x7e) out += '?';
    else out += ch;
  }
  return out;
}

void add_error_params(http::challenge& c, const rejection& r) {
  if (r.error.empty()) return;
  c.params.emplace_back("error", r.error);
  if (!r.description.empty()) c.params.emplace_back("error_description", param_text(r.description));
  if (!r.scope.empty()) c.params.emplace_back("scope", param_text(r.scope));
}

// Headers every answer of a protected resource carries. no-store: RFC 6750 5.3 and RFC 9449
// 8.2 (a cached answer would hand out a stale nonce). The expose list lets browser clients read
// the challenge and the nonce (RFC 9449 7.1, 8).
void add_common_headers(http::response& res, const std::optional<std::string>& nonce) {
  res.headers.add("Content-Type", "application/json");
  res.headers.add("Cache-Control", "no-store");
  res.headers.add("Access-Control-Expose-Headers", "WWW-Authenticate, DPoP-Nonce");
  // RFC 9449 8: never more than one DPoP-Nonce field.
  if (nonce) res.headers.add("DPoP-Nonce", *nonce);
}

}  // namespace

std::string challenge_header(const rejection& r, const rs_config& config) {
  std::optional<std::pair<std::string, std::string>> extra;
  if (auto eq = config.challenge_extra_param.find('='); eq != std::string::npos)
    extra.emplace(config.challenge_extra_param.substr(0, eq), config.challenge_extra_param.substr(eq + 1));

  http::challenge bearer{"Bearer", std::nullopt, {}};
  http::challenge dpop{"DPoP", std::nullopt, {}};
  for (http::challenge* c : {&bearer, &dpop}) {
    if (!config.realm.empty()) c->params.emplace_back("realm", config.realm);
  }
  // RFC 9449 7.2: the error goes on the challenge of the mechanism the client used, on both
  // when that is ambiguous, and on neither when no credentials came (RFC 6750 3.1).
  if (r.target == mechanism::bearer || r.target == mechanism::both) add_error_params(bearer, r);
  if (r.target == mechanism::dpop || r.target == mechanism::both) add_error_params(dpop, r);
  // RFC 9449 7.1: algs SHOULD be present on every DPoP challenge.
  std::string algs;
  for (const auto& alg : dpop_alg_list(config)) algs += (algs.empty() ? "" : " ") + alg;
  dpop.params.emplace_back("algs", algs);
  if (extra) {
    bearer.params.push_back(*extra);
    dpop.params.push_back(*extra);
  }
  return http::format_challenges({bearer, dpop});
}

http::response make_rejection_response(const rejection& r, const rs_config& config,
                                       const std::optional<std::string>& nonce) {
  http::response res;
  res.status = r.status;
  add_common_headers(res, nonce);
  res.headers.add("WWW-Authenticate", challenge_header(r, config));
  nlohmann::json body = nlohmann::json::object();
  if (!r.error.empty()) body["error"] = r.error;
  if (!r.description.empty()) body["error_description"] = r.description;
  if (!r.scope.empty()) body["scope"] = r.scope;
  res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

http::response make_success_response(const nlohmann::json& body,
                                     const std::optional<std::string>& nonce) {
  http::response res;
  res.status = 200;
  add_common_headers(res, nonce);
  res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

rejection no_credentials(std::string description) {
  rejection r;
  r.status = 401;
  r.target = mechanism::none;
  r.description = std::move(description);
  r.reason = "the request carried no access token this server understands, so both challenges "
             "are sent without an error code (RFC 6750 3.1, RFC 9449 7.2)";
  return r;
}

rejection invalid_request(std::string description, mechanism target, std::string reason) {
  return rejection{400, "invalid_request", std::move(description), target, "", std::move(reason), {}};
}

rejection invalid_token(std::string description, mechanism target, std::string reason) {
  return rejection{401, "invalid_token", std::move(description), target, "", std::move(reason), {}};
}

rejection invalid_dpop_proof(std::string description, const rs_config& config, std::string reason) {
  rejection r{401, "invalid_dpop_proof", std::move(description), mechanism::dpop, "", std::move(reason), {}};
  if (config.bad_proof_status == "400") {
    r.status = 400;
    r.knobs.push_back("bad_proof_status");
  }
  return r;
}

rejection use_dpop_nonce(std::string description, std::string reason) {
  // RFC 9449 9: always 401 at a resource server, with the DPoP challenge and a DPoP-Nonce.
  return rejection{401, "use_dpop_nonce", std::move(description), mechanism::dpop, "", std::move(reason), {}};
}

rejection insufficient_scope(std::string scope, mechanism target) {
  rejection r{403, "insufficient_scope", "the access token does not grant the scope \"" + scope + "\"",
              target, scope, "", {}};
  r.reason = "the path requires scope \"" + scope + "\" and the token does not have it (RFC 6750 3.1)";
  return r;
}

void apply_status_error(rejection& r, const std::string& status_error) {
  auto sep = status_error.find('_');
  if (sep == std::string::npos) return;
  int status = 0;
  auto [end, ec] = std::from_chars(status_error.data(), status_error.data() + sep, status);
  if (ec != std::errc() || end != status_error.data() + sep) return;
  r.status = status;
  r.error = status_error.substr(sep + 1);
}

}  // namespace tether::rs
