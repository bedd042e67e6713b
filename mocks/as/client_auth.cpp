#include "mocks/as/client_auth.hpp"

#include <openssl/crypto.h>

#include "core/http/www_authenticate.hpp"
#include "core/jose/base64url.hpp"

namespace tether::as {
namespace {

struct basic_credentials {
  std::string id;
  std::string secret;
};

// RFC 6749 2.3.1: client_id and secret are form-encoded, then joined with ':' and base64'd.
std::optional<basic_credentials> decode_basic(const std::string& header, std::string& why) {
  auto creds = http::parse_authorization(header);
  if (!creds) {
    why = "the Authorization header is malformed: " + creds.err().message;
    return std::nullopt;
  }
  if (!http::iequals(creds->scheme, "Basic")) {
    why = "the Authorization header uses the " + shown(creds->scheme) +
          " scheme; the token endpoint accepts Basic client credentials only";
    return std::nullopt;
  }
  auto raw = jose::base64_decode(creds->token);
  if (!raw) {
    why = "the Basic credentials are not base64: " + raw.err().message;
    return std::nullopt;
  }
  auto colon = raw->find(':');
  if (colon == std::string::npos) {
    why = "the Basic credentials have no ':' between client_id and secret";
    return std::nullopt;
  }
  return basic_credentials{http::url_decode(raw->substr(0, colon), true),
                           http::url_decode(raw->substr(colon + 1), true)};
}

bool secret_equals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool email_equal(const std::string& a, const std::string& b) {
  // Local parts are case-sensitive, domains are not (RFC 5321 2.4).
  auto at_a = a.rfind('@'), at_b = b.rfind('@');
  if (at_a == std::string::npos || at_b == std::string::npos) return a == b;
  return a.substr(0, at_a) == b.substr(0, at_b) && http::iequals(a.substr(at_a), b.substr(at_b));
}

template <typename Pred>
bool any_of(const std::vector<std::string>& values, Pred pred) {
  for (const auto& v : values)
    if (pred(v)) return true;
  return false;
}

// RFC 8705 2.1: validate the chain, then compare the one registered subject value.
std::optional<oauth_error> check_pki(const tls::certificate& cert, const client& c,
                                     const as_state& state, exchange& x) {
  auto& detail = x.event["client_auth"];
  auto chain = tls::verify_chain(cert, {}, state.anchors, state.now());
  detail["chain"] = chain ? "ok" : chain.err().message;
  if (!chain) {
    if (!state.config.skip_chain_validation)
      return client_error("the client certificate does not validate against the trusted CA: " +
                              chain.err().message + " (RFC 8705 2.1)", false);
    x.used_knob("skip_chain_validation");
  }
  bool matched = subject_matches(cert, c);
  detail["subject"] = {{"registered", to_string(c.subject)}, {"value", c.subject_value},
                       {"matched", matched}};
  if (!matched) {
    if (!state.config.skip_subject_check)
      return client_error(std::string("the client certificate does not carry the registered ") +
                              to_string(c.subject) + " " + shown(c.subject_value) + " (RFC 8705 2.1.2)",
                          false);
    x.used_knob("skip_subject_check");
  }
  return std::nullopt;
}

// RFC 8705 2.2: no chain validation; the certificate must be one the client registered.
std::optional<oauth_error> check_self_signed(const tls::certificate& cert, const client& c, exchange& x) {
  const std::string der = cert.der();
  bool matched = false;
  for (const auto& registered : c.registered_certs) matched = matched || registered.der() == der;
  x.event["client_auth"]["registered_certificate"] = matched;
  if (!matched)
    return client_error("the client certificate is not one registered for this client (RFC 8705 2.2)", false);
  return std::nullopt;
}

}  // namespace

bool subject_matches(const tls::certificate& cert, const client& c) {
  switch (c.subject) {
    case subject_kind::none: return false;
    case subject_kind::dn: return tls::dn_equal(cert.subject_dn(), c.subject_value);
    case subject_kind::san_dns:
      // DNS names compare case-insensitively (RFC 4343).
      return any_of(cert.san_dns(), [&](const std::string& v) { return http::iequals(v, c.subject_value); });
    case subject_kind::san_uri:
      return any_of(cert.san_uri(), [&](const std::string& v) { return v == c.subject_value; });
    case subject_kind::san_ip:
      // Binary comparison, so every textual form of the address matches (RFC 8705 2.1.2).
      return any_of(cert.san_ip(), [&](const std::string& v) { return v == c.subject_ip; });
    case subject_kind::san_email:
      return any_of(cert.san_email(), [&](const std::string& v) { return email_equal(v, c.subject_value); });
  }
  return false;
}

auth_result authenticate_client(const http::request& req, const form_params& params,
                                const http::connection_info& conn, const as_state& state,
                                exchange& x) {
  auth_result out;
  auto finish = [&](std::optional<oauth_error> e) {
    out.error = std::move(e);
    if (out.error) out.who = nullptr;
    x.event["client_id"] = out.client_id;
    x.event["client_id_in_request"] = out.client_id_in_request;
    x.event["auth_method"] = out.method;
    x.event["client_authenticated"] = out.ok();
    return out;
  };

  const auto headers = req.headers.all("Authorization");
  out.used_authorization_header = !headers.empty();
  const std::string* body_id = params.get("client_id");
  const std::string* body_secret = params.get("client_secret");
  out.client_id_in_request = body_id != nullptr;
  if (body_id) out.client_id = *body_id;

  if (headers.size() > 1)
    return finish(oauth_error{"invalid_request", "the request has more than one Authorization header"});
  std::optional<basic_credentials> basic;
  if (headers.size() == 1) {
    out.method = "client_secret_basic";
    std::string why;
    basic = decode_basic(headers.front(), why);
    if (!basic) return finish(client_error(why, true));
    if (body_secret)  // RFC 6749 2.3: one authentication method per request
      return finish(oauth_error{"invalid_request",
                                "the request uses both the Authorization header and client_secret (RFC 6749 2.3)"});
    if (body_id && *body_id != basic->id)
      return finish(oauth_error{"invalid_request", "the client_id parameter differs from the client in the Authorization header"});
    out.client_id = basic->id;
  } else if (body_secret) {
    out.method = "client_secret_post";
  } else if (conn.client_cert) {
    out.method = "tls";  // refined below from the registration
  } else {
    out.method = "none";
  }

  if (out.client_id.empty()) {
    if (conn.client_cert)
      return finish(oauth_error{"invalid_request",
                                "client_id is required in every request that uses a client certificate (RFC 8705 2)"});
    return finish(client_error("the request names no client (no client_id, no Authorization header)", false));
  }
  const client* c = state.clients.find(out.client_id);
  if (!c) return finish(client_error("unknown client " + shown(out.client_id), out.used_authorization_header));
  out.who = c;
  if (out.method == "tls") out.method = c->auth_method == "self_signed_tls_client_auth" ? c->auth_method : "tls_client_auth";

  const std::string& registered = c->auth_method;
  auto wrong_method = [&](const std::string& why) {
    return finish(client_error("client " + shown(c->client_id) + " is registered for " + registered +
                                   "; " + why, out.used_authorization_header));
  };
  if (registered == "client_secret_basic") {
    if (!basic) return wrong_method("the request has no Basic Authorization header");
    if (!secret_equals(basic->secret, c->secret)) return finish(client_error("the client secret is wrong", true));
    return finish(std::nullopt);
  }
  if (registered == "client_secret_post") {
    if (!body_secret) return wrong_method("the request has no client_secret parameter");
    if (!secret_equals(*body_secret, c->secret)) return finish(client_error("the client secret is wrong", false));
    return finish(std::nullopt);
  }
  if (basic || body_secret) return wrong_method("the request carries a client secret");
  if (registered == "none") {
    out.method = "none";
    return finish(std::nullopt);
  }
  out.method = registered;
  if (!conn.client_cert)
    return finish(client_error("no client certificate was presented (RFC 8705 2)", false));
  if (registered == "tls_client_auth") return finish(check_pki(*conn.client_cert, *c, state, x));
  return finish(check_self_signed(*conn.client_cert, *c, x));
}

}  // namespace tether::as
