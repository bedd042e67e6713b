#include "mocks/as/as_state.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <openssl/rand.h>

#include "core/jose/base64url.hpp"

namespace tether::as {
namespace {

// Purging walks every map; once a second is plenty for a mock.
constexpr int64_t purge_interval_s = 1;

template <typename Map>
void drop_expired(Map& map, int64_t now, int64_t (*expiry)(const typename Map::mapped_type&)) {
  for (auto it = map.begin(); it != map.end();) {
    if (expiry(it->second) < now) it = map.erase(it);
    else ++it;
  }
}

int64_t code_expiry(const code_grant& g) { return g.expires_at; }
int64_t refresh_expiry(const refresh_grant& g) { return g.expires_at; }
int64_t access_expiry(const access_grant& g) {
  auto exp = g.claims.find("exp");
  return exp != g.claims.end() && exp->is_number_integer() ? exp->get<int64_t>() : 0;
}

std::string origin_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

}  // namespace

std::string endpoints::path_prefix() const {
  std::string origin = origin_of(issuer);
  std::string path = issuer.substr(origin.size());
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

std::string endpoints::url_on(const std::string& listener, const std::string& path) const {
  return (listener == "mtls" ? mtls_origin : issuer) + path;
}

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
    // A token made without the CSPRNG would be guessable; no caller can do anything better.
    std::fputs("tether-as: RAND_bytes failed\n", stderr);
    std::abort();
  }
  return jose::base64url_encode(raw);
}

void grant_store::purge(int64_t now, bool now_or_never) {
  if (!now_or_never && now - last_purge_ < purge_interval_s) return;
  last_purge_ = now;
  drop_expired(codes_, now, code_expiry);
  drop_expired(refresh_, now, refresh_expiry);
  drop_expired(access_, now, access_expiry);
}

std::string grant_store::add_code(code_grant grant, int64_t now) {
  std::string code = random_token();
  std::lock_guard lock(mutex_);
  purge(now);
  codes_.emplace(code, std::move(grant));
  return code;
}

std::optional<code_grant> grant_store::find_code(const std::string& code, int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = codes_.find(code);
  if (it == codes_.end() || it->second.expires_at < now) return std::nullopt;
  return it->second;
}

bool grant_store::consume_code(const std::string& code) {
  std::lock_guard lock(mutex_);
  return codes_.erase(code) == 1;
}

bool grant_store::has_room_for_refresh(int64_t now, int64_t max) {
  std::lock_guard lock(mutex_);
  purge(now);
  if (static_cast<int64_t>(refresh_.size()) < max) return true;
  purge(now, /*now_or_never=*/true);  // full: make sure it is full of live tokens
  return static_cast<int64_t>(refresh_.size()) < max;
}

std::optional<std::string> grant_store::add_refresh(refresh_grant grant, int64_t now, int64_t max) {
  std::string token = random_token();
  std::lock_guard lock(mutex_);
  purge(now);
  if (static_cast<int64_t>(refresh_.size()) >= max) purge(now, /*now_or_never=*/true);
  if (static_cast<int64_t>(refresh_.size()) >= max) return std::nullopt;
  refresh_.emplace(token, std::move(grant));
  return token;
}

std::size_t grant_store::refresh_count() const {
  std::lock_guard lock(mutex_);
  return refresh_.size();
}

std::optional<refresh_grant> grant_store::find_refresh(const std::string& token, int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = refresh_.find(token);
  if (it == refresh_.end() || it->second.expires_at < now) return std::nullopt;
  return it->second;
}

void grant_store::add_access(const std::string& token, access_grant grant, int64_t now) {
  std::lock_guard lock(mutex_);
  purge(now);
  access_[token] = std::move(grant);
}

std::optional<access_grant> grant_store::find_access(const std::string& token, int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = access_.find(token);
  if (it == access_.end() || access_expiry(it->second) < now) return std::nullopt;
  return it->second;
}

as_state::as_state(as_config config_, client_registry clients_, jose::jwk signing_key_,
                   std::vector<tls::certificate> anchors_, endpoints urls_)
    : config(std::move(config_)),
      clients(std::move(clients_)),
      signing_key(std::move(signing_key_)),
      anchors(std::move(anchors_)),
      urls(std::move(urls_)),
      nonces(config.nonce_lifetime_s),
      clock([] {
        using namespace std::chrono;
        return static_cast<int64_t>(duration_cast<seconds>(system_clock::now().time_since_epoch()).count());
      }) {}

int64_t as_state::now() const { return clock() + config.clock_offset_s; }

nlohmann::json as_state::jwks() const {
  return {{"keys", nlohmann::json::array({signing_key.public_json()})}};
}

}  // namespace tether::as
