#pragma once
// Validated access tokens remembered for a short while, so that a client calling repeatedly
// costs one signature verification (or one introspection call) per token instead of one per
// request. What is cached is only "this token is authentic, unexpired and for us, with these
// claims": the binding (certificate, DPoP proof), the proof's ath and the scope are checked on
// every request by the caller, whatever the cache says.
//
// Bounded: at most `capacity` entries; when full, expired entries are dropped and, if that is
// not enough, the entry that expires first goes. An entry never outlives the token's exp.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/token/access_token.hpp"

namespace tether::rs {

struct validated_token {
  std::string format;            // "jwt" or "introspection"
  nlohmann::json claims;         // JWT claims, or the introspection response
  token::confirmation cnf;
  std::string subject;
  std::string client_id;
  std::vector<std::string> scopes;
  int64_t expires_at = 0;        // exp, 0 when unknown
};

class token_cache {
 public:
  explicit token_cache(std::size_t capacity = 10000);

  // Shared, immutable: a hit costs no copy of the claims.
  std::shared_ptr<const validated_token> find(const std::string& token, int64_t now);
  // Remembers until valid_until (inclusive); nothing when valid_until < now.
  void store(const std::string& token, std::shared_ptr<const validated_token> value, int64_t valid_until,
             int64_t now);
  std::size_t size() const;

 private:
  struct entry {
    std::shared_ptr<const validated_token> value;
    int64_t valid_until;
    std::multimap<int64_t, const std::string*>::iterator by_expiry;
  };
  void drop_expired_locked(int64_t now);

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
  std::multimap<int64_t, const std::string*> expiry_;  // valid_until -> key in entries_
};

}  // namespace tether::rs
