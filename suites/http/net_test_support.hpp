#pragma once
// What the in-process TLS tests share: the generated certificate set, a server running on its
// own thread for the length of a test, raw sockets for clients that misbehave below HTTP, and
// an x5t#S256 computed here with plain OpenSSL calls (not core/tls), as the known answer.

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/http/https_client.hpp"
#include "core/http/https_server.hpp"

namespace tether::http::testing_support {

// The directory of the suite's certificate set (generated on first use).
const std::string& cert_dir();
std::string cert_path(const std::string& name);  // "<dir>/<name>.crt"
std::string key_path(const std::string& name);   // "<dir>/<name>.key"

// base64url(SHA-256(DER)) of the first certificate in a PEM file (RFC 8705 3.1).
std::string expected_x5t(const std::string& name);

listener_options listener(const std::string& name, client_cert_mode mode);

// Client options trusting the suite CA, with the named client certificate ("" for none).
client_options client(const std::string& cert_name = "");

// An https_server serving on a background thread until the object is destroyed.
class running_server {
 public:
  explicit running_server(int threads = 1, bool stop_on_signals = false);
  ~running_server();

  // Adds a listener (before or after start) and returns "https://127.0.0.1:PORT".
  std::string add(listener_options options, handler h);
  void start();
  void stop_and_join();
  std::vector<std::string> connection_errors() const;
  https_server& server() { return server_; }

 private:
  https_server server_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> errors_;
};

// A TLS client on plain OpenSSL calls over a blocking socket, for clients that misbehave
// above TLS (a request that never ends). It trusts any server certificate.
class raw_tls_client {
 public:
  raw_tls_client() = default;
  raw_tls_client(const raw_tls_client&) = delete;
  raw_tls_client& operator=(const raw_tls_client&) = delete;
  ~raw_tls_client();
  bool connect(uint16_t port);
  bool write(const std::string& bytes);
  // Reads until the server closes; false if nothing closes within limit_ms (a hang guard).
  bool wait_for_close(int limit_ms);

 private:
  int fd_ = -1;
  struct ssl_ctx_st* ctx_ = nullptr;
  struct ssl_st* ssl_ = nullptr;
};

// Plain TCP to 127.0.0.1:port; -1 on failure.
int tcp_connect(uint16_t port);
uint16_t port_of(const std::string& origin);
// Blocks until the peer closes the connection (recv returns 0 or an error), reading and
// discarding whatever arrives; false if that takes longer than limit_ms (a hang guard).
bool wait_for_close(int fd, int limit_ms);

}  // namespace tether::http::testing_support
