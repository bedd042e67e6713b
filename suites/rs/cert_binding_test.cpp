// Certificate-bound tokens at the RS (RFC 8705 3, 3.1) with the certificate from the TLS layer
// or from a trusted proxy's header (RFC 8705 6.5; requirements section 4 items 8-10), and the
// missing-certificate answers of table 2.2 row A.

#include <gtest/gtest.h>

#include "core/tls/forwarded_cert.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(CertBinding, MatchingCertificateIsAccepted) {
  world w;
  answer a = w.call(bearer(mtls_token("client-a")), connection(cert("client-a")));
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["binding"]["x5t#S256"], "verified");
  EXPECT_EQ(a.body["client_cert"]["source"], "tls");
  EXPECT_EQ(w.event()["client_cert"]["x5t#S256"], cert("client-a")->x5t_s256());
}

TEST(CertBinding, SelfSignedCertificateBindsToo) {
  // RFC 8705 3 compares the thumbprint only; no chain is needed (RFC 8705 4, public clients).
  world w;
  EXPECT_EQ(w.call(bearer(mtls_token("client-self-signed")), connection(cert("client-self-signed"))).status, 200);
}

class OtherCertificate : public ::testing::TestWithParam<const char*> {};

TEST_P(OtherCertificate, Is401InvalidToken) {
  // RFC 8705 3: "MUST reject ... 401 ... invalid_token". client-a-rekeyed has client-a's DN and
  // another key: only the thumbprint tells them apart.
  world w;
  answer a = w.call(bearer(mtls_token("client-a")), connection(cert(GetParam())));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_token");
  EXPECT_EQ(a.error_on("DPoP"), "");
  EXPECT_EQ(w.event()["binding"]["x5t#S256"], "mismatch");
}

INSTANTIATE_TEST_SUITE_P(Rfc8705, OtherCertificate,
                         ::testing::Values("client-b", "client-a-rekeyed", "client-other-ca",
                                           "client-self-signed"));

struct missing_case {
  const char* knob;
  int status;
  const char* error;
};

void PrintTo(const missing_case& c, std::ostream* os) { *os << c.knob; }

class MissingCertificate : public ::testing::TestWithParam<missing_case> {};

TEST_P(MissingCertificate, AnswersAsConfigured) {
  // The motivating case: TLS set to "optional", a certificate-bound token, no certificate.
  const auto& c = GetParam();
  world w(with({{"missing_cert_response", c.knob}}));
  answer a = w.call(bearer(mtls_token("client-a")), connection(nullptr));
  EXPECT_EQ(a.status, c.status);
  EXPECT_EQ(a.error_on("Bearer"), c.error);
  EXPECT_EQ(a.body["error"], c.error);
  EXPECT_EQ(w.event()["binding"]["x5t#S256"], "missing");
  EXPECT_NE(w.event()["reason"].get<std::string>().find("row A"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(RowA, MissingCertificate,
                         ::testing::Values(missing_case{"401_invalid_token", 401, "invalid_token"},
                                           missing_case{"400_invalid_request", 400, "invalid_request"},
                                           missing_case{"401_unauthorized_client", 401, "unauthorized_client"}),
                         [](const auto& info) { return std::string(info.param.knob); });

TEST(CertBinding, UnboundTokenNeedsNoCertificate) {
  world w;
  EXPECT_EQ(w.call(bearer(bearer_token()), connection(nullptr)).status, 200);
  EXPECT_EQ(w.call(bearer(bearer_token()), connection(cert("client-b"))).status, 200);
}

// --- forwarded certificates ---------------------------------------------------------------

http::request forwarded(const std::string& token, tls::forwarded_format f, const std::string& cert_name) {
  auto r = bearer(token);
  r.headers.add(tls::default_header_name(f), tls::format_forwarded_certificate(f, *cert(cert_name)));
  return r;
}

class TrustedProxy : public ::testing::TestWithParam<tls::forwarded_format> {};

TEST_P(TrustedProxy, HeaderFromTheProxyIsBelieved) {
  const auto f = GetParam();
  world w(with({{"trusted_proxy", tls::to_string(f)}}));
  answer a = w.call(forwarded(mtls_token("client-a"), f, "client-a"), connection(cert("proxy")));
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["client_cert"]["source"], "forwarded");
  EXPECT_EQ(w.event()["forwarded_cert"]["trusted"], true);
  EXPECT_EQ(w.event()["forwarded_cert"]["x5t#S256"], cert("client-a")->x5t_s256());
  // The same header naming another client's certificate is refused as a mismatch.
  answer b = w.call(forwarded(mtls_token("client-a"), f, "client-b"), connection(cert("proxy")));
  EXPECT_EQ(b.status, 401);
  EXPECT_EQ(b.error_on("Bearer"), "invalid_token");
}

TEST_P(TrustedProxy, HeaderFromAnyoneElseIsIgnored) {
  const auto f = GetParam();
  world w(with({{"trusted_proxy", tls::to_string(f)}}));
  // A client without a certificate claims client-a's: not believed, so the certificate is missing.
  answer a = w.call(forwarded(mtls_token("client-a"), f, "client-a"), connection(nullptr));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(w.event()["forwarded_cert"]["trusted"], false);
  EXPECT_EQ(w.event()["binding"]["x5t#S256"], "missing");
  // A client with its own certificate: that one counts, the header does not.
  answer b = w.call(forwarded(mtls_token("client-a"), f, "client-a"), connection(cert("client-b")));
  EXPECT_EQ(b.status, 401);
  EXPECT_EQ(w.event()["binding"]["x5t#S256"], "mismatch");
}

INSTANTIATE_TEST_SUITE_P(Formats, TrustedProxy,
                         ::testing::Values(tls::forwarded_format::rfc9440, tls::forwarded_format::xfcc,
                                           tls::forwarded_format::escaped_pem,
                                           tls::forwarded_format::base64_der),
                         [](const auto& info) { return std::string(tls::to_string(info.param)); });

TEST(CertBinding, ProxyWithoutHeaderMeansNoCertificate) {
  // The proxy's own certificate is the hop's, never the client's.
  world w(with({{"trusted_proxy", "rfc9440"}}));
  answer a = w.call(bearer(mtls_token("proxy")), connection(cert("proxy")));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(w.event()["binding"]["x5t#S256"], "missing");
}

TEST(CertBinding, EmptyOrBrokenHeaderFromProxyMeansNoCertificate) {
  world w(with({{"trusted_proxy", "xfcc"}}));
  for (const char* value : {"", "Hash=abc", "Cert=\"not a certificate\""}) {
    auto r = bearer(mtls_token("client-a"));
    r.headers.add("X-Forwarded-Client-Cert", value);
    answer a = w.call(r, connection(cert("proxy")));
    EXPECT_EQ(a.status, 401) << value;
    EXPECT_EQ(w.event()["binding"]["x5t#S256"], "missing") << value;
    EXPECT_TRUE(w.event()["forwarded_cert"].contains("error")) << value;
  }
}

TEST(CertBinding, TwoForwardedHeadersAreNotBelieved) {
  world w(with({{"trusted_proxy", "rfc9440"}}));
  auto r = forwarded(mtls_token("client-a"), tls::forwarded_format::rfc9440, "client-a");
  r.headers.add("Client-Cert", tls::format_forwarded_certificate(tls::forwarded_format::rfc9440, *cert("client-b")));
  EXPECT_EQ(w.call(r, connection(cert("proxy"))).status, 401);
}

TEST(CertBinding, WithoutTrustedProxyHeadersAreNotRead) {
  world w;
  answer a = w.call(forwarded(mtls_token("client-a"), tls::forwarded_format::rfc9440, "client-a"),
                    connection(nullptr));
  EXPECT_EQ(a.status, 401);
  EXPECT_FALSE(w.event().contains("forwarded_cert"));
}

}  // namespace
}  // namespace tether::rs::testing
