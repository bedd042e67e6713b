#pragma once
// The jti replay cache of RFC 9449 section 11.1: proofs are remembered per (jti, htu) for the
// acceptance window and a repeat is declined.
//
// Memory is bounded, whatever the proofs look like:
// - an entry is 16 bytes of SHA-256 over (jti, htu) plus its expiry time: 11.1 suggests storing
//   only a hash so that an oversized jti cannot grow the cache;
// - an entry is live while now <= expires_at; every call first drops the entries that have
//   expired by its `now`;
// - when the cache still holds `capacity` live entries, the one that expires first is evicted
//   to make room. That proof is the closest to leaving the acceptance window anyway, so the
//   replay window lost is the shortest possible. A flood of valid proofs can still push entries
//   out early (any bounded cache can be flooded): size capacity for the expected proof rate
//   times the acceptance window.
//
// Thread-safe: one short critical section per call (never held during signature checks), so
// that exactly one of N concurrent identical proofs gets through.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tether::dpop {

class replay_cache {
 public:
  explicit replay_cache(std::size_t capacity = 100000);
  ~replay_cache();
  replay_cache(const replay_cache&) = delete;
  replay_cache& operator=(const replay_cache&) = delete;

  // True the first time (jti, htu) is seen while unexpired, and then remembers it until
  // expires_at; false on a repeat. An entry that would already be expired (expires_at < now)
  // is not stored.
  bool first_use(std::string_view jti, std::string_view htu, int64_t expires_at, int64_t now);
  std::size_t size() const;
  std::size_t capacity() const;

 private:
  struct impl;
  impl* impl_;
};

}  // namespace tether::dpop
