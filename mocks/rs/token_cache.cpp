#include "mocks/rs/token_cache.hpp"

namespace tether::rs {

token_cache::token_cache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

void token_cache::drop_expired_locked(int64_t now) {
  while (!expiry_.empty() && expiry_.begin()->first < now) {
    entries_.erase(*expiry_.begin()->second);
    expiry_.erase(expiry_.begin());
  }
}

std::shared_ptr<const validated_token> token_cache::find(const std::string& token, int64_t now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token);
  if (it == entries_.end()) return nullptr;
  if (it->second.valid_until < now) {
    expiry_.erase(it->second.by_expiry);
    entries_.erase(it);
    return nullptr;
  }
  return it->second.value;
}

void token_cache::store(const std::string& token, std::shared_ptr<const validated_token> value,
                        int64_t valid_until, int64_t now) {
  if (valid_until < now) return;
  std::lock_guard lock(mutex_);
  if (auto old = entries_.find(token); old != entries_.end()) {
    expiry_.erase(old->second.by_expiry);
    entries_.erase(old);
  }
  drop_expired_locked(now);
  while (entries_.size() >= capacity_ && !expiry_.empty()) {
    entries_.erase(*expiry_.begin()->second);
    expiry_.erase(expiry_.begin());
  }
  auto [it, inserted] = entries_.emplace(token, entry{std::move(value), valid_until, {}});
  // Keys of an unordered_map keep their address until erased, so the index may point at them.
  it->second.by_expiry = expiry_.emplace(valid_until, &it->first);
}

std::size_t token_cache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tether::rs
