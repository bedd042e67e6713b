// tether-as as a process over real TLS on loopback: the ready line, each client authentication
// method, each binding, nonces, introspection, refresh, the listener knobs, bad input at start,
// hostile connections, and a clean stop on SIGTERM. Every process is stopped by its PID.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "as_process.hpp"
#include "as_test_support.hpp"
#include "core/http/https_client.hpp"
#include "mocks/as/token_profiles.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

http::client_options tls_as(const std::string& cert_name = "") {
  http::client_options o;
  o.ca_file = certs_dir() + "/ca.crt";
  if (!cert_name.empty()) {
    o.cert_file = certs_dir() + "/" + cert_name + ".crt";
    o.key_file = certs_dir() + "/" + cert_name + ".key";
  }
  return o;
}

http::exchange_result post(const std::string& url, const form& fields, const std::string& cert_name = "",
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::request req = post_form("", fields);
  req.target.clear();
  for (auto& [n, v] : headers) req.headers.add(n, v);
  return http::send_once(url, std::move(req), tls_as(cert_name));
}

http::exchange_result get(const std::string& url) {
  http::request req;
  req.target.clear();
  return http::send_once(url, std::move(req), tls_as());
}

std::string make_proof(const std::string& url, int key = 0, std::optional<std::string> nonce = std::nullopt) {
  dpop::proof_spec spec;
  spec.htm = "POST";
  spec.htu = url;
  spec.iat = static_cast<int64_t>(std::time(nullptr));
  spec.nonce = std::move(nonce);
  auto p = dpop::build_proof(dpop_key(key), spec);
  EXPECT_TRUE(p);
  return p ? p->compact : "";
}

json json_of(const http::exchange_result& r) {
  return r.resp ? json::parse(r.resp->body, nullptr, false) : json();
}

std::string basic(const std::string& id) { return basic_header(id, secret_of(id)); }

class AsE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { as_ = new as_process(); }
  static void TearDownTestSuite() {
    delete as_;
    as_ = nullptr;
  }
  static as_process* as_;
};
as_process* AsE2E::as_ = nullptr;

TEST_F(AsE2E, ReadyLineMatchesTheMetadata) {
  ASSERT_TRUE(as_->ready());
  const json& r = as_->ready_line();
  EXPECT_EQ(r["pid"], as_->pid());
  EXPECT_EQ(r["issuer"].get<std::string>().rfind("https://127.0.0.1:", 0), 0u);
  auto meta = get(r["metadata_url"]);
  ASSERT_TRUE(meta.ok()) << meta.failure;
  json m = json_of(meta);
  EXPECT_EQ(m["issuer"], r["issuer"]);
  EXPECT_EQ(m["token_endpoint"], r["token_endpoint"]);
  EXPECT_EQ(m["mtls_endpoint_aliases"]["token_endpoint"], r["mtls_token_endpoint"]);
  EXPECT_EQ(m["jwks_uri"], r["jwks_uri"]);
  EXPECT_EQ(m["authorization_endpoint"], r["authorization_endpoint"]);
  EXPECT_EQ(m["introspection_endpoint"], r["introspection_endpoint"]);
  EXPECT_EQ(r["mtls_origin"], "https://127.0.0.1:" + std::to_string(r["mtls_port"].get<int>()));
  EXPECT_EQ(json_of(get(r["jwks_uri"]))["keys"].size(), 1u);
}

TEST_F(AsE2E, TlsClientAuthGetsACertificateBoundToken) {
  auto res = post(as_->url("mtls_token_endpoint"), {{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}},
                  "client-a", {{"Tether-Trace", "e2e/tls-client-auth"}});
  ASSERT_TRUE(res.ok()) << res.failure_stage << ": " << res.failure;
  ASSERT_EQ(res.resp->status, 200) << res.resp->body;
  json b = json_of(res);
  EXPECT_EQ(b["token_type"], "Bearer");
  EXPECT_EQ(jwt_claims(b["access_token"])["cnf"]["x5t#S256"], x5t_of("client-a"));
  bool logged = false;
  for (const auto& e : as_->events()) {
    if (e.value("trace", "") != "e2e/tls-client-auth") continue;
    logged = true;
    EXPECT_EQ(e["client_cert"]["x5t#S256"], x5t_of("client-a"));
    EXPECT_EQ(e["auth_method"], "tls_client_auth");
    EXPECT_EQ(e["listener"], "mtls");
    EXPECT_EQ(e["cnf"]["x5t#S256"], x5t_of("client-a"));
  }
  EXPECT_TRUE(logged);
}

TEST_F(AsE2E, SelfSignedTlsClientAuth) {
  auto res = post(as_->url("mtls_token_endpoint"),
                  {{"grant_type", "client_credentials"}, {"client_id", "mtls-self-signed"}}, "client-self-signed");
  ASSERT_TRUE(res.ok()) << res.failure;
  ASSERT_EQ(res.resp->status, 200) << res.resp->body;
  EXPECT_EQ(jwt_claims(json_of(res)["access_token"])["cnf"]["x5t#S256"], x5t_of("client-self-signed"));
}

TEST_F(AsE2E, WrongCertificatesAreRefused) {
  for (const char* name : {"client-b", "client-other-ca", "client-expired"}) {
    auto res = post(as_->url("mtls_token_endpoint"), {{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}},
                    name);
    ASSERT_TRUE(res.ok()) << name << ": " << res.failure;
    EXPECT_EQ(res.resp->status, 400) << name;
    EXPECT_EQ(json_of(res)["error"], "invalid_client") << name;
  }
}

TEST_F(AsE2E, SecretBasicAndSecretPost) {
  auto b = post(as_->url("token_endpoint"), {{"grant_type", "client_credentials"}}, "",
                {{"Authorization", basic("secret-basic")}});
  ASSERT_TRUE(b.ok()) << b.failure;
  EXPECT_EQ(b.resp->status, 200) << b.resp->body;
  auto p = post(as_->url("token_endpoint"), {{"grant_type", "client_credentials"}, {"client_id", "secret-post"},
                                             {"client_secret", secret_of("secret-post")}});
  ASSERT_TRUE(p.ok()) << p.failure;
  EXPECT_EQ(p.resp->status, 200) << p.resp->body;
  auto wrong = post(as_->url("token_endpoint"), {{"grant_type", "client_credentials"}}, "",
                    {{"Authorization", basic_header("secret-basic", "nope")}});
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong.resp->status, 401);
  EXPECT_TRUE(wrong.resp->headers.first("WWW-Authenticate"));
}

TEST_F(AsE2E, DpopBoundTokenAndItsIntrospection) {
  std::string url = as_->url("token_endpoint");
  auto res = post(url, {{"grant_type", "client_credentials"}}, "",
                  {{"Authorization", basic("secret-basic")}, {"DPoP", make_proof(url)}});
  ASSERT_TRUE(res.ok()) << res.failure;
  ASSERT_EQ(res.resp->status, 200) << res.resp->body;
  json b = json_of(res);
  EXPECT_EQ(b["token_type"], "DPoP");
  EXPECT_EQ(jwt_claims(b["access_token"])["cnf"]["jkt"], dpop_key(0).thumbprint());
  auto info = post(as_->url("introspection_endpoint"), {{"token", b["access_token"]}}, "",
                   {{"Authorization", basic("rs")}});
  ASSERT_TRUE(info.ok()) << info.failure;
  EXPECT_EQ(json_of(info)["cnf"]["jkt"], dpop_key(0).thumbprint());
  EXPECT_EQ(json_of(info)["token_type"], "DPoP");
}

TEST_F(AsE2E, PublicClientCodeFlowWithDpopAndBoundRefresh) {
  form q = {{"response_type", "code"}, {"client_id", "public"}, {"redirect_uri", "https://client.tether.test/cb"},
            {"code_challenge", pkce_challenge()}, {"code_challenge_method", "S256"},
            {"dpop_jkt", dpop_key(0).thumbprint()}};
  auto authz = get(as_->url("authorization_endpoint") + "?" + http::format_form(q));
  ASSERT_TRUE(authz.ok()) << authz.failure;
  ASSERT_EQ(authz.resp->status, 302);
  auto code = redirect_params(*authz.resp)["code"];
  ASSERT_FALSE(code.empty());
  std::string url = as_->url("token_endpoint");
  auto tok = post(url, code_exchange("public", code), "", {{"DPoP", make_proof(url)}});
  ASSERT_TRUE(tok.ok()) << tok.failure;
  ASSERT_EQ(tok.resp->status, 200) << tok.resp->body;
  std::string rt = json_of(tok)["refresh_token"];
  form refresh = {{"grant_type", "refresh_token"}, {"client_id", "public"}, {"refresh_token", rt}};
  auto other = post(url, refresh, "", {{"DPoP", make_proof(url, 1)}});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(json_of(other)["error"], "invalid_grant");
  auto same = post(url, refresh, "", {{"DPoP", make_proof(url, 0)}});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same.resp->status, 200) << same.resp->body;
}

TEST_F(AsE2E, GarbageAndHalfOpenConnectionsLeaveItServing) {
  int port = as_->ready_line()["port"];
  auto connect_raw = [port] {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  };
  int half_open = connect_raw();  // never says anything
  int garbage = connect_raw();
  const char junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n\x16\x03\x01\xff\xff garbage";
  EXPECT_GT(write(garbage, junk, sizeof junk), 0);
  char buf[256];
  (void)read(garbage, buf, sizeof buf);  // the server closes or sends an alert
  close(garbage);
  auto meta = get(as_->url("metadata_url"));
  ASSERT_TRUE(meta.ok()) << meta.failure;
  EXPECT_EQ(meta.resp->status, 200);
  close(half_open);
  EXPECT_TRUE(as_->alive());
}

TEST_F(AsE2E, OversizedBodyIsRefusedAndTheServerGoesOn) {
  auto res = post(as_->url("token_endpoint"), {{"grant_type", std::string(2 * 1024 * 1024, 'x')}});
  if (res.ok()) {
    EXPECT_GE(res.resp->status, 400);
  }
  EXPECT_TRUE(as_->alive());
  EXPECT_TRUE(get(as_->url("jwks_uri")).ok());
}

TEST(AsE2EProcess, NoncesOverTheWire) {
  as_process as({"--knob", "require_nonce=true"});
  ASSERT_TRUE(as.ready());
  std::string url = as.url("token_endpoint");
  auto first = post(url, {{"grant_type", "client_credentials"}}, "",
                    {{"Authorization", basic("secret-basic")}, {"DPoP", make_proof(url)}});
  ASSERT_TRUE(first.ok()) << first.failure;
  EXPECT_EQ(first.resp->status, 400);
  EXPECT_EQ(json_of(first)["error"], "use_dpop_nonce");
  ASSERT_EQ(first.resp->headers.count("DPoP-Nonce"), 1u);
  auto retry = post(url, {{"grant_type", "client_credentials"}}, "",
                    {{"Authorization", basic("secret-basic")},
                     {"DPoP", make_proof(url, 0, *first.resp->headers.first("DPoP-Nonce"))}});
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry.resp->status, 200) << retry.resp->body;
  EXPECT_EQ(retry.resp->headers.count("DPoP-Nonce"), 1u);
}

TEST(AsE2EProcess, OpaqueTokensIntrospectWithTheirCertificateBinding) {
  as_process as({"--knob", "token_format=opaque"});
  ASSERT_TRUE(as.ready());
  auto tok = post(as.url("mtls_token_endpoint"), {{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}},
                  "client-a");
  ASSERT_TRUE(tok.ok()) << tok.failure;
  ASSERT_EQ(tok.resp->status, 200) << tok.resp->body;
  auto info = post(as.url("mtls_introspection_endpoint"), {{"token", json_of(tok)["access_token"]}}, "client-a",
                   {{"Authorization", basic("rs")}});
  ASSERT_TRUE(info.ok()) << info.failure;
  EXPECT_EQ(json_of(info)["cnf"]["x5t#S256"], x5t_of("client-a"));
  // Refresh: mtls-pki registered refresh_token; a confidential client's RT is not key-bound.
  auto refreshed = post(as.url("mtls_token_endpoint"),
                        {{"grant_type", "refresh_token"}, {"client_id", "mtls-pki"},
                         {"refresh_token", json_of(tok)["refresh_token"]}},
                        "client-a-rekeyed");
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(refreshed.resp->status, 200) << refreshed.resp->body;
}

TEST(AsKnob, mtls_client_cert_mode) {
  const form fields = {{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}};
  as_process optional_mode;
  ASSERT_TRUE(optional_mode.ready());
  auto answered = post(optional_mode.url("mtls_token_endpoint"), fields);
  ASSERT_TRUE(answered.ok()) << answered.failure;  // connected without a certificate
  EXPECT_EQ(json_of(answered)["error"], "invalid_client");

  as_process required({"--knob", "mtls_client_cert_mode=required"});
  ASSERT_TRUE(required.ready());
  auto refused = post(required.url("mtls_token_endpoint"), fields);
  EXPECT_FALSE(refused.ok());  // TLS refusal (under TLS 1.3 seen on the first read)
  EXPECT_TRUE(refused.failure_stage == "handshake" || refused.failure_stage == "read") << refused.failure_stage;
  auto with_cert = post(required.url("mtls_token_endpoint"), fields, "client-a");
  ASSERT_TRUE(with_cert.ok()) << with_cert.failure;
  EXPECT_EQ(with_cert.resp->status, 200);
}

TEST(AsE2EProcess, WithoutAliasesTheMainListenerAsksForCertificates) {
  as_process as({"--knob", "publish_mtls_aliases=false"});
  ASSERT_TRUE(as.ready());
  auto res = post(as.url("token_endpoint"), {{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}}, "client-a");
  ASSERT_TRUE(res.ok()) << res.failure;
  ASSERT_EQ(res.resp->status, 200) << res.resp->body;
  EXPECT_EQ(jwt_claims(json_of(res)["access_token"])["cnf"]["x5t#S256"], x5t_of("client-a"));
}

TEST(AsE2EProcess, SigtermStopsItCleanly) {
  as_process as;
  ASSERT_TRUE(as.ready());
  EXPECT_EQ(as.stop(), 0);
}

TEST(AsE2EProcess, FixedPortIssuerAndKeySurviveARestart) {
  std::string dir = make_temp_dir("fixed");
  std::string key = dir + "/as-signing.pem";
  std::string kid;
  for (int run = 0; run < 2; ++run) {
    as_process as({"--signing-key", key, "--issuer", "https://localhost:1/", "--knob", "signing_alg=ES256"});
    ASSERT_TRUE(as.ready());
    EXPECT_EQ(as.ready_line()["issuer"], "https://localhost:1");
    EXPECT_EQ(as.ready_line()["token_endpoint"], "https://localhost:1/token");
    std::string jwks = "https://127.0.0.1:" + std::to_string(as.ready_line()["port"].get<int>()) + "/jwks";
    auto keys = json_of(get(jwks));
    ASSERT_EQ(keys["keys"].size(), 1u);
    if (run == 0) {
      kid = keys["keys"][0]["kid"];
    } else {
      EXPECT_EQ(keys["keys"][0]["kid"], kid);
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(AsE2EProcess, BadInputExitsWith2NamingIt) {
  std::string dir = make_temp_dir("bad");
  std::ofstream(dir + "/broken.json") << "{\"port\": ";
  std::ofstream(dir + "/unknown.json") << "{\"colour\": \"blue\"}";
  std::ofstream(dir + "/clients.json") << R"({"clients": {"x": {"token_endpoint_auth_method": "tls_client_auth"}}})";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--no-such-flag"}, "--no-such-flag"},
      {{"--knob", "no_such_knob=1"}, "no_such_knob"},
      {{"--knob", "token_format=xml"}, "token_format"},
      {{"--config", dir + "/missing.json"}, "missing.json"},
      {{"--config", dir + "/broken.json"}, "broken.json"},
      {{"--config", dir + "/unknown.json"}, "colour"},
      {{"--clients", dir + "/clients.json", "--certs", certs_dir()}, "tls_client_auth"},
      {{"--issuer", "http://insecure.example", "--certs", certs_dir()}, "--issuer"},
      {{"--port", "99999"}, "--port"},
  };
  for (const auto& [args, named] : cases) {
    auto r = run_to_exit(args);
    EXPECT_EQ(r.status, 2) << args[0] << " " << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << "stderr does not name " << named << ": " << r.err;
  }
  std::filesystem::remove_all(dir);
}

TEST(AsE2EProcess, HelpExplainsEveryKnob) {
  auto r = run_to_exit({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const auto& k : knobs().describe())
    EXPECT_NE(r.out.find(k["name"].get<std::string>()), std::string::npos) << k["name"];
  for (const char* option : {"--port", "--mtls-port", "--issuer", "--signing-key", "--clients", "--certs",
                             "--event-log", "--knob", "--describe-knobs", "--config"})
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
}

TEST(AsE2EProcess, DescribeKnobsPrintsTheTable) {
  auto r = run_to_exit({"--describe-knobs"});
  EXPECT_EQ(r.status, 0);
  json printed = json::parse(r.out, nullptr, false);
  EXPECT_EQ(printed, describe_knobs());
  // The table, with per_token on exactly the knobs a token profile may set.
  ASSERT_TRUE(printed.is_array());
  ASSERT_EQ(printed.size(), knobs().describe().size());
  for (const auto& k : printed)
    EXPECT_EQ(k.value("per_token", false), per_token_knobs().count(k["name"].get<std::string>()) == 1) << k["name"];
}

}  // namespace
}  // namespace tether::as
