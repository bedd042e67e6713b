#pragma once
// Shared by the tether-as handler tests: the generated certificate set (once per program), the
// built-in client registry, an AS built in memory with a fixed clock and its events captured,
// and builders for token requests, client certificates and DPoP proofs. No sockets.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/dpop/proof_builder.hpp"
#include "core/http/message.hpp"
#include "core/jose/jwk.hpp"
#include "core/tls/certificate.hpp"
#include "mocks/as/as_config.hpp"
#include "mocks/as/as_server.hpp"
#include "mocks/as/as_state.hpp"

namespace tether::as::testing {

using form = std::vector<std::pair<std::string, std::string>>;

inline const std::string issuer = "https://as.tether.test:8443";
inline const std::string mtls_origin = "https://as.tether.test:8444";
inline const std::string token_url = issuer + "/token";
inline const std::string mtls_token_url = mtls_origin + "/token";

const std::string& certs_dir();
std::string source_root();
std::string builtin_clients_file();
// The time the certificate set was generated: the fixed "now" of every AS built here.
int64_t start_time();
std::string make_temp_dir(const std::string& tag);
std::string read_text(const std::string& path);

tls::certificate cert(const std::string& name);
std::string x5t_of(const std::string& cert_name);

// Secrets as registered in targets/builtin-clients.json.
std::string secret_of(const std::string& client_id);

// An AS in memory: built-in clients, a fresh signing key for config.signing_alg, events kept.
class test_as {
 public:
  explicit test_as(as_config config = {});
  http::response call(const http::request& req, const http::connection_info& conn);
  as_state& state() { return server_->state(); }
  // Copies, so that a test may index members that are absent (they read as null).
  nlohmann::json last_event() const { return events_.empty() ? nlohmann::json() : events_.back(); }
  std::vector<nlohmann::json> events() const { return events_; }
  void advance(int64_t seconds) { now_ += seconds; }
  int64_t now() const { return now_; }

 private:
  std::unique_ptr<as_server> server_;
  std::vector<nlohmann::json> events_;
  int64_t now_;
};

// The connection a request arrives on: the main listener (no certificate), or the mTLS
// listener with the named certificate ("" for none).
http::connection_info main_conn();
http::connection_info mtls_conn(const std::string& cert_name = "");

http::request post_form(const std::string& target, const form& fields);
// A token request; with basic set, an Authorization: Basic header for (client_id, secret).
http::request token_request(const form& fields,
                            std::optional<std::pair<std::string, std::string>> basic = std::nullopt);
std::string basic_header(const std::string& id, const std::string& secret);
http::request with_proof(http::request req, const std::string& proof);

// DPoP keys by slot, generated once per program.
const jose::jwk& dpop_key(int slot = 0);
// A proof for POST url at the AS's time, with optional nonce and defects.
dpop::built_proof proof(const test_as& as, const std::string& url = token_url, int key_slot = 0,
                        std::optional<std::string> nonce = std::nullopt,
                        const dpop::proof_defects& defects = {});

nlohmann::json body(const http::response& res);
// The claims of a compact JWT, decoded without verification.
nlohmann::json jwt_claims(const std::string& token);
nlohmann::json jwt_header(const std::string& token);

// PKCE: the RFC 7636 appendix B verifier and its S256 challenge (known answer).
std::string pkce_verifier();
std::string pkce_challenge();

// Runs GET /authorize for client_id and returns the code from the redirect (failing the test
// when there is none). extra: more query parameters (dpop_jkt, scope, resource, ...).
std::string authorize(test_as& as, const std::string& client_id, const form& extra = {},
                      bool pkce = true);
// The query parameters of a redirect's Location.
std::map<std::string, std::string> redirect_params(const http::response& res);

// Refresh-token and code-exchange form builders for the registered redirect URI.
form code_exchange(const std::string& client_id, const std::string& code, bool with_verifier = true);

// Asserts an RFC 6749 5.2 error with status and code; returns the body.
nlohmann::json expect_error(const http::response& res, int status, const std::string& code);

}  // namespace tether::as::testing
