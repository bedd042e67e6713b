#pragma once
// SHA-256 for the per-proof hashes of this module (ath, replay-cache keys). EVP_sha256() makes
// OpenSSL 3 look the algorithm up again on every call (a lock and a provider search, about as
// long as hashing a proof); fetching it once keeps that off the verification path.

#include <array>
#include <string_view>

#include <openssl/evp.h>

namespace tether::dpop::detail {

inline const EVP_MD* sha256_md() {
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // kept for the process
  return fetched != nullptr ? fetched : EVP_sha256();
}

// False only if OpenSSL cannot hash at all.
inline bool sha256(std::string_view bytes, std::array<unsigned char, 32>& out) {
  unsigned int size = 0;
  return EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, sha256_md(), nullptr) == 1 &&
         size == out.size();
}

}  // namespace tether::dpop::detail
