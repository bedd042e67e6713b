#pragma once
// The resource server's own DPoP nonces (RFC 9449 9). They come from a nonce_service of this
// process, so a nonce the AS issued is "not ours" here, as section 9 requires. When nonces are
// required, every refusal and every answer to a DPoP request carries a fresh DPoP-Nonce: the
// 401 use_dpop_nonce challenge (9), the other refusals (8: "with any rejection message, the
// server can send the client the nonce value [...] it wants it to use") and the 200, which is
// how the nonce rotates on success (8.2).

#include <cstdint>
#include <optional>
#include <string>

#include "core/dpop/nonce_service.hpp"

namespace tether::rs {

class rs_nonces {
 public:
  rs_nonces(bool required, int64_t lifetime_s) : required_(required), service_(lifetime_s) {}

  bool required() const { return required_; }
  dpop::nonce_service& service() { return service_; }

  // The DPoP-Nonce to send with an answer, if any.
  std::optional<std::string> for_answer(bool refused, bool dpop_used, int64_t now) const {
    if (!required_ || !(refused || dpop_used)) return std::nullopt;
    return service_.issue(now);
  }

 private:
  bool required_;
  dpop::nonce_service service_;
};

}  // namespace tether::rs
