// certificate: thumbprint, names, SANs, validity and loading, checked against values computed
// independently (EVP_Digest, the openssl command line) or fixed by the set's design.

#include <cstdio>
#include <ctime>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "core/tls/certificate.hpp"
#include "suite_certs.hpp"

namespace tether::tls {
namespace {

using testing::suite_cert;
using testing::suite_certs_dir;

const char* const all_names[] = {"ca",         "ca-2",           "client-a",
                                 "client-b",   "client-a-rekeyed", "client-other-ca",
                                 "client-self-signed", "client-expired", "proxy", "server"};

// RFC 8705 3.1 computed without certificate::x5t_s256(): SHA-256 over the DER, then base64
// through EVP_EncodeBlock with the URL-safe substitutions and no padding.
std::string independent_x5t(const std::string& der) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EXPECT_EQ(EVP_Digest(der.data(), der.size(), md, &md_len, EVP_sha256(), nullptr), 1);
  unsigned char b64[64] = {};
  int n = EVP_EncodeBlock(b64, md, static_cast<int>(md_len));
  std::string out(reinterpret_cast<char*>(b64), static_cast<size_t>(n));
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

bool have_openssl_cli() { return std::system("command -v openssl >/dev/null 2>&1") == 0; }

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[256];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(certificate, x5t_s256_equals_sha256_of_der_base64url) {
  for (const char* name : all_names) {
    auto cert = suite_cert(name);
    const std::string x5t = cert.x5t_s256();
    EXPECT_EQ(x5t, independent_x5t(cert.der())) << name;
    EXPECT_EQ(x5t.size(), 43u) << name;  // 32 bytes, unpadded
    EXPECT_EQ(x5t.find_first_of("=+/ \n"), std::string::npos) << name;
  }
}

TEST(certificate, x5t_s256_equals_openssl_command_line) {
  if (!have_openssl_cli()) GTEST_SKIP() << "openssl is not on PATH";
  for (const char* name : {"client-a", "client-self-signed", "server"}) {
    const std::string file = suite_certs_dir() + "/" + name + ".crt";
    const std::string cli = run("openssl x509 -in '" + file +
                                "' -outform DER | openssl dgst -sha256 -binary | base64 | "
                                "tr '+/' '-_' | tr -d '='");
    EXPECT_EQ(suite_cert(name).x5t_s256(), cli) << name;
  }
}

TEST(certificate, subjects_and_issuers_as_designed) {
  struct row {
    const char* name;
    const char* subject;
    const char* issuer;
  };
  const row rows[] = {
      {"ca", "CN=Tether Test CA", "CN=Tether Test CA"},
      {"ca-2", "CN=Tether Other CA", "CN=Tether Other CA"},
      {"client-a", "CN=client-a,O=Tether Test", "CN=Tether Test CA"},
      {"client-b", "CN=client-b,O=Tether Test", "CN=Tether Test CA"},
      {"client-a-rekeyed", "CN=client-a,O=Tether Test", "CN=Tether Test CA"},
      {"client-other-ca", "CN=client-a,O=Tether Test", "CN=Tether Other CA"},
      {"client-self-signed", "CN=client-self-signed,O=Tether Test",
       "CN=client-self-signed,O=Tether Test"},
      {"client-expired", "CN=client-a,O=Tether Test", "CN=Tether Test CA"},
      {"proxy", "CN=tether-proxy,O=Tether Test", "CN=Tether Test CA"},
      {"server", "CN=localhost", "CN=Tether Test CA"},
  };
  for (const auto& r : rows) {
    auto cert = suite_cert(r.name);
    EXPECT_EQ(cert.subject_dn(), r.subject) << r.name;
    EXPECT_EQ(cert.issuer_dn(), r.issuer) << r.name;
    EXPECT_EQ(cert.self_issued(), std::string(r.subject) == r.issuer) << r.name;
  }
}

TEST(certificate, rekeyed_keeps_the_dn_but_not_the_thumbprint) {
  auto a = suite_cert("client-a");
  for (const char* other : {"client-a-rekeyed", "client-other-ca", "client-expired"}) {
    auto b = suite_cert(other);
    EXPECT_TRUE(dn_equal(a.subject_dn(), b.subject_dn())) << other;
    EXPECT_NE(a.x5t_s256(), b.x5t_s256()) << other;
  }
}

TEST(certificate, san_entries_of_client_a) {
  auto cert = suite_cert("client-a");
  EXPECT_EQ(cert.san_dns(), std::vector<std::string>{"client-a.tether.test"});
  EXPECT_EQ(cert.san_uri(), std::vector<std::string>{"https://client-a.tether.test/"});
  EXPECT_EQ(cert.san_email(), std::vector<std::string>{"client-a@tether.test"});
  const std::string v4("\x0a\x00\x00\x01", 4);
  const std::string v6("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
  EXPECT_EQ(cert.san_ip(), (std::vector<std::string>{v4, v6}));
}

TEST(certificate, san_entries_of_server_and_absent_ones) {
  auto server = suite_cert("server");
  EXPECT_EQ(server.san_dns(), std::vector<std::string>{"localhost"});
  EXPECT_EQ(server.san_ip(), std::vector<std::string>{std::string("\x7f\x00\x00\x01", 4)});
  EXPECT_TRUE(server.san_uri().empty());
  EXPECT_TRUE(suite_cert("ca").san_dns().empty());
  EXPECT_TRUE(suite_cert("ca").san_ip().empty());
}

TEST(certificate, validity_window) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto a = suite_cert("client-a");
  EXPECT_LE(a.not_before(), now);
  EXPECT_EQ(a.not_after() - a.not_before(), 30 * 86400 + 3600);  // 30 days after an hour back
  auto expired = suite_cert("client-expired");
  EXPECT_LT(expired.not_after(), now);
  EXPECT_EQ(expired.not_after() - expired.not_before(), 30 * 86400);
}

TEST(certificate, der_and_pem_round_trip) {
  auto a = suite_cert("client-a");
  auto from_der = certificate::from_der(a.der());
  ASSERT_TRUE(from_der) << from_der.err().message;
  EXPECT_EQ(from_der->x5t_s256(), a.x5t_s256());
  auto from_pem = certificate::from_pem(a.pem());
  ASSERT_TRUE(from_pem) << from_pem.err().message;
  EXPECT_EQ(from_pem->der(), a.der());
  EXPECT_EQ(a.pem().rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u);
}

TEST(certificate, load_file_reads_der_too) {
  const std::string dir = testing::make_temp_dir("der");
  testing::write_file(dir + "/a.der", suite_cert("client-a").der());
  auto loaded = certificate::load_file(dir + "/a.der");
  ASSERT_TRUE(loaded) << loaded.err().message;
  EXPECT_EQ(loaded->subject_dn(), "CN=client-a,O=Tether Test");
  std::remove((dir + "/a.der").c_str());
  std::remove(dir.c_str());
}

TEST(certificate, load_certificates_reads_every_block_in_order) {
  const std::string dir = testing::make_temp_dir("bundle");
  const std::string path = dir + "/bundle.pem";
  testing::write_file(path, suite_cert("client-a").pem() + suite_cert("ca").pem());
  auto certs = load_certificates(path);
  ASSERT_TRUE(certs) << certs.err().message;
  ASSERT_EQ(certs->size(), 2u);
  EXPECT_EQ((*certs)[0].subject_dn(), "CN=client-a,O=Tether Test");
  EXPECT_EQ((*certs)[1].subject_dn(), "CN=Tether Test CA");
  std::remove(path.c_str());
  std::remove(dir.c_str());
}

TEST(certificate, malformed_input_is_an_error_naming_the_problem) {
  const std::string der = suite_cert("client-a").der();
  struct row {
    result<certificate> got;
    const char* code;
  };
  const row rows[] = {
      {certificate::from_der(""), "certificate.der"},
      {certificate::from_der("not a certificate"), "certificate.der"},
      {certificate::from_der(der.substr(0, der.size() - 1)), "certificate.der"},
      {certificate::from_der(der + "x"), "certificate.der_trailing"},
      {certificate::from_pem("no pem here"), "certificate.pem"},
      {certificate::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
       "certificate.pem"},
      {certificate::load_file(suite_certs_dir() + "/no-such.crt"), "certificate.file"},
      {certificate::load_file(suite_certs_dir() + "/client-a.key"), "certificate.pem"},
  };
  for (const auto& r : rows) {
    ASSERT_FALSE(r.got) << r.code;
    EXPECT_EQ(r.got.err().code, r.code) << r.got.err().message;
    EXPECT_FALSE(r.got.err().message.empty());
  }
}

}  // namespace
}  // namespace tether::tls
