#pragma once
// The protected resource: every method and path answers the same way. The request's
// credentials are read (presentation), the token validated (token_validation), the holder
// proven (binding), the path's scope checked, and the answer (200 with what was accepted, or a
// refusal with its challenges) is logged before it is returned, so a client holding the
// answer can already read the event.
//
// Scopes: a path under /scoped/<scope>/ (or exactly /scoped/<scope>) requires <scope>
// (percent-decoded) in the token's scope; otherwise 403 insufficient_scope with scope=<scope>
// (RFC 6750 3.1). Any other path needs no particular scope.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/http/message.hpp"
#include "core/util/result.hpp"
#include "mocks/common/event_log.hpp"
#include "mocks/rs/cert_source.hpp"
#include "mocks/rs/dpop_check.hpp"
#include "mocks/rs/rs_config.hpp"
#include "mocks/rs/rs_nonces.hpp"
#include "mocks/rs/token_validation.hpp"

namespace tether::rs {

// What the process supplies around the configuration.
struct rs_environment {
  std::string issuer;                      // the AS whose tokens are accepted
  jwks_source* keys = nullptr;             // token_format jwt
  introspect_function introspect;          // token_format introspection
  std::optional<std::string> proxy_x5t;    // x5t#S256 of the trusted proxy's certificate
  mocks::event_log* log = nullptr;         // may be null
  std::function<int64_t()> clock;          // seconds since the epoch; default: system clock
};

class resource_server {
 public:
  static result<std::unique_ptr<resource_server>> make(rs_config config, rs_environment env);

  http::response handle(const http::request& request, const http::connection_info& info);

  const rs_config& config() const { return config_; }
  rs_nonces& nonces() { return nonces_; }
  int64_t now() const;  // this server's clock, clock_offset_s applied

 private:
  resource_server(rs_config config, rs_environment env, cert_source certs);

  rs_config config_;
  rs_environment env_;
  rs_nonces nonces_;
  token_validator tokens_;
  dpop_checker proofs_;
  cert_source certs_;
};

// The scope a path requires ("" for none).
std::string required_scope(const std::string& path);

}  // namespace tether::rs
