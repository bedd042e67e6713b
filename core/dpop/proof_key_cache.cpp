#include "core/dpop/proof_key_cache.hpp"

#include <deque>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace tether::dpop {

namespace {

// Lets find() look up a string_view without building a std::string (C++20 heterogeneous lookup).
struct text_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

}  // namespace

struct proof_key_cache::impl {
  explicit impl(std::size_t cap) : capacity(cap == 0 ? 1 : cap) {}

  const std::size_t capacity;
  mutable std::mutex mutex;
  std::unordered_map<std::string, entry, text_hash, std::equal_to<>> entries;
  std::deque<std::string> arrival;  // insertion order, for first-in-first-out eviction
};

proof_key_cache::proof_key_cache(std::size_t capacity)
    : impl_(std::make_unique<impl>(capacity)) {}

proof_key_cache::~proof_key_cache() = default;

proof_key_cache::entry proof_key_cache::find(std::string_view header_bytes) const {
  if (header_bytes.size() > max_header_size) return {};
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const auto it = impl_->entries.find(header_bytes);
  return it == impl_->entries.end() ? entry{} : it->second;  // copies a shared_ptr: cheap
}

void proof_key_cache::store(std::string_view header_bytes, entry value) {
  if (header_bytes.size() > max_header_size || !value.key || value.key->has_private()) return;
  std::string name(header_bytes);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->entries.count(name) != 0) return;  // another thread stored it first
  while (impl_->entries.size() >= impl_->capacity) {
    impl_->entries.erase(impl_->arrival.front());
    impl_->arrival.pop_front();
  }
  impl_->arrival.push_back(name);
  impl_->entries.emplace(std::move(name), std::move(value));
}

std::size_t proof_key_cache::size() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->entries.size();
}

}  // namespace tether::dpop
