#pragma once
// What the tether-rs handler tests share: an AS signing key published in a JWKS, tokens issued
// with core/token the way an AS would, DPoP proofs from core/dpop's builder, the suite's
// certificates, and a `world` that runs resource_server::handle without sockets and reads back
// the event it logged. Time is fixed (t0) so every window is exact.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/dpop/proof_builder.hpp"
#include "core/http/message.hpp"
#include "core/http/www_authenticate.hpp"
#include "core/jose/jwk.hpp"
#include "core/tls/certificate.hpp"
#include "mocks/rs/jwks_source.hpp"
#include "mocks/rs/resource_server.hpp"
#include "mocks/rs/rs_config.hpp"

namespace tether::rs::testing {

inline constexpr int64_t t0 = 1700000000;
inline const std::string origin = "https://127.0.0.1:8443";
inline const std::string resource_url = origin + "/resource";
inline const std::string issuer = "https://as.tether.test";

const jose::jwk& as_key();            // ES256, kid "as-1", published in jwks_json()
const jose::jwk& rogue_as_key();      // ES256, kid "as-1" too, never published
const jose::jwk& client_key();        // the DPoP key tokens are bound to
const jose::jwk& other_client_key();  // another DPoP key
std::string jwks_json();              // {"keys":[as_key public]}

// The suite's certificate set (certs/README.md), generated once into the build tree.
const std::string& certs_dir();
std::shared_ptr<const tls::certificate> cert(const std::string& name);

// RFC 9068 claims for tether-rs's defaults: iss, sub, aud, client_id, iat, exp, jti, scope.
nlohmann::json claims(const std::string& scope = "read write");
std::string issue(const nlohmann::json& claims, const jose::jwk& key = as_key(),
                  const std::string& alg = "ES256");
std::string bearer_token();                                  // no cnf
std::string dpop_token(const jose::jwk& key = client_key()); // cnf.jkt
std::string mtls_token(const std::string& cert_name = "client-a");  // cnf.x5t#S256
std::string both_token(const std::string& cert_name = "client-a");  // both members

struct proof_options {
  std::string method = "GET";
  std::string url = resource_url;
  std::optional<std::string> nonce;
  int64_t iat = t0;
  dpop::proof_defects defects;
  const jose::jwk* key = nullptr;  // default client_key()
};
std::string proof(const std::string& access_token, const proof_options& o = {});

http::request request(const std::string& target = "/resource", const std::string& method = "GET");
http::request bearer(const std::string& token, const std::string& target = "/resource");
http::request dpop(const std::string& token, const std::string& proof_value,
                   const std::string& target = "/resource");
http::connection_info connection(std::shared_ptr<const tls::certificate> client_cert = nullptr);

// An answer read back: status, challenges, JSON body, DPoP-Nonce.
struct answer {
  int status = 0;
  std::vector<http::challenge> challenges;
  nlohmann::json body;
  std::optional<std::string> nonce;
  std::string www_authenticate;
  const http::challenge* find(const std::string& scheme) const;
  // The error auth-param of that challenge ("" when absent).
  std::string error_on(const std::string& scheme) const;
};
answer read(const http::response& response);

// A resource server with a config, its JWKS from jwks_json(), clock t0, and an event log in a
// temporary file.
class world {
 public:
  explicit world(rs_config config = {}, std::function<std::string()> jwks = jwks_json);
  ~world();

  answer call(const http::request& request, const http::connection_info& info = connection());
  const nlohmann::json& event() const { return last_event_; }
  std::vector<std::string> knobs() const;  // the last event's knobs
  resource_server& server() { return *server_; }
  void set_clock(int64_t now) { *now_ = now; }
  int64_t jwks_loads() const { return keys_->loads(); }

 private:
  std::shared_ptr<int64_t> now_;
  std::unique_ptr<jwks_source> keys_;
  std::unique_ptr<mocks::event_log> log_;
  std::unique_ptr<resource_server> server_;
  std::string log_path_;
  std::size_t lines_read_ = 0;
  nlohmann::json last_event_;
};

rs_config with(std::initializer_list<std::pair<const char*, nlohmann::json>> knobs);

std::string read_file(const std::string& path);
std::string make_temp_dir(const std::string& tag);

}  // namespace tether::rs::testing
