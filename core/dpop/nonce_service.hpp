#pragma once
// Server-provided DPoP nonces (RFC 9449 sections 8 and 9). Nonces are unpredictable (random
// salt plus an HMAC under a per-process secret), carry their issue time so that staleness needs
// no shared state, and are only accepted by the service that issued them: an AS nonce replayed
// at an RS is "invalid", as section 9 requires. Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::dpop {

class nonce_service {
 public:
  enum class check { valid, stale, unknown };

  // lifetime_s: how long an issued nonce stays valid.
  explicit nonce_service(int64_t lifetime_s = 120);

  // A fresh nonce (1*NQCHAR, RFC 9449 8.1): base64url text.
  std::string issue(int64_t now) const;
  check verify(std::string_view nonce, int64_t now) const;

  int64_t lifetime() const { return lifetime_s_; }

 private:
  int64_t lifetime_s_;
  std::string secret_;
};

}  // namespace tether::dpop
