#include "core/token/access_token.hpp"

#include <algorithm>

#include "core/jose/base64url.hpp"
#include "core/jose/jws.hpp"

namespace tether::token {

const char* to_string(token_check c) {
  switch (c) {
    case token_check::ok: return "ok";
    case token_check::malformed: return "malformed";
    case token_check::bad_typ: return "bad_typ";
    case token_check::bad_alg: return "bad_alg";
    case token_check::unknown_key: return "unknown_key";
    case token_check::bad_signature: return "bad_signature";
    case token_check::bad_issuer: return "bad_issuer";
    case token_check::bad_audience: return "bad_audience";
    case token_check::expired: return "expired";
    case token_check::not_yet_valid: return "not_yet_valid";
    case token_check::missing_claim: return "missing_claim";
  }
  return "unknown";
}

result<std::string> issue_jwt(const nlohmann::json& claims, const jose::jwk& key, std::string_view alg,
                              std::string_view typ) {
  nlohmann::json header = {{"typ", std::string(typ)}, {"alg", std::string(alg)}};
  if (auto kid = key.extra_members().find("kid"); kid != key.extra_members().end()) header["kid"] = *kid;
  return jose::sign_compact(header, claims.dump(), key, alg);
}

namespace {

token_verdict fail(token_check check, std::string detail, token_verdict v = {}) {
  v.check = check;
  v.detail = std::move(detail);
  return v;
}

bool audience_contains(const nlohmann::json& aud, const std::string& expected) {
  if (aud.is_string()) return aud.get<std::string>() == expected;
  if (aud.is_array())
    return std::any_of(aud.begin(), aud.end(),
                       [&](const nlohmann::json& a) { return a.is_string() && a.get<std::string>() == expected; });
  return false;
}

// RFC 9068 2.2 lists the required claims; their types are checked so that a later comparison
// never throws on a hostile token.
token_verdict check_required_claims(token_verdict v) {
  for (const char* name : {"iss", "sub", "client_id", "jti"}) {
    auto it = v.claims.find(name);
    if (it == v.claims.end() || !it->is_string())
      return fail(token_check::missing_claim, std::string("claim \"") + name + "\" is missing or not a string", std::move(v));
  }
  for (const char* name : {"exp", "iat"}) {
    auto it = v.claims.find(name);
    if (it == v.claims.end() || !it->is_number())
      return fail(token_check::missing_claim, std::string("claim \"") + name + "\" is missing or not a number", std::move(v));
  }
  auto aud = v.claims.find("aud");
  if (aud == v.claims.end() || !(aud->is_string() || aud->is_array()))
    return fail(token_check::missing_claim, "claim \"aud\" is missing or not a string or array", std::move(v));
  return v;
}

}  // namespace

token_verdict validate_jwt(std::string_view token, const jose::jwk_set& keys,
                           const validation_policy& policy, int64_t now) {
  auto jws = jose::parse_compact(token);
  if (!jws) return fail(token_check::malformed, "access token: " + jws.err().message);
  token_verdict v;
  v.header = jws->header;
  auto claims = jose::parse_json_object(jws->payload_bytes);
  if (!claims) return fail(token_check::malformed, "access token payload: " + claims.err().message, std::move(v));
  v.claims = std::move(*claims);

  if (policy.require_at_jwt_typ) {
    auto typ = v.header.find("typ");
    bool ok = typ != v.header.end() && typ->is_string() &&
              (*typ == "at+jwt" || *typ == "application/at+jwt");
    if (!ok) return fail(token_check::bad_typ, "access token header \"typ\" is not at+jwt (RFC 9068 4)", std::move(v));
  }
  auto alg_it = v.header.find("alg");
  if (alg_it == v.header.end() || !alg_it->is_string())
    return fail(token_check::bad_alg, "access token header \"alg\" is missing", std::move(v));
  std::string alg = alg_it->get<std::string>();
  if (std::find(policy.algs.begin(), policy.algs.end(), alg) == policy.algs.end())
    return fail(token_check::bad_alg, "access token alg \"" + alg + "\" is not accepted", std::move(v));

  auto key = keys.select(v.header, alg);
  if (!key) return fail(token_check::unknown_key, "access token: " + key.err().message, std::move(v));
  if (status s = jose::verify(*jws, **key, alg); !s)
    return fail(token_check::bad_signature, "access token signature: " + s.err().message, std::move(v));

  v = check_required_claims(std::move(v));
  if (!v.ok()) return v;
  if (v.claims["iss"].get<std::string>() != policy.issuer)
    return fail(token_check::bad_issuer, "claim \"iss\" is not the expected issuer " + policy.issuer, std::move(v));
  if (!policy.audience.empty() && !audience_contains(v.claims["aud"], policy.audience))
    return fail(token_check::bad_audience, "claim \"aud\" does not contain " + policy.audience, std::move(v));
  if (v.claims["exp"].get<double>() + static_cast<double>(policy.leeway_s) < static_cast<double>(now))
    return fail(token_check::expired, "the access token expired (claim \"exp\")", std::move(v));
  for (const char* name : {"nbf", "iat"}) {
    auto it = v.claims.find(name);
    if (it != v.claims.end() && it->is_number() &&
        it->get<double>() > static_cast<double>(now + policy.leeway_s))
      return fail(token_check::not_yet_valid, std::string("claim \"") + name + "\" is in the future", std::move(v));
  }
  return v;
}

bool looks_like_jwt(std::string_view token) {
  if (std::count(token.begin(), token.end(), '.') != 2) return false;
  auto first = token.substr(0, token.find('.'));
  return !first.empty() && jose::base64url_decode(first).ok();
}

result<confirmation> read_confirmation(const nlohmann::json& claims) {
  confirmation c;
  c.raw = nullptr;
  if (!claims.is_object()) return c;
  auto it = claims.find("cnf");
  if (it == claims.end()) return c;
  if (!it->is_object()) return make_error("cnf.type", "claim \"cnf\" must be a JSON object (RFC 7800 3.1)");
  c.raw = *it;
  for (const auto& [name, value] : it->items()) {
    if (name == "x5t#S256") {
      if (!value.is_string()) return make_error("cnf.x5t", "cnf member \"x5t#S256\" must be a string (RFC 8705 3.1)");
      c.x5t_s256 = value.get<std::string>();
    } else if (name == "jkt") {
      if (!value.is_string()) return make_error("cnf.jkt", "cnf member \"jkt\" must be a string (RFC 9449 6.1)");
      c.jkt = value.get<std::string>();
    }
  }
  return c;
}

}  // namespace tether::token
