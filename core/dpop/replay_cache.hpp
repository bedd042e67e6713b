#pragma once
// The jti replay cache of RFC 9449 section 11.1: proofs are remembered per (jti, htu) for the
// acceptance window and a repeat is declined. Memory is bounded: entries are stored as a hash
// (11.1 suggests storing only a hash so an oversized jti cannot grow the cache), expired entries
// are dropped, and at capacity the entry that expires first is evicted. Thread-safe, so that
// exactly one of N concurrent identical proofs gets through.

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

  // True the first time (jti, htu) is seen before it expires; false on a repeat.
  bool first_use(std::string_view jti, std::string_view htu, int64_t expires_at, int64_t now);
  std::size_t size() const;

 private:
  struct impl;
  impl* impl_;
};

}  // namespace tether::dpop
