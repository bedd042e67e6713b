// libFuzzer entry point: compact JWS parsing, then verification against a fixed P-256 key (the
// RFC 7515 appendix A.3 key) and a fixed HMAC key, under the header's alg and under ES256.
// Any input must come back as a value or an error, never a crash, leak or abort.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/jose/jws.hpp"

namespace {

const tether::jose::jwk& ec_key() {
  static const tether::jose::jwk key = *tether::jose::jwk::parse(nlohmann::json{
      {"kty", "EC"},
      {"crv", "P-256"},
      {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
      {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}});
  return key;
}

const tether::jose::jwk& hmac_key() {
  static const tether::jose::jwk key = *tether::jose::jwk::parse(
      nlohmann::json{{"kty", "oct"}, {"k", "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}});
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto jws = tether::jose::parse_compact(text);
  if (!jws) return 0;
  std::string alg = "ES256";
  if (auto it = jws->header.find("alg"); it != jws->header.end() && it->is_string()) alg = it->get<std::string>();
  (void)tether::jose::verify(*jws, ec_key(), alg);
  (void)tether::jose::verify(*jws, ec_key(), "ES256");
  (void)tether::jose::verify(*jws, hmac_key(), alg);
  (void)tether::jose::verify(*jws, hmac_key(), "HS256");
  return 0;
}
