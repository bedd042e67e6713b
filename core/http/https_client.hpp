#pragma once
// HTTPS client on Boost.Beast behind a plain interface, for the mock client, the mock RS
// (JWKS, introspection) and tests. It reports where an exchange failed (connect, handshake,
// first read: under TLS 1.3 a server's certificate rejection arrives there) and the TLS alert
// text, because "the server refused at the TLS layer" is an observable answer the suite grades.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/http/message.hpp"

namespace tether::http {

struct client_options {
  std::string ca_file;           // trust anchors for the server certificate
  bool verify_server = true;
  std::string cert_file;         // client certificate (PEM chain); empty: none
  std::string key_file;          // its private key
  std::chrono::milliseconds timeout{10000};  // whole exchange
  // A longer response body is not read: the exchange fails at stage "read" saying so, and no
  // more than this is held in memory for it.
  std::uint64_t max_body_bytes = 64 * 1024 * 1024;
};

struct exchange_result {
  std::optional<response> resp;  // set when a complete response was read
  // "", "url", "setup" (CA, certificate or key file unusable), "connect", "handshake",
  // "write", "read", "timeout" (no progress before the deadline; failure names the step).
  std::string failure_stage;
  std::string failure;           // text, e.g. "tlsv13 alert certificate required"
  bool tls_alert = false;        // the failure is a TLS alert from the peer
  // What kind of failure, where the stage alone does not say: "alert" (the peer sent a TLS
  // alert: a refusal), "not_tls" (the peer's bytes are not TLS at all), "server_certificate"
  // (this client did not trust the server's certificate), "too_large" (the response passed
  // this client's size limits), "closed" (the connection ended before any byte of a
  // response), or "" (anything else).
  std::string failure_kind;
  std::string tls_version;
  double handshake_ms = 0;       // 0 when a kept-alive connection was reused
  double total_ms = 0;           // connect (if any) to the end of the response
  bool ok() const { return resp.has_value(); }
};

// One request on a new connection. url: absolute https URL; its path and query are sent
// unless request.target is something other than "" or the default "/"; Host is set when
// absent, Content-Length when neither it nor Transfer-Encoding is given. The server
// certificate is checked against the URL's host (IP address or DNS name, SNI for names).
exchange_result send_once(const std::string& url, request req, const client_options& options);

// Sends every request at the same moment on its own connection (handshakes first, then all
// writes released together), for replay races and load. Results in input order; the timeout
// bounds the whole call.
std::vector<exchange_result> send_concurrently(const std::string& url, std::vector<request> reqs,
                                               const client_options& options);

// A keep-alive connection for sequences of requests to one origin (an https URL; requests
// whose target is "" or "/" go to its path).
class https_connection {
 public:
  https_connection(std::string origin, client_options options);
  ~https_connection();
  // Reconnects if the server closed the connection; a request that found a kept-alive
  // connection closed before any byte of response is sent once more on a new one.
  exchange_result send(request req);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace tether::http
