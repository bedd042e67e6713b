// The HTTPS client: server verification (CA, host name and IP address), where and why an
// exchange fails, concurrent sends for replay races, and keep-alive connections.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

#include "net_test_support.hpp"

namespace tether::http {
namespace {

using namespace testing_support;

response ok_text(std::string body) {
  response r;
  r.headers.add("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

class HttpsClient : public testing::Test {
 protected:
  void SetUp() override {
    auto options = listener("main", client_cert_mode::optional);
    // Connections of send_concurrently wait, handshaken, for the slowest handshake; on a busy
    // or instrumented machine that may take longer than the default timeout.
    options.timeout = std::chrono::seconds(120);
    origin_ = srv_.add(options, [this](const request& req, const connection_info& i) {
      std::lock_guard lock(mutex_);
      ids_.push_back(req.headers.first("X-Id").value_or(""));
      remotes_.insert(i.remote_address);
      return ok_text("hello");
    });
    srv_.start();
  }

  running_server srv_{1};
  std::string origin_;
  std::mutex mutex_;
  std::vector<std::string> ids_;
  std::set<std::string> remotes_;
};

TEST_F(HttpsClient, VerifiesTheServerAgainstTheCa) {
  auto r = send_once(origin_ + "/x?y=1", request{}, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 200);
  EXPECT_EQ(r.resp->body, "hello");
  EXPECT_EQ(r.failure_stage, "");
  EXPECT_GT(r.handshake_ms, 0.0);
  EXPECT_GE(r.total_ms, r.handshake_ms);
}

TEST_F(HttpsClient, ReachesTheServerByName) {
  // The server certificate has DNS:localhost: SNI is sent and the name is checked.
  auto r = send_once("https://localhost:" + std::to_string(port_of(origin_)) + "/", request{}, client());
  ASSERT_TRUE(r.ok()) << r.failure_stage << ": " << r.failure;
}

TEST_F(HttpsClient, RefusesAServerFromAnotherCa) {
  auto options = client();
  options.ca_file = cert_path("ca-2");
  auto r = send_once(origin_, request{}, options);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure_stage, "handshake");
  EXPECT_NE(r.failure.find("certificate verify failed"), std::string::npos) << r.failure;
  EXPECT_FALSE(r.tls_alert);  // the client itself refused

  options.verify_server = false;
  auto unverified = send_once(origin_, request{}, options);
  ASSERT_TRUE(unverified.ok()) << unverified.failure;
}

TEST_F(HttpsClient, RefusesACertificateForAnotherAddress) {
  // ::ffff:127.0.0.1 reaches the same listener, but the certificate names 127.0.0.1 as a
  // 4-byte iPAddress; the 16-byte address does not match it (RFC 5280 4.2.1.6).
  auto r = send_once("https://[::ffff:127.0.0.1]:" + std::to_string(port_of(origin_)) + "/", request{}, client());
  if (r.failure_stage == "connect") GTEST_SKIP() << "no IPv4-mapped IPv6 here: " << r.failure;
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure_stage, "handshake");
  EXPECT_NE(r.failure.find("IP address mismatch"), std::string::npos) << r.failure;
}

TEST_F(HttpsClient, HeadResponseHasNoBody) {
  request req;
  req.method = "HEAD";
  auto r = send_once(origin_, req, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->headers.first("Content-Length"), "5");
  EXPECT_EQ(r.resp->body, "");
}

TEST_F(HttpsClient, SendsFiftyRequestsAtOnce) {
  std::vector<request> reqs(50);
  for (std::size_t i = 0; i < reqs.size(); ++i) reqs[i].headers.add("X-Id", std::to_string(i));
  auto options = client("client-a");
  options.timeout = std::chrono::seconds(120);  // a hang guard only: 50 handshakes on a busy machine
  auto results = send_concurrently(origin_ + "/replay", reqs, options);
  ASSERT_EQ(results.size(), 50u);
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.failure_stage << ": " << r.failure;
    EXPECT_EQ(r.resp->status, 200);
  }
  std::lock_guard lock(mutex_);
  std::set<std::string> ids(ids_.begin(), ids_.end());
  EXPECT_EQ(ids.size(), 50u);
  EXPECT_EQ(remotes_.size(), 50u);  // one connection each
}

TEST(HttpsClientLimits, ALongerBodyThanTheLimitIsNotReadAndSaysSo) {
  // A server may send any length: the client reads at most max_body_bytes of it, so that many
  // concurrent huge answers cannot exhaust its memory.
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::optional), [](const request&, const connection_info&) {
    return ok_text(std::string(300 * 1024, 'x'));
  });
  srv.start();
  auto options = client();
  options.max_body_bytes = 256 * 1024;
  auto cut = send_once(origin, request{}, options);
  EXPECT_FALSE(cut.ok());
  EXPECT_EQ(cut.failure_stage, "read");
  EXPECT_NE(cut.failure.find("larger than 262144 bytes"), std::string::npos) << cut.failure;
  auto results = send_concurrently(origin, std::vector<request>(3), options);
  for (const auto& r : results) EXPECT_EQ(r.failure_stage, "read") << r.failure;
  options.max_body_bytes = 512 * 1024;
  auto whole = send_once(origin, request{}, options);
  ASSERT_TRUE(whole.ok()) << whole.failure;
  EXPECT_EQ(whole.resp->body.size(), 300u * 1024);
}

TEST_F(HttpsClient, KeepAliveConnectionSendsSequences) {
  https_connection conn(origin_, client());
  for (int i = 0; i < 5; ++i) {
    request req;
    req.headers.add("X-Id", std::to_string(i));
    auto r = conn.send(req);
    ASSERT_TRUE(r.ok()) << r.failure;
  }
  std::lock_guard lock(mutex_);
  EXPECT_EQ(ids_, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(remotes_.size(), 1u);
}

TEST(HttpsConnection, ReconnectsWhenTheServerDroppedTheConnection) {
  // A server that goes away and comes back on the same port: the kept-alive connection is
  // dead without the client having been told, and the next send must still succeed.
  auto h = [](const request&, const connection_info&) { return ok_text("up"); };
  auto first = std::make_unique<running_server>();
  std::string origin = first->add(listener("main", client_cert_mode::none), h);
  first->start();
  https_connection conn(origin, client());
  ASSERT_TRUE(conn.send(request{}).ok());
  first.reset();  // stop() closes the idle connection without a close_notify

  running_server second;
  auto opts = listener("main", client_cert_mode::none);
  opts.port = port_of(origin);
  ASSERT_EQ(second.add(opts, h), origin);
  second.start();
  auto r = conn.send(request{});
  ASSERT_TRUE(r.ok()) << r.failure_stage << ": " << r.failure;
  EXPECT_EQ(r.resp->body, "up");
  EXPECT_GT(r.handshake_ms, 0.0);  // on a new connection
}

TEST(HttpsClientFailures, NameTheStage) {
  auto bad_scheme = send_once("http://127.0.0.1:1/", request{}, client());
  EXPECT_EQ(bad_scheme.failure_stage, "url");
  EXPECT_NE(bad_scheme.failure.find("not an https URL"), std::string::npos) << bad_scheme.failure;

  auto not_url = send_once("127.0.0.1 x", request{}, client());
  EXPECT_EQ(not_url.failure_stage, "url");

  auto options = client();
  options.cert_file = cert_dir() + "/absent.crt";
  auto no_cert = send_once("https://127.0.0.1:1/", request{}, options);
  EXPECT_EQ(no_cert.failure_stage, "setup");
  EXPECT_NE(no_cert.failure.find("absent.crt"), std::string::npos) << no_cert.failure;

  https_connection conn("https://127.0.0.1:1", options);
  EXPECT_EQ(conn.send(request{}).failure_stage, "setup");

  auto many = send_concurrently("ftp://x/", std::vector<request>(3), client());
  ASSERT_EQ(many.size(), 3u);
  for (const auto& r : many) EXPECT_EQ(r.failure_stage, "url");
}

TEST(HttpsClientFailures, ConnectionRefused) {
  uint16_t port;
  {
    https_server server;
    auto p = server.add_listener(listener("gone", client_cert_mode::none),
                                 [](const request&, const connection_info&) { return ok_text(""); });
    ASSERT_TRUE(p.ok());
    port = *p;
  }  // closed again
  auto r = send_once("https://127.0.0.1:" + std::to_string(port) + "/", request{}, client());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure_stage, "connect");
  EXPECT_FALSE(r.failure.empty());
}

TEST(HttpsClientFailures, ServerThatNeverAnswersTimesOut) {
  // A listening socket that nobody serves: TCP connects (the kernel completes it), the TLS
  // handshake never does.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";

  auto options = client();
  options.timeout = std::chrono::milliseconds(300);
  auto r = send_once(url, request{}, options);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure_stage, "timeout");
  EXPECT_NE(r.failure.find("handshake"), std::string::npos) << r.failure;

  https_connection conn(url, options);
  EXPECT_EQ(conn.send(request{}).failure_stage, "timeout");
  close(fd);
}

}  // namespace
}  // namespace tether::http
