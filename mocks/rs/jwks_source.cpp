#include "mocks/rs/jwks_source.hpp"

#include <fstream>
#include <sstream>

namespace tether::rs {

jwks_source::jwks_source(loader load, std::chrono::milliseconds min_interval, std::string where)
    : load_(std::move(load)), min_interval_(min_interval), where_(std::move(where)) {}

status jwks_source::load() {
  std::lock_guard lock(mutex_);
  return load_locked();
}

status jwks_source::load_locked() {
  last_attempt_ = std::chrono::steady_clock::now();
  attempted_ = true;
  auto text = load_();
  if (!text) return make_error("jwks.load", "JWKS from " + where_ + ": " + text.err().message);
  auto set = jose::jwk_set::parse(std::string_view(*text));
  if (!set) return make_error("jwks.parse", "JWKS from " + where_ + ": " + set.err().message);
  if (set->keys().empty())
    return make_error("jwks.empty", "JWKS from " + where_ + " has no usable key");
  keys_ = std::make_shared<const jose::jwk_set>(std::move(*set));
  ++loads_;
  return {};
}

std::shared_ptr<const jose::jwk_set> jwks_source::current() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

bool jwks_source::refresh() {
  std::lock_guard lock(mutex_);
  if (attempted_ && std::chrono::steady_clock::now() - last_attempt_ < min_interval_) return false;
  // A failed reload keeps the old set: a flaky AS must not make every valid token fail.
  return load_locked().ok();
}

int64_t jwks_source::loads() const {
  std::lock_guard lock(mutex_);
  return loads_;
}

jwks_source::loader file_loader(std::string path) {
  return [path = std::move(path)]() -> result<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("jwks.open", "cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
}

}  // namespace tether::rs
