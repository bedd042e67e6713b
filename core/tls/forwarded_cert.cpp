// The client certificate as a TLS-terminating proxy hands it on (RFC 8705 6.5 leaves the
// conveyance out of scope; RFC 9440 and the proxies' own headers fill the gap). Each format
// is decoded strictly, then one rule applies to all: the header must carry the client's own
// end-entity certificate, not a CA certificate from its chain.

#include "core/tls/forwarded_cert.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <openssl/x509v3.h>

#include "core/jose/base64url.hpp"
#include "core/tls/forwarded_codec.hpp"

namespace tether::tls {
namespace {

std::string what_of(forwarded_format f) {
  return std::string(default_header_name(f)) + " (" + to_string(f) + ")";
}

result<certificate> der_to_certificate(const std::string& der, const std::string& what) {
  auto cert = certificate::from_der(der);
  if (cert) return cert;
  bool trailing = cert.err().code == "certificate.der_trailing";
  return make_error(trailing ? "forwarded_cert.trailing_data" : "forwarded_cert.der",
                    what + ": " + cert.err().message);
}

// A CA certificate from the client's chain in place of the leaf (HAProxy's chain variables
// lack the leaf, keycloak/keycloak#49181). A CA certificate issued by another CA is an
// intermediate; a self-issued one is a root unless its key usage allows signing handshakes,
// which keeps self-signed client certificates made with `openssl req -x509` (CA:TRUE by the
// default configuration, no keyUsage) acceptable for self_signed_tls_client_auth (RFC 8705 2.2).
status check_leaf(const certificate& cert, const std::string& what) {
  X509* x = cert.native();
  if (X509_check_ca(x) == 0) return {};
  const bool can_sign_handshake = (X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE) != 0;
  if (cert.self_issued() && can_sign_handshake) return {};
  return make_error("forwarded_cert.chain_only",
                    what + " carries the CA certificate " + cert.subject_dn() +
                        " instead of the client's own certificate (a chain without its leaf)");
}

result<certificate> parse_escaped_pem(std::string_view value, const std::string& what) {
  auto pem = detail::percent_decode(value, what);
  if (!pem) return pem.err();
  auto certs = detail::parse_pem_certificates(*pem, what);
  if (!certs) return certs.err();
  if (certs->size() != 1) {
    return make_error("forwarded_cert.multiple_certs",
                      what + " holds " + std::to_string(certs->size()) +
                          " certificates; it carries the client certificate alone");
  }
  return certs->front();
}

result<certificate> parse_base64_der(std::string_view value, const std::string& what) {
  auto der = jose::base64_decode(value);
  if (!der) {
    std::string hint;
    if (value.substr(0, 5) == "-----")
      hint = " (it holds PEM)";
    else if (value.front() == ':')
      hint = " (it looks like an RFC 9440 byte sequence)";
    return make_error("forwarded_cert.base64",
                      what + " is not valid standard base64" + hint + ": " + der.err().message);
  }
  return der_to_certificate(*der, what);
}

const std::string* find_key(const detail::xfcc_element& element, std::string_view key) {
  for (const auto& [k, v] : element)
    if (k == key) return &v;
  return nullptr;
}

result<certificate> parse_xfcc(std::string_view value, const std::string& what) {
  auto elements = detail::parse_xfcc(value, what);
  if (!elements) return elements.err();
  // Each proxy appends its own element; with several, which hop saw the client is a guess.
  if (elements->size() > 1) {
    return make_error("forwarded_cert.multiple_hops",
                      what + " holds " + std::to_string(elements->size()) +
                          " elements (one per proxy hop); which hop's certificate to trust "
                          "is ambiguous, so none is");
  }
  const auto& element = elements->front();
  std::set<std::string_view> keys;
  for (const auto& pair : element)
    if (!keys.insert(pair.first).second)
      return make_error("forwarded_cert.duplicate_key",
                        what + " gives the key '" + pair.first + "' twice");
  const std::string* cert_value = find_key(element, "cert");
  const std::string* chain_value = find_key(element, "chain");
  if (!cert_value) {
    if (chain_value)
      return make_error("forwarded_cert.chain_only",
                        what + " has Chain= but no Cert=: the leaf certificate is missing");
    return make_error("forwarded_cert.no_cert",
                      what + " element has no Cert= key (only By/Hash/Subject/URI/DNS)");
  }
  if (cert_value->empty()) return make_error("forwarded_cert.empty", what + " Cert= is empty");
  auto cert = parse_escaped_pem(*cert_value, what + " Cert=");
  if (!cert) return cert.err();
  if (chain_value) {
    auto chain_pem = detail::percent_decode(*chain_value, what + " Chain=");
    if (!chain_pem) return chain_pem.err();
    auto chain = detail::parse_pem_certificates(*chain_pem, what + " Chain=");
    if (!chain) return chain.err();
  }
  if (const std::string* hash = find_key(element, "hash")) {
    std::string lowered = *hash;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered != detail::sha256_hex(cert->der())) {
      return make_error("forwarded_cert.hash_mismatch",
                        what + " Hash=" + *hash + " is not the SHA-256 of the DER in Cert=");
    }
  }
  return cert;
}

}  // namespace

const char* to_string(forwarded_format f) {
  switch (f) {
    case forwarded_format::rfc9440: return "rfc9440";
    case forwarded_format::xfcc: return "xfcc";
    case forwarded_format::escaped_pem: return "escaped_pem";
    case forwarded_format::base64_der: return "base64_der";
  }
  return "unknown";
}

result<forwarded_format> forwarded_format_from_string(std::string_view name) {
  for (auto f : {forwarded_format::rfc9440, forwarded_format::xfcc, forwarded_format::escaped_pem,
                 forwarded_format::base64_der})
    if (name == to_string(f)) return f;
  return make_error("forwarded_cert.format",
                    "unknown forwarded-certificate format '" + std::string(name) +
                        "' (known: rfc9440, xfcc, escaped_pem, base64_der)");
}

const char* default_header_name(forwarded_format f) {
  switch (f) {
    case forwarded_format::rfc9440: return "Client-Cert";
    case forwarded_format::xfcc: return "X-Forwarded-Client-Cert";
    case forwarded_format::escaped_pem: return "X-SSL-Client-Cert";
    case forwarded_format::base64_der: return "X-SSL-Client-DER";
  }
  return "X-SSL-Client-Cert";
}

result<certificate> parse_forwarded_certificate(forwarded_format format,
                                                const std::vector<std::string>& values) {
  const std::string what = what_of(format);
  if (values.empty()) return make_error("forwarded_cert.missing", what + " header is absent");
  // A proxy sends one field line; two mean a client-supplied copy survived next to the
  // proxy's (RFC 9440 2.2: a singleton field that MUST NOT occur multiple times).
  if (values.size() > 1) {
    return make_error("forwarded_cert.multiple_values",
                      what + " occurs " + std::to_string(values.size()) +
                          " times; exactly one field line is allowed");
  }
  const std::string_view value = detail::trim_ows(values.front());
  // HAProxy sent `""` when the client presented no certificate (cloudfoundry/haproxy-boshrelease#108).
  if (value.empty() || value == "\"\"")
    return make_error("forwarded_cert.empty", what + " is empty");

  result<certificate> cert = make_error("forwarded_cert.format", what + ": unknown format");
  switch (format) {
    case forwarded_format::rfc9440: {
      auto der = detail::parse_sf_binary(value, what);
      cert = der ? der_to_certificate(*der, what) : result<certificate>(der.err());
      break;
    }
    case forwarded_format::xfcc: cert = parse_xfcc(value, what); break;
    case forwarded_format::escaped_pem: cert = parse_escaped_pem(value, what); break;
    case forwarded_format::base64_der: cert = parse_base64_der(value, what); break;
  }
  if (!cert) return cert;
  if (auto leaf = check_leaf(*cert, what); !leaf) return leaf.err();
  return cert;
}

std::string format_forwarded_certificate(forwarded_format format, const certificate& cert) {
  switch (format) {
    case forwarded_format::rfc9440: return ":" + jose::base64_encode(cert.der()) + ":";
    case forwarded_format::xfcc:
      return "Hash=" + detail::sha256_hex(cert.der()) +
             ";Cert=\"" + detail::percent_encode(cert.pem()) + "\"";
    case forwarded_format::escaped_pem: return detail::percent_encode(cert.pem());
    case forwarded_format::base64_der: return jose::base64_encode(cert.der());
  }
  return {};
}

}  // namespace tether::tls
