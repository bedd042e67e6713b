#pragma once
// The authorization server's signing keys as the RS knows them: loaded at start (from the
// AS's jwks_uri or a file) and loaded again when a token names a key the RS has not seen, as
// key rotation requires, at most once per min_interval so that tokens with invented kids
// cannot make the RS hammer the AS. Thread-safe; readers share one immutable set.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/jose/jwk.hpp"
#include "core/util/result.hpp"

namespace tether::rs {

class jwks_source {
 public:
  // Returns the JWK Set document (JSON text) or why it could not be had.
  using loader = std::function<result<std::string>()>;

  jwks_source(loader load, std::chrono::milliseconds min_interval, std::string where);

  // First load; the error names where the set came from.
  status load();
  std::shared_ptr<const jose::jwk_set> current() const;

  // Loads again unless the last attempt was less than min_interval ago. True when a new set
  // was loaded (whether or not it differs).
  bool refresh();

  // How many loads succeeded (for tests and the event log).
  int64_t loads() const;
  const std::string& where() const { return where_; }

 private:
  status load_locked();

  loader load_;
  std::chrono::milliseconds min_interval_;
  std::string where_;
  mutable std::mutex mutex_;
  std::shared_ptr<const jose::jwk_set> keys_;
  std::chrono::steady_clock::time_point last_attempt_{};
  bool attempted_ = false;
  int64_t loads_ = 0;
};

// A loader reading a file (read again on every load, so a user can rotate keys by editing it).
jwks_source::loader file_loader(std::string path);

}  // namespace tether::rs
