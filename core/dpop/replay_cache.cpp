#include "core/dpop/replay_cache.hpp"

#include <array>
#include <cstring>
#include <functional>
#include <string>
#include <mutex>
#include <queue>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/dpop/sha256.hpp"

namespace tether::dpop {
namespace {

using key = std::array<unsigned char, 16>;

struct key_hash {
  std::size_t operator()(const key& k) const noexcept {
    // The key is already a cryptographic hash: any 8 of its bytes are uniformly distributed.
    std::size_t h = 0;
    std::memcpy(&h, k.data(), sizeof h);
    return h;
  }
};

// SHA-256 over len(jti) || jti || htu, truncated to 128 bits: the length prefix keeps
// ("ab", "c") and ("a", "bc") apart, and 128 bits make an accidental collision (a fresh proof
// declined as a replay) negligible.
bool make_key(std::string_view jti, std::string_view htu, key& out) {
  // One buffer and one EVP_Digest call: this runs for every accepted proof.
  std::string input;
  input.reserve(8 + jti.size() + htu.size());
  const uint64_t n = jti.size();
  for (int i = 0; i < 8; ++i) input += static_cast<char>(n >> (56 - 8 * i));
  input.append(jti).append(htu);
  std::array<unsigned char, 32> digest;
  if (!detail::sha256(input, digest)) return false;
  std::memcpy(out.data(), digest.data(), out.size());
  return true;
}

struct expiry {
  int64_t at;
  key k;
  bool operator>(const expiry& other) const { return at > other.at; }
};

}  // namespace

struct replay_cache::impl {
  explicit impl(std::size_t cap) : capacity(cap == 0 ? 1 : cap) {}

  // Invariant: every key in `live` has exactly one element in `by_expiry`,
  // and nothing else is in `by_expiry`; entries are only ever inserted and removed together.
  void drop_expired(int64_t now) {
    while (!by_expiry.empty() && by_expiry.top().at < now) {
      live.erase(by_expiry.top().k);
      by_expiry.pop();
    }
  }

  const std::size_t capacity;
  mutable std::mutex mutex;
  std::unordered_set<key, key_hash> live;
  std::priority_queue<expiry, std::vector<expiry>, std::greater<expiry>> by_expiry;
};

replay_cache::replay_cache(std::size_t capacity) : impl_(new impl(capacity)) {}

replay_cache::~replay_cache() { delete impl_; }

bool replay_cache::first_use(std::string_view jti, std::string_view htu, int64_t expires_at,
                             int64_t now) {
  key k;
  // Failing to hash means OpenSSL cannot run SHA-256; declining is the safe answer, since
  // accepting would silently turn replay protection off.
  if (!make_key(jti, htu, k)) return false;

  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->drop_expired(now);
  if (impl_->live.count(k) != 0) return false;
  if (expires_at < now) return true;  // already outside the window: nothing to remember
  if (impl_->live.size() >= impl_->capacity) {
    impl_->live.erase(impl_->by_expiry.top().k);
    impl_->by_expiry.pop();
  }
  impl_->live.insert(k);
  impl_->by_expiry.push(expiry{expires_at, k});
  return true;
}

std::size_t replay_cache::size() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->live.size();
}

std::size_t replay_cache::capacity() const { return impl_->capacity; }

}  // namespace tether::dpop
