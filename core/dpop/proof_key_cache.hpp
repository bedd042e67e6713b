#pragma once
// Parsed proof keys, reused across the proofs of one client. A DPoP client signs every request
// with the same key (that is the point of the binding), and its proofs' JOSE headers are
// usually identical byte for byte; building an OpenSSL key from a JWK costs about a third of
// an ES256 verify, so a server that sees the same header again can skip it.
//
// The cache is keyed by the exact header bytes: same bytes, same jwk, same parse result, so a
// hit can never change a verdict. Only public keys are kept (a jwk with private members is
// rejected by check 7 and its secret should not linger). Bounded: headers over 2 KiB are not
// cached, and at capacity the oldest entry is dropped (first in, first out). Thread-safe, with
// one short critical section per lookup; the lock is never held while a key is parsed or a
// signature verified.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/jose/jwk.hpp"

namespace tether::dpop {

class proof_key_cache {
 public:
  struct entry {
    std::shared_ptr<const jose::jwk> key;
    std::string jkt;  // RFC 7638 thumbprint of key
  };

  static constexpr std::size_t max_header_size = 2048;

  explicit proof_key_cache(std::size_t capacity = 1024);
  ~proof_key_cache();
  proof_key_cache(const proof_key_cache&) = delete;
  proof_key_cache& operator=(const proof_key_cache&) = delete;

  // The entry stored for exactly these protected-header bytes, or an empty entry.
  entry find(std::string_view header_bytes) const;
  // Remembers a parsed public key for these header bytes (ignored for oversized headers).
  void store(std::string_view header_bytes, entry value);

  std::size_t size() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace tether::dpop
