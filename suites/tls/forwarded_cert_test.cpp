// Forwarded client certificates: every format round-trips, the encodings are the ones the
// proxies produce (values built by the tests' own encoders), and the real-world spellings a
// strict parser must still accept are accepted. Malformed input: forwarded_malformed_test.cpp.

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include "core/tls/forwarded_cert.hpp"
#include "forwarded_test_support.hpp"
#include "suite_certs.hpp"

namespace tether::tls {
namespace {

using testing::parse_one;
using testing::suite_cert;

constexpr forwarded_format all_formats[] = {forwarded_format::rfc9440, forwarded_format::xfcc,
                                            forwarded_format::escaped_pem,
                                            forwarded_format::base64_der};

TEST(forwarded_cert, every_format_round_trips) {
  for (const char* name : {"client-a", "client-b", "client-self-signed", "client-expired",
                           "proxy"}) {
    const auto cert = suite_cert(name);
    for (auto f : all_formats) {
      const std::string value = format_forwarded_certificate(f, cert);
      auto back = parse_one(f, value);
      ASSERT_TRUE(back) << name << " " << to_string(f) << ": " << back.err().message;
      EXPECT_EQ(back->der(), cert.der()) << name << " " << to_string(f);
    }
  }
}

TEST(forwarded_cert, formatted_values_are_what_proxies_send) {
  const auto cert = suite_cert("client-a");
  const std::string b64 = testing::std_base64(cert.der());
  const std::string escaped = testing::url_encode(cert.pem());
  EXPECT_EQ(format_forwarded_certificate(forwarded_format::rfc9440, cert), ":" + b64 + ":");
  EXPECT_EQ(format_forwarded_certificate(forwarded_format::base64_der, cert), b64);
  EXPECT_EQ(format_forwarded_certificate(forwarded_format::escaped_pem, cert), escaped);
  EXPECT_EQ(escaped.rfind("-----BEGIN%20CERTIFICATE-----%0A", 0), 0u);
  EXPECT_EQ(format_forwarded_certificate(forwarded_format::xfcc, cert),
            "Hash=" + testing::sha256_hex(cert.der()) + ";Cert=\"" + escaped + "\"");
}

TEST(forwarded_cert, values_built_independently_parse) {
  const auto cert = suite_cert("client-a");
  const std::string b64 = testing::std_base64(cert.der());
  const std::string pem_lower = testing::url_encode(cert.pem(), /*lower_hex=*/true);
  const std::string chain = testing::url_encode(cert.pem() + suite_cert("ca").pem());
  const struct {
    forwarded_format format;
    std::string value;
    const char* why;
  } rows[] = {
      {forwarded_format::rfc9440, "  :" + b64 + ":  ", "RFC 8941: surrounding spaces"},
      {forwarded_format::xfcc,
       "By=spiffe://tether.test/rs;Hash=" + testing::sha256_hex(cert.der()) + ";Cert=\"" +
           pem_lower + "\";Chain=\"" + chain +
           "\";Subject=\"CN=client-a,O=Tether Test\";URI=https://client-a.tether.test/;"
           "DNS=client-a.tether.test",
       "Envoy: every key, quoted Subject with ',' and '='"},
      {forwarded_format::xfcc, "cert=" + pem_lower, "lower-case key, unquoted value"},
      {forwarded_format::xfcc, "Cert=\"" + pem_lower + "\" ; HASH=" +
                                   testing::sha256_hex(cert.der()), "spaces, upper-case Hash"},
      {forwarded_format::escaped_pem, pem_lower, "lower-case %xx"},
      {forwarded_format::escaped_pem, testing::url_encode(cert.pem() + "\n\n"),
       "trailing newlines"},
      {forwarded_format::base64_der, " " + b64 + "\t", "surrounding OWS"},
  };
  for (const auto& r : rows) {
    auto got = parse_one(r.format, r.value);
    ASSERT_TRUE(got) << r.why << ": " << got.err().message;
    EXPECT_EQ(got->x5t_s256(), cert.x5t_s256()) << r.why;
  }
}

TEST(forwarded_cert, rfc9440_without_padding_is_accepted) {
  // RFC 8941 4.2.7: parsers SHOULD NOT fail when '=' padding is missing. Whether a DER length
  // needs padding depends on the certificate, so every certificate of the set is tried.
  for (const auto& name : {"ca", "ca-2", "client-a", "client-b", "client-a-rekeyed",
                           "client-other-ca", "client-self-signed", "client-expired", "proxy",
                           "server"}) {
    const auto cert = suite_cert(name);
    std::string b64 = testing::std_base64(cert.der());
    if (b64.back() != '=') continue;
    while (b64.back() == '=') b64.pop_back();
    auto got = parse_one(forwarded_format::rfc9440, ":" + b64 + ":");
    if (std::string(name).rfind("ca", 0) == 0) {
      ASSERT_FALSE(got);  // parsed, then refused as a CA certificate
      EXPECT_EQ(got.err().code, "forwarded_cert.chain_only");
    } else {
      ASSERT_TRUE(got) << name << ": " << got.err().message;
      EXPECT_EQ(got->der(), cert.der());
    }
  }
}

// A self-signed certificate as `openssl req -x509` makes it (CA:TRUE from the default
// configuration) is a legitimate self_signed_tls_client_auth client; a CA certificate that
// cannot sign a handshake (keyUsage without digitalSignature) is not a client at all.
certificate make_self_signed(const char* basic_constraints, const char* key_usage) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* x = X509_new();
  X509_set_version(x, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("req-x509"), -1, -1, 0);
  X509_set_issuer_name(x, X509_get_subject_name(x));
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_basic_constraints, basic_constraints},
                            std::pair{NID_key_usage, key_usage}}) {
    if (!value) continue;
    X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
    EXPECT_NE(ext, nullptr);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  EXPECT_GT(X509_sign(x, key, EVP_sha256()), 0);
  EVP_PKEY_free(key);
  return certificate::adopt(x);
}

TEST(forwarded_cert, self_signed_ca_true_client_is_a_leaf) {
  for (const char* ku : {static_cast<const char*>(nullptr), "digitalSignature,keyCertSign"}) {
    auto cert = make_self_signed("critical,CA:TRUE", ku);
    auto got = parse_one(forwarded_format::rfc9440,
                         format_forwarded_certificate(forwarded_format::rfc9440, cert));
    EXPECT_TRUE(got) << (ku ? ku : "no keyUsage") << ": " << (got ? "" : got.err().message);
  }
  auto ca_only = make_self_signed("critical,CA:TRUE", "critical,keyCertSign,cRLSign");
  auto got = parse_one(forwarded_format::base64_der,
                       format_forwarded_certificate(forwarded_format::base64_der, ca_only));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.err().code, "forwarded_cert.chain_only");
}

TEST(forwarded_cert, format_names_and_header_names) {
  for (auto f : all_formats) {
    auto back = forwarded_format_from_string(to_string(f));
    ASSERT_TRUE(back) << to_string(f);
    EXPECT_EQ(*back, f);
  }
  EXPECT_STREQ(to_string(forwarded_format::escaped_pem), "escaped_pem");
  EXPECT_STREQ(default_header_name(forwarded_format::rfc9440), "Client-Cert");
  EXPECT_STREQ(default_header_name(forwarded_format::xfcc), "X-Forwarded-Client-Cert");
  auto unknown = forwarded_format_from_string("RFC9440");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.err().code, "forwarded_cert.format");
  EXPECT_NE(unknown.err().message.find("RFC9440"), std::string::npos);
}

}  // namespace
}  // namespace tether::tls
