#pragma once
// The TLS settings of the HTTPS listeners and client as plain OpenSSL calls on SSL_CTX and SSL.
// Internal to core/http: kept out of the Beast translation units so that the choices that
// matter for the suite (which certificates are requested and accepted, what is verified) read
// and compile on their own.

#include <memory>
#include <string>

#include <openssl/ssl.h>

#include "core/http/https_client.hpp"
#include "core/http/https_server.hpp"
#include "core/util/result.hpp"

namespace tether::http::detail {

struct ssl_ctx_deleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, ssl_ctx_deleter>;

// Server certificate and key, TLS 1.2 minimum, and the client certificate request of
// options.client_certs. Any presented client certificate is accepted (see the .cpp).
result<ssl_ctx_ptr> make_server_context(const listener_options& options);

// Trust anchors (ca_file) when verify_server, and the client certificate if configured.
result<ssl_ctx_ptr> make_client_context(const client_options& options);

// Per connection: SNI and, when verify is on, the server identity check against host.
status configure_client_ssl(SSL* ssl, const std::string& host, bool verify);

// What the transport records about an established server-side connection.
void describe_tls_connection(SSL* ssl, connection_info& info);

// An OpenSSL error code (as Asio stores it in its ssl category) as text without the
// "(SSL routines)" suffix, e.g. "tlsv13 alert certificate required".
std::string tls_error_text(unsigned long code);

// True when the code reports an alert received from the peer, as opposed to a local failure.
bool is_peer_alert(unsigned long code);

// "alert", "not_tls" or "server_certificate" for an OpenSSL error code, "" for any other
// (exchange_result::failure_kind).
std::string tls_failure_kind(unsigned long code);

// The client's verify result for the server chain, in words ("" when it verified).
std::string server_verify_failure(SSL* ssl);

}  // namespace tether::http::detail
