#pragma once
// What the AS remembers between requests: its configuration and keys, the URLs it publishes,
// DPoP nonces and replay memory, and the grants it issued (authorization codes, refresh tokens,
// access tokens for introspection). Handlers receive it by reference; the stores are
// thread-safe so that the server may run several threads.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dpop/nonce_service.hpp"
#include "core/dpop/replay_cache.hpp"
#include "core/jose/jwk.hpp"
#include "core/tls/certificate.hpp"
#include "mocks/as/as_config.hpp"
#include "mocks/as/client_registry.hpp"

namespace tether::mocks {
class event_log;
}

namespace tether::as {

// The URLs the AS publishes (RFC 8414 metadata, RFC 8705 5 aliases, the ready line).
struct endpoints {
  std::string issuer;       // "https://127.0.0.1:8443" (a path is allowed: endpoints go below it)
  std::string mtls_origin;  // "https://127.0.0.1:8444" plus the issuer's path

  std::string authorization() const { return issuer + "/authorize"; }
  std::string token() const { return issuer + "/token"; }
  std::string introspection() const { return issuer + "/introspect"; }
  std::string jwks() const { return issuer + "/jwks"; }
  std::string mtls_token() const { return mtls_origin + "/token"; }
  std::string mtls_introspection() const { return mtls_origin + "/introspect"; }
  // The issuer's path ("" or "/realm"), which prefixes every endpoint path.
  std::string path_prefix() const;
  // The published URL of `path` ("/token") on the named listener ("main" or "mtls"): what a
  // client's DPoP htu must match (RFC 9449 4.3 (9)).
  std::string url_on(const std::string& listener, const std::string& path) const;
};

struct code_grant {
  std::string client_id;
  std::optional<std::string> redirect_uri;  // as sent in the authorization request
  std::string scope;
  std::string code_challenge;               // S256 (RFC 7636 4.2); "" when none was sent
  std::optional<std::string> dpop_jkt;      // RFC 9449 10
  std::vector<std::string> resources;       // RFC 8707
  std::string subject;
  int64_t expires_at = 0;
};

struct refresh_grant {
  std::string client_id;
  std::string scope;
  std::string subject;
  std::vector<std::string> resources;
  std::optional<std::string> bound_jkt;  // public clients with DPoP (RFC 9449 5)
  std::optional<std::string> bound_x5t;  // public clients with a certificate (RFC 8705 4)
  int64_t expires_at = 0;
};

struct access_grant {
  nlohmann::json claims;  // iss, sub, aud, client_id, scope, iat, exp, jti, cnf
  std::string token_type;
};

// Issued codes, refresh tokens and access tokens, under one lock. Expired entries are dropped
// as new ones arrive, so memory follows the number of live grants. Codes and access tokens
// live minutes; refresh tokens live a day, so their number is capped (max_refresh_grants):
// past it the AS refuses to issue rather than forget one it issued (token_endpoint.cpp says why).
class grant_store {
 public:
  std::string add_code(code_grant grant, int64_t now);
  std::optional<code_grant> find_code(const std::string& code, int64_t now) const;
  // Exactly one caller consumes a code (RFC 6749 4.1.2: a code is used once).
  bool consume_code(const std::string& code);

  // Whether one more refresh token may be issued now (expired ones are dropped first).
  bool has_room_for_refresh(int64_t now, int64_t max);
  // The new refresh token, or nothing when `max` unexpired ones are already kept.
  std::optional<std::string> add_refresh(refresh_grant grant, int64_t now, int64_t max);
  std::size_t refresh_count() const;
  std::optional<refresh_grant> find_refresh(const std::string& token, int64_t now) const;

  void add_access(const std::string& token, access_grant grant, int64_t now);
  std::optional<access_grant> find_access(const std::string& token, int64_t now) const;

 private:
  void purge(int64_t now, bool now_or_never = false);
  mutable std::mutex mutex_;
  std::map<std::string, code_grant> codes_;
  std::map<std::string, refresh_grant> refresh_;
  std::map<std::string, access_grant> access_;
  int64_t last_purge_ = 0;
};

// 256 bits from the CSPRNG, base64url: codes, refresh tokens, opaque tokens, jti.
std::string random_token(std::size_t bytes = 32);

struct as_state {
  as_state(as_config config, client_registry clients, jose::jwk signing_key,
           std::vector<tls::certificate> anchors, endpoints urls);

  as_config config;
  client_registry clients;
  jose::jwk signing_key;                // private, with kid, alg and use
  std::vector<tls::certificate> anchors;  // trust anchors of tls_client_auth (RFC 8705 2.1)
  endpoints urls;
  std::string introspection_client = "rs";
  dpop::nonce_service nonces;
  dpop::replay_cache replay;
  grant_store grants;
  mocks::event_log* log = nullptr;       // optional
  std::function<void(const nlohmann::json&)> observer;  // optional: sees every event (tests)
  std::function<int64_t()> clock;        // seconds since the epoch; tests fix it

  // The AS's idea of now: the clock plus the clock_offset_s knob.
  int64_t now() const;
  // The public JWK Set served at jwks_uri.
  nlohmann::json jwks() const;
};

}  // namespace tether::as
