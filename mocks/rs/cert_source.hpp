#pragma once
// Where the client's certificate comes from: the TLS layer of this connection (RFC 8705 3: the
// RS MUST obtain it from the TLS layer), or, only when a trusted proxy is configured and the
// connection presents the suite's proxy certificate, a forwarded-certificate header in the
// configured format (RFC 8705 6.5 leaves that hop out of scope; requirements 4 items 8-10).
//
// Decisions, documented in the README:
// - a header on a connection that is not the trusted proxy is ignored (logged, never believed);
//   the certificate from this connection's TLS layer counts instead;
// - on the proxy's connection the proxy's own TLS certificate never counts as the client's; an
//   absent, empty, repeated or unparsable header means "no client certificate".

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "core/tls/certificate.hpp"
#include "core/tls/forwarded_cert.hpp"
#include "core/util/result.hpp"
#include "mocks/rs/rs_config.hpp"

namespace tether::rs {

struct observed_cert {
  std::shared_ptr<const tls::certificate> cert;  // the client's certificate as believed
  std::string source;           // "tls", "forwarded", or "" when there is none
  bool proxy_connection = false;
  nlohmann::json forwarded;     // event member forwarded_cert (null when no header was involved)
  std::vector<std::string> knobs;
};

class cert_source {
 public:
  // proxy_x5t: x5t#S256 of the trusted proxy's certificate (needed when trusted_proxy is set).
  static result<cert_source> make(const rs_config& config, std::optional<std::string> proxy_x5t);

  observed_cert observe(const http::request& request, const http::connection_info& info) const;

 private:
  cert_source() = default;
  bool trusted_proxy_ = false;
  bool trust_any_ = false;
  std::optional<tls::forwarded_format> format_;
  std::optional<std::string> proxy_x5t_;
};

}  // namespace tether::rs
