#include "mocks/rs/token_validation.hpp"

#include <algorithm>
#include <sstream>

#include "core/token/access_token.hpp"

namespace tether::rs {

namespace {

std::string string_claim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool audience_contains(const nlohmann::json& aud, const std::string& expected) {
  if (aud.is_string()) return aud.get<std::string>() == expected;
  if (!aud.is_array()) return false;
  return std::any_of(aud.begin(), aud.end(), [&](const nlohmann::json& a) {
    return a.is_string() && a.get<std::string>() == expected;
  });
}

// Fills out.token from claims, or fails with bad_cnf when cnf cannot be read: a token whose
// binding cannot be understood must not pass as a bearer token.
void accept(token_outcome& out, const nlohmann::json& claims) {
  auto cnf = token::read_confirmation(claims);
  if (!cnf) {
    out.check = "bad_cnf";
    out.detail = cnf.err().message;
    return;
  }
  validated_token t;
  t.format = out.format;
  t.claims = claims;
  t.cnf = std::move(*cnf);
  t.subject = string_claim(claims, "sub");
  t.client_id = string_claim(claims, "client_id");
  t.scopes = scopes_of(claims);
  if (auto exp = claims.find("exp"); exp != claims.end() && exp->is_number_integer())
    t.expires_at = exp->get<int64_t>();
  out.token = std::make_shared<const validated_token>(std::move(t));
  out.check = "ok";
}

}  // namespace

std::vector<std::string> scopes_of(const nlohmann::json& claims) {
  std::vector<std::string> out;
  if (!claims.is_object()) return out;
  auto it = claims.find("scope");
  if (it == claims.end() || !it->is_string()) return out;
  std::istringstream in(it->get<std::string>());
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

token_validator::token_validator(const rs_config& config, std::string issuer, jwks_source* keys,
                                 introspect_function introspect)
    : config_(config), issuer_(std::move(issuer)), keys_(keys), introspect_(std::move(introspect)) {}

token_outcome token_validator::validate(const std::string& token, int64_t now) {
  token_outcome out;
  out.format = config_.token_format;
  if (token.size() > max_token_bytes) {
    out.check = "too_long";
    out.detail = "the access token is " + std::to_string(token.size()) + " bytes long; at most " +
                 std::to_string(max_token_bytes) + " are read";
    return out;
  }
  if (config_.token_cache_s > 0) {
    if (auto hit = cache_.find(token, now)) {
      out.token = std::move(hit);
      out.cached = true;
      return out;
    }
  }
  out = config_.token_format == "introspection" ? validate_introspected(token, now)
                                                 : validate_jwt(token, now);
  // A token let through by a break knob is not remembered: the next request must meet the
  // knob again, so that the event log names it every time.
  if (out.ok() && out.knobs.empty() && config_.token_cache_s > 0) {
    int64_t until = now + config_.token_cache_s;
    if (out.token->expires_at > 0) until = std::min(until, out.token->expires_at + config_.token_leeway_s);
    cache_.store(token, out.token, until, now);
  }
  return out;
}

token_outcome token_validator::validate_jwt(const std::string& token, int64_t now) {
  token_outcome out;
  out.format = "jwt";
  if (!token::looks_like_jwt(token)) {
    out.check = "malformed";
    out.detail = "the access token is not a JWT (this resource server validates RFC 9068 JWTs)";
    return out;
  }
  auto keys = keys_ ? keys_->current() : nullptr;
  if (!keys) {
    out.check = "as_unavailable";
    out.unavailable = true;
    out.detail = "no JWKS of the authorization server is loaded";
    return out;
  }
  token::validation_policy policy;
  policy.issuer = issuer_;
  policy.audience = config_.skip_audience_check ? "" : config_.audience;
  policy.leeway_s = config_.token_leeway_s;
  policy.require_at_jwt_typ = !config_.accept_any_token_typ;

  auto verdict = token::validate_jwt(token, *keys, policy, now);
  if (verdict.check == token::token_check::unknown_key && keys_->refresh()) {
    // A kid the RS has not seen: the AS may have rotated its keys (RFC 7517 5, RFC 8414 2).
    keys = keys_->current();
    verdict = token::validate_jwt(token, *keys, policy, now);
  }
  out.claims = verdict.claims;
  if (!verdict.ok()) {
    bool unsigned_ok = verdict.check == token::token_check::bad_signature ||
                       verdict.check == token::token_check::unknown_key ||
                       verdict.check == token::token_check::bad_alg;
    if (config_.skip_token_signature_check && unsigned_ok && verdict.claims.is_object()) {
      out.knobs.push_back("skip_token_signature_check");
      accept(out, verdict.claims);
      return out;
    }
    out.check = token::to_string(verdict.check);
    out.detail = verdict.detail;
    return out;
  }
  if (config_.skip_audience_check || config_.accept_any_token_typ) {
    // Which break knob changed the answer: judge again as a correct RS would.
    token::validation_policy strict = policy;
    strict.audience = config_.audience;
    strict.require_at_jwt_typ = true;
    auto strict_verdict = token::validate_jwt(token, *keys, strict, now);
    if (strict_verdict.check == token::token_check::bad_audience) out.knobs.push_back("skip_audience_check");
    if (strict_verdict.check == token::token_check::bad_typ) out.knobs.push_back("accept_any_token_typ");
  }
  accept(out, verdict.claims);
  return out;
}

token_outcome token_validator::validate_introspected(const std::string& token, int64_t now) {
  token_outcome out;
  out.format = "introspection";
  if (!introspect_) {
    out.check = "as_unavailable";
    out.unavailable = true;
    out.detail = "no introspection endpoint is configured";
    return out;
  }
  auto answer = introspect_(token);
  if (!answer) {
    out.check = "as_unavailable";
    out.unavailable = true;
    out.detail = answer.err().message;
    return out;
  }
  const nlohmann::json& a = *answer;
  out.claims = a;
  if (!a["active"].get<bool>()) {
    out.check = "inactive";
    out.detail = "the authorization server reports the token inactive (RFC 7662 2.2)";
    return out;
  }
  // RFC 7662 2.2 members are optional; those present are believed only if they fit.
  if (auto exp = a.find("exp"); exp != a.end() && exp->is_number() &&
                                exp->get<double>() + static_cast<double>(config_.token_leeway_s) <
                                    static_cast<double>(now)) {
    out.check = "expired";
    out.detail = "the introspection response's exp is in the past";
    return out;
  }
  if (auto iss = a.find("iss"); iss != a.end() && iss->is_string() && iss->get<std::string>() != issuer_) {
    out.check = "bad_issuer";
    out.detail = "the introspection response's iss is not " + issuer_;
    return out;
  }
  if (auto aud = a.find("aud"); aud != a.end() && !config_.audience.empty() &&
                                !audience_contains(*aud, config_.audience)) {
    if (!config_.skip_audience_check) {
      out.check = "bad_audience";
      out.detail = "the introspection response's aud does not contain " + config_.audience;
      return out;
    }
    out.knobs.push_back("skip_audience_check");
  }
  accept(out, a);
  return out;
}

}  // namespace tether::rs
