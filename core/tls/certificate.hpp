#pragma once
// X.509 certificates: loading, the RFC 8705 3.1 thumbprint x5t#S256, subject and SANs for
// tls_client_auth matching (RFC 8705 2.1.2), chain validation against configured anchors
// (2.1), and the peer certificate of an OpenSSL connection. The only place that reads
// certificates.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/util/result.hpp"

namespace tether::tls {

class certificate {
 public:
  static result<certificate> from_pem(std::string_view pem);   // first certificate in the text
  static result<certificate> from_der(std::string_view der);
  static result<certificate> load_file(const std::string& path);  // PEM or DER
  static certificate adopt(X509* cert);                           // takes ownership

  std::string der() const;
  std::string pem() const;

  // base64url(SHA-256(DER)), no padding (RFC 8705 3.1).
  std::string x5t_s256() const;

  std::string subject_dn() const;  // RFC 4514 string form, e.g. "CN=client-a,O=Tether Test"
  std::string issuer_dn() const;
  std::vector<std::string> san_dns() const;
  std::vector<std::string> san_uri() const;
  std::vector<std::string> san_email() const;
  std::vector<std::string> san_ip() const;  // binary form: 4 or 16 bytes each
  int64_t not_before() const;               // seconds since the epoch
  int64_t not_after() const;
  bool self_issued() const;                 // subject == issuer

  X509* native() const { return cert_.get(); }

 private:
  std::shared_ptr<X509> cert_;
};

result<std::vector<certificate>> load_certificates(const std::string& path);  // every PEM block

// RFC 5280 path validation of leaf (plus untrusted intermediates) against trust anchors, at
// time `at` (seconds since the epoch; 0 = now). The error message carries OpenSSL's reason.
status verify_chain(const certificate& leaf, const std::vector<certificate>& intermediates,
                    const std::vector<certificate>& anchors, int64_t at = 0);

// The certificate the peer presented on an established connection, if any.
std::unique_ptr<certificate> peer_certificate(SSL* ssl);

// RFC 8705 2.1.2 comparisons.
// Distinguished names compared as RFC 4517 distinguishedNameMatch would for the common
// attribute types: same RDN sequence, attribute types case-insensitive, string values compared
// after insignificant-space handling and case folding.
bool dn_equal(std::string_view a, std::string_view b);
// Textual IPv4 or IPv6 address to its binary form (4 or 16 bytes), RFC 5952 section 8.
result<std::string> ip_to_binary(std::string_view text);

}  // namespace tether::tls
