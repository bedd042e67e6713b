#include "net_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "certs/certgen.hpp"

namespace tether::http::testing_support {

const std::string& cert_dir() {
  static const std::string dir = [] {
    std::string d = std::string(TETHER_BINARY_ROOT) + "/certs";
    auto st = certs::ensure_suite_certificates(d);
    if (!st) ADD_FAILURE() << "certificate set in " << d << ": " << st.err().message;
    return d;
  }();
  return dir;
}

std::string cert_path(const std::string& name) { return cert_dir() + "/" + name + ".crt"; }
std::string key_path(const std::string& name) { return cert_dir() + "/" + name + ".key"; }

std::string expected_x5t(const std::string& name) {
  std::string path = cert_path(name);
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return "cannot open " + path;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!cert) return "cannot read " + path;
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  X509_free(cert);
  unsigned char digest[32];
  unsigned int digest_len = 0;
  EVP_Digest(der, static_cast<size_t>(len), digest, &digest_len, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  unsigned char b64[64];
  int n = EVP_EncodeBlock(b64, digest, static_cast<int>(digest_len));
  std::string out(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n));
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

listener_options listener(const std::string& name, client_cert_mode mode) {
  listener_options o;
  o.name = name;
  o.cert_file = cert_path("server");
  o.key_file = key_path("server");
  o.client_certs = mode;
  o.client_ca_files = {cert_path("ca")};
  return o;
}

client_options client(const std::string& cert_name) {
  client_options o;
  o.ca_file = cert_path("ca");
  if (!cert_name.empty()) {
    o.cert_file = cert_path(cert_name);
    o.key_file = key_path(cert_name);
  }
  return o;
}

running_server::running_server(int threads, bool stop_on_signals) : server_(threads, stop_on_signals) {}

running_server::~running_server() { stop_and_join(); }

std::string running_server::add(listener_options options, handler h) {
  options.on_connection_error = [this](const std::string& line) {
    std::lock_guard lock(mutex_);
    errors_.push_back(line);
  };
  auto port = server_.add_listener(options, std::move(h));
  if (!port) {
    ADD_FAILURE() << port.err().message;
    return "https://127.0.0.1:0";
  }
  return "https://127.0.0.1:" + std::to_string(*port);
}

void running_server::start() {
  thread_ = std::thread([this] { server_.run(); });
}

void running_server::stop_and_join() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
}

std::vector<std::string> running_server::connection_errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

int tcp_connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

uint16_t port_of(const std::string& origin) {
  return static_cast<uint16_t>(std::stoi(origin.substr(origin.rfind(':') + 1)));
}

bool wait_for_close(int fd, int limit_ms) {
  char buf[4096];
  for (int waited = 0; waited < limit_ms; waited += 50) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
  }
  return false;
}

raw_tls_client::~raw_tls_client() {
  if (ssl_) SSL_free(ssl_);
  if (ctx_) SSL_CTX_free(ctx_);
  if (fd_ >= 0) close(fd_);
}

bool raw_tls_client::connect(uint16_t port) {
  fd_ = tcp_connect(port);
  if (fd_ < 0) return false;
  ctx_ = SSL_CTX_new(TLS_client_method());
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  return SSL_connect(ssl_) == 1;
}

bool raw_tls_client::write(const std::string& bytes) {
  return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
}

bool raw_tls_client::wait_for_close(int limit_ms) {
  timeval tv{limit_ms / 1000, (limit_ms % 1000) * 1000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[4096];
  for (;;) {
    int n = SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) continue;
    int err = SSL_get_error(ssl_, n);
    // A receive timeout shows up as a syscall error with EAGAIN: the server never closed.
    return !(err == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK));
  }
}

}  // namespace tether::http::testing_support
