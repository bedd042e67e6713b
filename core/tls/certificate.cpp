// Loading and inspecting X.509 certificates. Everything that reads a field of a certificate
// goes through here, so the thumbprint (RFC 8705 3.1) and the names compared for
// tls_client_auth (RFC 8705 2.1.2) are computed one way only.

#include "core/tls/certificate.hpp"

#include <climits>
#include <ctime>
#include <fstream>
#include <sstream>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "core/jose/base64url.hpp"
#include "core/util/openssl_ptr.hpp"

namespace tether::tls {
namespace {

using names_ptr = std::unique_ptr<GENERAL_NAMES, ossl::deleter<GENERAL_NAMES_free>>;

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

// RFC 4514 string form. XN_FLAG_RFC2253 reverses the RDN order (4514 2.1 writes the last RDN
// of the encoded sequence first); ASN1_STRFLGS_ESC_MSB is dropped so that UTF-8 values stay
// readable instead of being written as \XX escapes (4514 2.4 allows either).
std::string name_to_string(const X509_NAME* name) {
  ossl::bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || !name) return {};
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bio_contents(bio.get());
}

int64_t asn1_time_to_epoch(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

// All SAN entries of one GENERAL_NAME type, as raw bytes (IA5String text, or the 4/16 octets
// of an iPAddress).
std::vector<std::string> san_entries(X509* cert, int type) {
  std::vector<std::string> out;
  if (!cert) return out;
  names_ptr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type != type) continue;
    const ASN1_STRING* s = nullptr;
    switch (type) {
      case GEN_DNS: s = gn->d.dNSName; break;
      case GEN_URI: s = gn->d.uniformResourceIdentifier; break;
      case GEN_EMAIL: s = gn->d.rfc822Name; break;
      case GEN_IPADD: s = gn->d.iPAddress; break;
      default: break;
    }
    if (!s) continue;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
  }
  return out;
}

}  // namespace

result<certificate> certificate::from_pem(std::string_view pem) {
  if (pem.size() > static_cast<size_t>(INT_MAX))
    return make_error("certificate.pem", "PEM text is too large");
  ossl::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return make_error("certificate.pem", "cannot allocate a memory BIO");
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (!cert) {
    std::string why = ossl::drain_errors();
    return make_error("certificate.pem",
                      "no PEM certificate (-----BEGIN CERTIFICATE-----) could be read" +
                          (why.empty() ? std::string() : ": " + why));
  }
  return adopt(cert);
}

result<certificate> certificate::from_der(std::string_view der) {
  if (der.empty()) return make_error("certificate.der", "DER certificate is empty");
  if (der.size() > static_cast<size_t>(LONG_MAX))
    return make_error("certificate.der", "DER certificate is too large");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* start = p;
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (!cert) {
    std::string why = ossl::drain_errors();
    return make_error("certificate.der", "bytes are not a DER X.509 certificate" +
                                             (why.empty() ? std::string() : ": " + why));
  }
  auto owned = adopt(cert);
  // A DER value is exactly one TLV; anything after it means the input was not one certificate.
  size_t used = static_cast<size_t>(p - start);
  if (used != der.size()) {
    return make_error("certificate.der_trailing",
                      std::to_string(der.size() - used) +
                          " bytes follow the DER certificate");
  }
  return owned;
}

result<certificate> certificate::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("certificate.file", "cannot open certificate file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  auto parsed = text.find("-----BEGIN") != std::string::npos ? from_pem(text) : from_der(text);
  if (!parsed) return make_error(parsed.err().code, path + ": " + parsed.err().message);
  return parsed;
}

certificate certificate::adopt(X509* cert) {
  certificate c;
  c.cert_ = std::shared_ptr<X509>(cert, X509_free);
  return c;
}

std::string certificate::der() const {
  if (!cert_) return {};
  unsigned char* out = nullptr;
  int len = i2d_X509(cert_.get(), &out);
  if (len <= 0) return {};
  std::string der(reinterpret_cast<const char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return der;
}

std::string certificate::pem() const {
  if (!cert_) return {};
  ossl::bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert_.get()) != 1) return {};
  return bio_contents(bio.get());
}

std::string certificate::x5t_s256() const {
  if (!cert_) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert_.get(), EVP_sha256(), md, &len) != 1) return {};
  return jose::base64url_encode(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string certificate::subject_dn() const {
  if (!cert_) return {};
  return name_to_string(X509_get_subject_name(cert_.get()));
}

std::string certificate::issuer_dn() const {
  if (!cert_) return {};
  return name_to_string(X509_get_issuer_name(cert_.get()));
}

std::vector<std::string> certificate::san_dns() const { return san_entries(cert_.get(), GEN_DNS); }
std::vector<std::string> certificate::san_uri() const { return san_entries(cert_.get(), GEN_URI); }
std::vector<std::string> certificate::san_email() const {
  return san_entries(cert_.get(), GEN_EMAIL);
}
std::vector<std::string> certificate::san_ip() const {
  return san_entries(cert_.get(), GEN_IPADD);
}

int64_t certificate::not_before() const {
  if (!cert_) return 0;
  return asn1_time_to_epoch(X509_get0_notBefore(cert_.get()));
}

int64_t certificate::not_after() const {
  if (!cert_) return 0;
  return asn1_time_to_epoch(X509_get0_notAfter(cert_.get()));
}

bool certificate::self_issued() const {
  if (!cert_) return false;
  return X509_NAME_cmp(X509_get_subject_name(cert_.get()), X509_get_issuer_name(cert_.get())) ==
         0;
}

std::unique_ptr<certificate> peer_certificate(SSL* ssl) {
  if (!ssl) return nullptr;
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return nullptr;
  return std::make_unique<certificate>(certificate::adopt(cert));
}

}  // namespace tether::tls
