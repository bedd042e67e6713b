// verify_chain (RFC 8705 2.1: validate the chain before matching any subject value) and the
// peer certificate taken from a real OpenSSL handshake over an in-memory BIO pair.

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/tls/certificate.hpp"
#include "suite_certs.hpp"

namespace tether::tls {
namespace {

using testing::suite_cert;
using testing::suite_certs_dir;

TEST(verify_chain, ca_issued_client_validates_against_its_ca) {
  auto ok = verify_chain(suite_cert("client-a"), {}, {suite_cert("ca")});
  EXPECT_TRUE(ok) << (ok ? "" : ok.err().message);
  EXPECT_TRUE(verify_chain(suite_cert("client-other-ca"), {}, {suite_cert("ca-2")}));
  EXPECT_TRUE(verify_chain(suite_cert("server"), {}, {suite_cert("ca-2"), suite_cert("ca")}));
}

TEST(verify_chain, right_dn_from_the_wrong_ca_fails) {
  auto bad = verify_chain(suite_cert("client-other-ca"), {}, {suite_cert("ca")});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.err().code, "certificate.chain");
  EXPECT_NE(bad.err().message.find("unable to get local issuer certificate"), std::string::npos)
      << bad.err().message;
  EXPECT_FALSE(verify_chain(suite_cert("client-a"), {}, {suite_cert("ca-2")}));
}

TEST(verify_chain, expired_client_fails_saying_so) {
  auto bad = verify_chain(suite_cert("client-expired"), {}, {suite_cert("ca")});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.err().message.find("expired"), std::string::npos) << bad.err().message;
}

TEST(verify_chain, self_signed_client_fails) {
  auto bad = verify_chain(suite_cert("client-self-signed"), {}, {suite_cert("ca")});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.err().message.find("self-signed"), std::string::npos) << bad.err().message;
}

TEST(verify_chain, no_anchor_means_no_trust) {
  EXPECT_FALSE(verify_chain(suite_cert("client-a"), {}, {}));
  EXPECT_FALSE(verify_chain(certificate{}, {}, {suite_cert("ca")}));
}

TEST(verify_chain, time_argument_moves_the_clock) {
  auto a = suite_cert("client-a");
  EXPECT_TRUE(verify_chain(a, {}, {suite_cert("ca")}, a.not_before() + 86400));
  auto late = verify_chain(a, {}, {suite_cert("ca")}, a.not_after() + 86400);
  ASSERT_FALSE(late);
  EXPECT_NE(late.err().message.find("expired"), std::string::npos) << late.err().message;
  auto early = verify_chain(a, {}, {suite_cert("ca")}, a.not_before() - 86400);
  ASSERT_FALSE(early);
  EXPECT_NE(early.err().message.find("not yet valid"), std::string::npos) << early.err().message;
}

// --- peer_certificate over an in-memory handshake ---------------------------------------------

using ctx_ptr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using ssl_ptr = std::unique_ptr<SSL, decltype(&SSL_free)>;

ctx_ptr make_ctx(const SSL_METHOD* method, const std::string& name) {
  ctx_ptr ctx(SSL_CTX_new(method), SSL_CTX_free);
  if (!name.empty()) {
    const std::string base = suite_certs_dir() + "/" + name;
    EXPECT_EQ(SSL_CTX_use_certificate_file(ctx.get(), (base + ".crt").c_str(), SSL_FILETYPE_PEM), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx.get(), (base + ".key").c_str(), SSL_FILETYPE_PEM), 1);
  }
  return ctx;
}

// Runs a full handshake between a server (certificate "server", asking for a client
// certificate and accepting any) and a client presenting client_name (or nothing).
std::unique_ptr<certificate> handshake_and_get_peer(const std::string& client_name) {
  auto server_ctx = make_ctx(TLS_server_method(), "server");
  auto client_ctx = make_ctx(TLS_client_method(), client_name);
  SSL_CTX_set_verify(server_ctx.get(), SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  ssl_ptr server(SSL_new(server_ctx.get()), SSL_free);
  ssl_ptr client(SSL_new(client_ctx.get()), SSL_free);
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  EXPECT_EQ(BIO_new_bio_pair(&server_bio, 0, &client_bio, 0), 1);
  SSL_set_bio(server.get(), server_bio, server_bio);
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_accept_state(server.get());
  SSL_set_connect_state(client.get());
  bool client_done = false, server_done = false;
  for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
    if (!client_done) client_done = SSL_do_handshake(client.get()) == 1;
    if (!server_done) server_done = SSL_do_handshake(server.get()) == 1;
  }
  EXPECT_TRUE(client_done && server_done) << "handshake did not complete";
  ERR_clear_error();
  return peer_certificate(server.get());
}

TEST(peer_certificate, is_the_certificate_the_client_presented) {
  auto peer = handshake_and_get_peer("client-a");
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(peer->x5t_s256(), suite_cert("client-a").x5t_s256());
  auto self_signed = handshake_and_get_peer("client-self-signed");
  ASSERT_NE(self_signed, nullptr);
  EXPECT_EQ(self_signed->subject_dn(), "CN=client-self-signed,O=Tether Test");
}

TEST(peer_certificate, absent_when_the_client_sends_none) {
  EXPECT_EQ(handshake_and_get_peer(""), nullptr);
  EXPECT_EQ(peer_certificate(nullptr), nullptr);
}

}  // namespace
}  // namespace tether::tls
