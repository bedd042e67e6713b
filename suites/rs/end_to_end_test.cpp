// tether-rs as a process over real TLS on 127.0.0.1: each client-certificate mode, DPoP, the
// trusted proxy, the JWKS fetched over HTTPS (and again on an unknown kid), the replay race,
// broken TLS, SIGTERM and bad input. The tokens are issued here with core/token, as the AS
// would, under a key published in a JWKS file or served by an in-process HTTPS server.

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/http/https_client.hpp"
#include "core/http/https_server.hpp"
#include "core/tls/forwarded_cert.hpp"
#include "rs_process.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

int64_t wall_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

nlohmann::json live_claims() {
  auto c = claims();
  c["iat"] = wall_now() - 5;
  c["exp"] = wall_now() + 600;
  return c;
}

std::string live_token(const nlohmann::json& cnf = nullptr) {
  auto c = live_claims();
  if (!cnf.is_null()) c["cnf"] = cnf;
  return issue(c);
}

http::client_options client(const std::string& cert_name = "") {
  http::client_options o;
  o.ca_file = certs_dir() + "/ca.crt";
  if (!cert_name.empty()) {
    o.cert_file = certs_dir() + "/" + cert_name + ".crt";
    o.key_file = certs_dir() + "/" + cert_name + ".key";
  }
  o.timeout = std::chrono::milliseconds(10000);
  return o;
}

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("rs-e2e");
    jwks_file_ = dir_ + "/jwks.json";
    std::ofstream(jwks_file_) << jwks_json();
    events_ = dir_ + "/events.jsonl";
  }
  void TearDown() override {
    rs_.stop();
    std::filesystem::remove_all(dir_);
  }
  void start(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--issuer", issuer, "--jwks-file", jwks_file_, "--certs", certs_dir(),
                                     "--event-log", events_};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(rs_.start(args)) << rs_.output() << rs_.errors();
  }
  http::exchange_result get(const std::string& token, const std::string& scheme,
                            const std::string& cert_name, const std::string& proof_value = "") {
    http::request r;
    r.headers.add("Authorization", scheme + " " + token);
    if (!proof_value.empty()) r.headers.add("DPoP", proof_value);
    return http::send_once(rs_.resource(), std::move(r), client(cert_name));
  }
  std::string live_proof(const std::string& token, const std::string& url) {
    proof_options o;
    o.url = url;
    o.iat = wall_now();
    return proof(token, o);
  }
  std::vector<nlohmann::json> events() {
    std::vector<nlohmann::json> out;
    std::istringstream lines(read_file(events_));
    for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line, nullptr, false));
    return out;
  }

  std::string dir_, jwks_file_, events_;
  rs_process rs_;
};

TEST_F(EndToEnd, OptionalModeMotivatingCase) {
  start({"--client-cert-mode", "optional"});
  EXPECT_TRUE(rs_.ready()["ready"]);
  EXPECT_EQ(rs_.ready()["client_cert_mode"], "optional");
  EXPECT_EQ(rs_.resource(), rs_.url() + "/resource");
  auto token = live_token({{"x5t#S256", cert("client-a")->x5t_s256()}});

  auto ok = get(token, "Bearer", "client-a");
  ASSERT_TRUE(ok.ok()) << ok.failure_stage << ": " << ok.failure;
  EXPECT_EQ(ok.resp->status, 200) << ok.resp->body;

  // "Requested, not required": the handshake succeeds without a certificate, and the
  // certificate-bound token is refused at the application layer.
  auto none = get(token, "Bearer", "");
  ASSERT_TRUE(none.ok()) << none.failure;
  EXPECT_EQ(none.resp->status, 401);
  EXPECT_NE(none.resp->headers.first("WWW-Authenticate").value_or("").find("error=\"invalid_token\""),
            std::string::npos);

  auto other = get(token, "Bearer", "client-b");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.resp->status, 401);

  auto ev = events();
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0]["binding"]["x5t#S256"], "verified");
  EXPECT_EQ(ev[0]["client_cert"]["x5t#S256"], cert("client-a")->x5t_s256());
  EXPECT_EQ(ev[1]["binding"]["x5t#S256"], "missing");
  EXPECT_EQ(ev[2]["binding"]["x5t#S256"], "mismatch");
}

TEST_F(EndToEnd, RequiredModeRefusesAtTheTlsLayer) {
  start({"--client-cert-mode", "required"});
  auto token = live_token({{"x5t#S256", cert("client-a")->x5t_s256()}});
  auto ok = get(token, "Bearer", "client-a");
  ASSERT_TRUE(ok.ok()) << ok.failure;
  EXPECT_EQ(ok.resp->status, 200);
  auto none = get(token, "Bearer", "");
  EXPECT_FALSE(none.ok());
  EXPECT_TRUE(none.failure_stage == "read" || none.failure_stage == "handshake") << none.failure_stage;
  EXPECT_TRUE(none.tls_alert) << none.failure;
  // The refused handshake is in the event log as a connection error.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  bool seen = false;
  for (const auto& e : events()) seen = seen || e.value("endpoint", "") == "connection";
  EXPECT_TRUE(seen);
}

TEST_F(EndToEnd, NoneModeNeverSeesACertificate) {
  start({"--client-cert-mode", "none"});
  auto token = live_token({{"x5t#S256", cert("client-a")->x5t_s256()}});
  auto a = get(token, "Bearer", "client-a");  // configured, but never requested
  ASSERT_TRUE(a.ok()) << a.failure;
  EXPECT_EQ(a.resp->status, 401);
  EXPECT_EQ(events().back()["binding"]["x5t#S256"], "missing");
  EXPECT_FALSE(events().back().contains("client_cert"));
}

TEST_F(EndToEnd, DpopOverTlsAndNonceRetry) {
  start({"--knob", "require_nonce=true"});
  auto token = live_token({{"jkt", client_key().thumbprint()}});
  auto first = get(token, "DPoP", "", live_proof(token, rs_.resource()));
  ASSERT_TRUE(first.ok()) << first.failure;
  EXPECT_EQ(first.resp->status, 401);
  auto nonce = first.resp->headers.first("DPoP-Nonce");
  ASSERT_TRUE(nonce);
  proof_options o;
  o.url = rs_.resource();
  o.iat = wall_now();
  o.nonce = *nonce;
  auto second = get(token, "DPoP", "", proof(token, o));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.resp->status, 200) << second.resp->body;
  EXPECT_TRUE(second.resp->headers.first("DPoP-Nonce").has_value());
}

TEST_F(EndToEnd, ExactlyOneOfFiftyIdenticalProofsGetsThrough) {
  // RFC 9449 11.1 under concurrency: the replay cache admits one use, whatever the timing.
  start({"--threads", "2"});
  auto token = live_token({{"jkt", client_key().thumbprint()}});
  http::request r;
  r.headers.add("Authorization", "DPoP " + token);
  r.headers.add("DPoP", live_proof(token, rs_.resource()));
  std::vector<http::request> copies(50, r);
  auto results = http::send_concurrently(rs_.resource(), std::move(copies), client());
  int accepted = 0, refused = 0;
  for (const auto& x : results) {
    ASSERT_TRUE(x.ok()) << x.failure_stage << ": " << x.failure;
    if (x.resp->status == 200) ++accepted;
    if (x.resp->status == 401) ++refused;
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(refused, 49);
}

TEST_F(EndToEnd, TrustedProxyHeaderOnlyFromTheProxy) {
  start({"--knob", "trusted_proxy=rfc9440"});
  auto token = live_token({{"x5t#S256", cert("client-a")->x5t_s256()}});
  auto send = [&](const std::string& cert_name) {
    http::request r;
    r.headers.add("Authorization", "Bearer " + token);
    r.headers.add("Client-Cert", tls::format_forwarded_certificate(tls::forwarded_format::rfc9440, *cert("client-a")));
    return http::send_once(rs_.resource(), std::move(r), client(cert_name));
  };
  auto via_proxy = send("proxy");
  ASSERT_TRUE(via_proxy.ok()) << via_proxy.failure;
  EXPECT_EQ(via_proxy.resp->status, 200) << via_proxy.resp->body;
  auto direct = send("");
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(direct.resp->status, 401);
  EXPECT_EQ(events().back()["forwarded_cert"]["trusted"], false);
}

TEST_F(EndToEnd, JwksFetchedOverHttpsAndAgainOnUnknownKid) {
  // A small HTTPS server plays the AS's jwks_uri.
  auto rotated = jose::jwk::generate("ES256");
  ASSERT_TRUE(rotated);
  rotated->set_member("kid", "as-2");
  std::atomic<int> fetches{0};
  std::atomic<bool> rotated_published{false};
  http::https_server as(1);
  http::listener_options lo;
  lo.cert_file = certs_dir() + "/server.crt";
  lo.key_file = certs_dir() + "/server.key";
  auto port = as.add_listener(lo, [&](const http::request&, const http::connection_info&) {
    ++fetches;
    nlohmann::json keys = {as_key().public_json()};
    if (rotated_published) keys.push_back(rotated->public_json());
    http::response res;
    res.headers.add("Content-Type", "application/json");
    res.body = nlohmann::json{{"keys", keys}}.dump();
    return res;
  });
  ASSERT_TRUE(port) << port.err().message;
  std::thread as_thread([&] { as.run(); });

  std::vector<std::string> args = {"--issuer", issuer, "--jwks-uri",
                                   "https://127.0.0.1:" + std::to_string(*port) + "/jwks", "--certs",
                                   certs_dir()};
  ASSERT_TRUE(rs_.start(args)) << rs_.output() << rs_.errors();
  EXPECT_EQ(fetches, 1);
  auto ok = get(live_token(), "Bearer", "");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.resp->status, 200);
  rotated_published = true;
  // tether-rs reloads at most once a second; let that second pass since the start-up fetch.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto c = live_claims();
  auto rotated_token = issue(c, *rotated);
  auto after = get(rotated_token, "Bearer", "");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.resp->status, 200) << after.resp->body;
  EXPECT_EQ(fetches, 2);
  rs_.stop();
  as.stop();
  as_thread.join();
}

TEST_F(EndToEnd, BrokenTlsDoesNotHurtTheNextClient) {
  start({});
  auto port = static_cast<uint16_t>(rs_.ready()["port"].get<int>());
  for (const char* garbage : {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\x16\x03\x01\x00\x05hello", ""}) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    if (*garbage) {
      ASSERT_GT(write(fd, garbage, std::strlen(garbage)), 0);
    }
    ::close(fd);
  }
  auto a = get(live_token(), "Bearer", "");
  ASSERT_TRUE(a.ok()) << a.failure;
  EXPECT_EQ(a.resp->status, 200);
}

int raw_connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST_F(EndToEnd, SilentClientIsDroppedWithoutBlockingOthers) {
  start({"--io-timeout-ms", "500"});
  int fd = raw_connect(static_cast<uint16_t>(rs_.ready()["port"].get<int>()));
  ASSERT_GE(fd, 0);
  // Another client is served while the silent one holds its connection.
  auto a = get(live_token(), "Bearer", "");
  ASSERT_TRUE(a.ok()) << a.failure;
  EXPECT_EQ(a.resp->status, 200);
  // The silent connection is closed by the server (not a wall-clock assertion: the read blocks
  // until the server acts, and the socket timeout only guards against a hang).
  timeval tv{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[16];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  EXPECT_LE(n, 0) << "the server closes a connection that sends nothing";
  ::close(fd);
}

TEST_F(EndToEnd, OversizedHeaderIsRefusedAndTheServerGoesOn) {
  start({});
  http::request r;
  r.headers.add("Authorization", "Bearer " + std::string(20000, 'a'));
  auto big = http::send_once(rs_.resource(), std::move(r), client());
  if (big.ok()) {
    EXPECT_EQ(big.resp->status, 431);  // or the connection was closed
  }
  auto a = get(live_token(), "Bearer", "");
  ASSERT_TRUE(a.ok()) << a.failure;
  EXPECT_EQ(a.resp->status, 200);
}

TEST_F(EndToEnd, StopsCleanlyOnSigterm) {
  start({});
  EXPECT_EQ(rs_.stop(5000), 0);
}

TEST_F(EndToEnd, BadInputExitsWith2) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"--issuer", issuer, "--jwks-file", jwks_file_, "--knob", "nope=1"},
           {"--issuer", issuer, "--jwks-file", dir_ + "/missing.json"},
           {"--issuer", issuer, "--jwks-uri", "https://127.0.0.1:1/jwks", "--fetch-timeout-ms", "500"},
           {"--issuer", issuer, "--jwks-file", jwks_file_, "--certs", dir_ + "/no-certs-here"}}) {
    rs_process p;
    EXPECT_FALSE(p.start(args, 15000)) << nlohmann::json(args).dump();
    EXPECT_EQ(p.wait_exit(), 2) << nlohmann::json(args).dump() << p.errors();
  }
}

TEST_F(EndToEnd, DescribeKnobsFromTheBinary) {
  rs_process p;
  EXPECT_FALSE(p.start({"--describe-knobs"}, 10000));
  EXPECT_EQ(p.wait_exit(), 0);
  auto j = nlohmann::json::parse(p.output(), nullptr, false);
  ASSERT_TRUE(j.is_array()) << p.output();
  EXPECT_GT(j.size(), 30u);
}

}  // namespace
}  // namespace tether::rs::testing
