// tether-rs with the mock AS, both as processes over TLS: the AS issues certificate-bound and
// DPoP-bound tokens (and introspects them), tether-rs fetches the AS's JWKS and judges them.
// Skipped when tether-as is not built in this tree.

#include <filesystem>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/http/https_client.hpp"
#include "core/jose/base64url.hpp"
#include "rs_process.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

int64_t wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

http::client_options tls_client(const std::string& cert_name = "") {
  http::client_options o;
  o.ca_file = certs_dir() + "/ca.crt";
  if (!cert_name.empty()) {
    o.cert_file = certs_dir() + "/" + cert_name + ".crt";
    o.key_file = certs_dir() + "/" + cert_name + ".key";
  }
  return o;
}

class WithTetherAs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (as_binary().empty() || access(as_binary().c_str(), X_OK) != 0)
      GTEST_SKIP() << "tether-as is not built in this tree";
    ASSERT_TRUE(as_.start_binary(as_binary(), {"--port", "0", "--mtls-port", "0", "--certs", certs_dir(),
                                               "--clients", std::string(TETHER_SOURCE_ROOT) +
                                                                "/targets/builtin-clients.json"}))
        << as_.output() << as_.errors();
  }
  void start_rs(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--issuer", as_.ready()["issuer"], "--certs", certs_dir()};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(rs_.start(args)) << rs_.output() << rs_.errors();
  }
  // One token response from the AS, as JSON.
  nlohmann::json token(http::request req, const std::string& url, const std::string& cert_name) {
    req.method = "POST";
    req.headers.add("Content-Type", "application/x-www-form-urlencoded");
    auto x = http::send_once(url, std::move(req), tls_client(cert_name));
    EXPECT_TRUE(x.ok()) << x.failure;
    if (!x.ok()) return nullptr;
    EXPECT_EQ(x.resp->status, 200) << x.resp->body;
    return nlohmann::json::parse(x.resp->body, nullptr, false);
  }
  http::exchange_result call(const std::string& scheme, const std::string& at, const std::string& cert_name,
                             const std::string& proof_value = "") {
    http::request r;
    r.headers.add("Authorization", scheme + " " + at);
    if (!proof_value.empty()) r.headers.add("DPoP", proof_value);
    return http::send_once(rs_.resource(), std::move(r), tls_client(cert_name));
  }

  rs_process as_;
  rs_process rs_;
};

TEST_F(WithTetherAs, CertificateBoundTokenFromTheAs) {
  start_rs({"--jwks-uri", as_.ready()["jwks_uri"]});
  http::request req;
  req.body = "grant_type=client_credentials&client_id=mtls-pki";
  auto t = token(std::move(req), as_.ready()["mtls_token_endpoint"], "client-a");
  ASSERT_TRUE(t.contains("access_token")) << t.dump();
  const std::string at = t["access_token"];
  auto ok = call("Bearer", at, "client-a");
  ASSERT_TRUE(ok.ok()) << ok.failure;
  EXPECT_EQ(ok.resp->status, 200) << ok.resp->body;
  auto none = call("Bearer", at, "");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.resp->status, 401);
  auto other = call("Bearer", at, "client-b");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.resp->status, 401);
}

TEST_F(WithTetherAs, DpopBoundTokenFromTheAsThroughIntrospection) {
  const std::string token_url = as_.ready()["token_endpoint"];
  dpop::proof_spec spec;
  spec.htm = "POST";
  spec.htu = token_url;
  spec.iat = wall_now();
  auto proof_for_as = dpop::build_proof(client_key(), spec);
  ASSERT_TRUE(proof_for_as);
  http::request req;
  req.headers.add("Authorization", "Basic " + jose::base64_encode("dpop-bound:dpop-bound-test-secret"));
  req.headers.add("DPoP", proof_for_as->compact);
  req.body = "grant_type=client_credentials";
  auto t = token(std::move(req), token_url, "");
  ASSERT_EQ(t.value("token_type", ""), "DPoP") << t.dump();
  const std::string at = t["access_token"];

  start_rs({"--knob", "token_format=introspection", "--introspection",
            as_.ready()["introspection_endpoint"], "--introspection-client", "rs:rs-introspection-test-secret"});
  proof_options o;
  o.url = rs_.resource();
  o.iat = wall_now();
  auto ok = call("DPoP", at, "", proof(at, o));
  ASSERT_TRUE(ok.ok()) << ok.failure;
  EXPECT_EQ(ok.resp->status, 200) << ok.resp->body;
  EXPECT_NE(ok.resp->body.find("\"introspection\""), std::string::npos);
  auto downgrade = call("Bearer", at, "");
  ASSERT_TRUE(downgrade.ok());
  EXPECT_EQ(downgrade.resp->status, 401);
}

}  // namespace
}  // namespace tether::rs::testing
