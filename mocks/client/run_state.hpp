#pragma once
// What tether-client remembers within one scenario run: proof keys by name (created on first
// use, of the type the alg needs), the last DPoP nonce each server origin sent (RFC 9449 8 and
// 9: the AS and the RS hand out their own nonces, and a client keeps them apart), and the last
// request of each step, so that `replay` can send exactly the same bytes again. Runs are
// independent: two scenarios never share a key or a nonce.

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "core/jose/jwk.hpp"
#include "core/util/result.hpp"
#include "mocks/client/step_model.hpp"

namespace tether::client {

// One request as it went on the wire, with what the observation says about it.
struct sent_request {
  std::string url;
  http::request req;        // target empty: taken from the URL
  tls_settings tls;
  nlohmann::json observed;  // the observation's "request" member
};

class run_state {
 public:
  // The key called name; created with alg (ES256 when empty) the first time it is asked for.
  result<const jose::jwk*> key(const std::string& name, const std::string& alg);
  // Puts a key under a name (a key loaded from a file, a key of an earlier flow step).
  void set_key(const std::string& name, jose::jwk key);
  const jose::jwk* find_key(const std::string& name) const;

  // The last DPoP-Nonce from this origin ("https://host:port"), if any.
  std::optional<std::string> nonce(const std::string& origin) const;
  void set_nonce(const std::string& origin, std::string nonce);
  const std::map<std::string, std::string>& nonces() const { return nonces_; }

  const sent_request* last_request(const std::string& step) const;
  void remember(const std::string& step, sent_request request);

 private:
  std::map<std::string, jose::jwk> keys_;
  std::map<std::string, std::string> nonces_;
  std::map<std::string, sent_request> requests_;
};

// Runs by id, for the serve loop.
class run_registry {
 public:
  run_state& get(const std::string& run) { return runs_[run]; }
  void end(const std::string& run) { runs_.erase(run); }
  std::size_t size() const { return runs_.size(); }

 private:
  std::map<std::string, run_state> runs_;
};

// "https://host:port" of an absolute URL, the unit nonces are kept by. The port is always
// written (443 when absent) and scheme and host lower-cased, so that two spellings of one
// server share its nonce (RFC 6454 4).
std::string origin_of(const std::string& url);

}  // namespace tether::client
