#pragma once
// HTTPS listeners on Boost.Beast, hidden behind a plain interface: the mocks register handlers
// that take and return http::request/http::response and never include Beast or Asio. Every
// connection has a timeout, header and body sizes are bounded, TCP_NODELAY is set, and the
// peer certificate is captured once after the handshake (toolchain notes: TLS 1.3 clients see a
// rejected certificate only on their first read).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/http/message.hpp"
#include "core/util/result.hpp"

namespace tether::http {

enum class client_cert_mode {
  none,      // no CertificateRequest
  optional,  // CertificateRequest; a client without a certificate still connects ("requested")
  required,  // CertificateRequest; handshake fails without a certificate
};

const char* to_string(client_cert_mode);
result<client_cert_mode> client_cert_mode_from_string(std::string_view);

struct listener_options {
  std::string name = "main";
  std::string host = "127.0.0.1";
  uint16_t port = 0;                       // 0: ephemeral
  std::string cert_file;                   // server certificate chain (PEM)
  std::string key_file;                    // server private key (PEM)
  client_cert_mode client_certs = client_cert_mode::none;
  // Any client certificate is accepted at the TLS layer (self-signed, other CA, expired): the
  // application judges it, with chain_verify_result, as RFC 8705 2.1/2.2 require. A CA file
  // here only feeds that verify result and the CA names sent in the CertificateRequest.
  std::vector<std::string> client_ca_files;
  // Beyond these the server answers 431 or 413 (400 for a request it cannot parse), with a
  // JSON error body and "Connection: close", without calling the handler.
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  // Bounds the handshake, each whole request read (so a request trickling in is cut off),
  // each response write, the TLS shutdown, and the wait of an idle keep-alive connection.
  std::chrono::milliseconds timeout{10000};
  // Called (on a server thread) with one line for each connection that ended on an error: a
  // refused handshake ("peer did not return a certificate"), a timeout, bytes that are not
  // TLS or not HTTP. Optional; such connections are otherwise dropped silently. With
  // threads > 1 it may be called from several threads at once.
  std::function<void(const std::string&)> on_connection_error;
};

// Called on the connection's strand; with threads > 1, handlers of different connections run
// concurrently. An exception thrown by a handler becomes a 500 with a JSON body.
using handler = std::function<response(const request&, const connection_info&)>;

class https_server {
 public:
  // stop_on_signals: SIGINT and SIGTERM stop the server, from construction on (a signal that
  // arrives before run() is kept for it).
  explicit https_server(int threads = 1, bool stop_on_signals = false);
  ~https_server();
  https_server(const https_server&) = delete;
  https_server& operator=(const https_server&) = delete;

  // Binds and listens now, so the port is known before run(); returns the bound port.
  result<uint16_t> add_listener(const listener_options& options, handler h);

  // Serves until stop() or, with stop_on_signals, SIGINT/SIGTERM. Returns when every thread
  // ends. Call it once; destroy the server only after it returned (or without ever calling it).
  void run();
  // Thread-safe, also from a handler. Stops accepting, closes idle keep-alive connections and
  // lets requests in flight get their response (with "Connection: close") before run() returns.
  // A connection still mid-request (half sent, its response not read by the client, its TLS
  // close pending) gets 500 ms (at most the listener's timeout) to finish, then is closed, so
  // that a stalled client cannot delay the stop by the whole timeout.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace tether::http
