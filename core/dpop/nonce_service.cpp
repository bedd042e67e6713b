#include "core/dpop/nonce_service.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/jose/base64url.hpp"

namespace tether::dpop {
namespace {

// Layout of a nonce before base64url: issue time (8 bytes, big endian), salt (16 bytes), and the
// first 16 bytes of HMAC-SHA-256(secret, time || salt). The salt makes two nonces issued in the
// same second differ, so a nonce says nothing about the next one (section 8: "MUST be
// unpredictable"); 128 bits of MAC make a forged nonce as unlikely as a guessed one.
constexpr std::size_t time_size = 8;
constexpr std::size_t salt_size = 16;
constexpr std::size_t mac_size = 16;
constexpr std::size_t nonce_size = time_size + salt_size + mac_size;
constexpr std::size_t secret_size = 32;

bool mac_of(const std::string& secret, const unsigned char* data, std::size_t size,
            unsigned char* out) {
  unsigned char full[EVP_MAX_MD_SIZE];
  size_t full_size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(), data,
                size, full, sizeof full, &full_size) == nullptr ||
      full_size < mac_size) {
    return false;
  }
  std::copy(full, full + mac_size, out);
  return true;
}

// The CSPRNG or HMAC failing is a broken environment, not bad input: a nonce made without them
// would be predictable or forgeable, and the contract has no error path for issuing, so stop.
[[noreturn]] void fatal(const char* what) {
  std::fprintf(stderr, "tether: nonce_service: %s failed\n", what);
  std::abort();
}

}  // namespace

nonce_service::nonce_service(int64_t lifetime_s) : lifetime_s_(lifetime_s) {
  secret_.resize(secret_size);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 1) {
    fatal("RAND_bytes");
  }
}

std::string nonce_service::issue(int64_t now) const {
  std::array<unsigned char, nonce_size> raw{};
  const auto t = static_cast<uint64_t>(now);
  for (std::size_t i = 0; i < time_size; ++i) {
    raw[i] = static_cast<unsigned char>(t >> (8 * (time_size - 1 - i)));
  }
  if (RAND_bytes(raw.data() + time_size, static_cast<int>(salt_size)) != 1) {
    fatal("RAND_bytes");
  }
  if (!mac_of(secret_, raw.data(), time_size + salt_size, raw.data() + time_size + salt_size)) {
    fatal("HMAC-SHA-256");
  }
  return jose::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

nonce_service::check nonce_service::verify(std::string_view nonce, int64_t now) const {
  // A longer value cannot be ours; refuse before decoding attacker-sized input.
  if (nonce.size() > 2 * nonce_size) return check::unknown;
  auto decoded = jose::base64url_decode(nonce);
  if (!decoded || decoded->size() != nonce_size) return check::unknown;
  const auto* raw = reinterpret_cast<const unsigned char*>(decoded->data());
  unsigned char mac[mac_size];
  if (!mac_of(secret_, raw, time_size + salt_size, mac) ||
      CRYPTO_memcmp(mac, raw + time_size + salt_size, mac_size) != 0) {
    return check::unknown;  // not issued by this instance (section 9: only the issuer accepts it)
  }
  uint64_t t = 0;
  for (std::size_t i = 0; i < time_size; ++i) t = (t << 8) | raw[i];
  const auto issued = static_cast<int64_t>(t);
  // Both directions: a nonce "from the future" only appears if the clock went back, and the
  // window is what limits a proof's lifetime (section 11.1).
  if (now - issued > lifetime_s_ || issued - now > lifetime_s_) return check::stale;
  return check::valid;
}

}  // namespace tether::dpop
