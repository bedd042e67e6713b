#pragma once
// The clients the mock AS knows, read from a tether-clients/1 file (targets/builtin-clients.json):
// RFC 7591 metadata plus the RFC 8705 (tls_client_auth_*, tls_client_certificate_bound_access_tokens)
// and RFC 9449 (dpop_bound_access_tokens) members. Self-signed clients name their registered
// certificates by `jwks_certs` (files of the certificate set) or carry them inline as `jwks`
// with x5c (RFC 8705 2.2).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tls/certificate.hpp"
#include "core/util/result.hpp"

namespace tether::as {

// Which single subject value a tls_client_auth client registered (RFC 8705 2.1.2: exactly one).
enum class subject_kind { none, dn, san_dns, san_uri, san_ip, san_email };

const char* to_string(subject_kind);

struct client {
  std::string name;         // registration name in the file ("mtls-pki")
  std::string client_id;
  std::string auth_method;  // token_endpoint_auth_method (RFC 7591 2; default client_secret_basic)
  std::string secret;

  subject_kind subject = subject_kind::none;
  std::string subject_value;  // as registered (for san_ip: the text form)
  std::string subject_ip;     // san_ip in binary form (RFC 5952 8)

  std::vector<tls::certificate> registered_certs;  // self_signed_tls_client_auth (RFC 8705 2.2)

  bool certificate_bound = false;  // tls_client_certificate_bound_access_tokens (RFC 8705 3.4)
  bool dpop_bound = false;         // dpop_bound_access_tokens (RFC 9449 5.2)

  std::optional<std::vector<std::string>> grant_types;  // absent: every grant the AS has
  std::vector<std::string> redirect_uris;

  bool is_public() const { return auth_method == "none"; }
  bool allows_grant(const std::string& grant) const;
  // Refresh tokens go only to clients that registered the refresh_token grant explicitly
  // (RFC 6749 4.4.3 discourages them for client_credentials otherwise).
  bool gets_refresh_tokens() const;
};

class client_registry {
 public:
  // certs_dir resolves jwks_certs names to <certs_dir>/<name>.crt.
  static result<client_registry> parse(const nlohmann::json& file, const std::string& certs_dir,
                                       const std::string& where);
  static result<client_registry> load(const std::string& path, const std::string& certs_dir);

  const client* find(const std::string& client_id) const;
  const std::map<std::string, client>& clients() const { return by_id_; }

 private:
  std::map<std::string, client> by_id_;
};

}  // namespace tether::as
