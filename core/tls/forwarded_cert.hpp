#pragma once
// The client certificate as a TLS-terminating proxy forwards it to the application (RFC 8705
// 6.5 leaves this out of scope; these are the forms deployed proxies use). Parsing is strict:
// an empty, truncated or ambiguous header is an error, never a certificate. Whether to believe
// a header at all (trusted hop or not) is the caller's decision.

#include <string>
#include <string_view>
#include <vector>

#include "core/tls/certificate.hpp"
#include "core/util/result.hpp"

namespace tether::tls {

enum class forwarded_format {
  rfc9440,       // Client-Cert: :<base64 DER>:   (RFC 9440 2.2, a structured-field byte sequence)
  xfcc,          // X-Forwarded-Client-Cert: Hash=...;Cert="<url-encoded PEM>";... (Envoy)
  escaped_pem,   // nginx $ssl_client_escaped_cert: URL-encoded PEM
  base64_der,    // plain base64 DER (HAProxy ssl_c_der,base64)
};

const char* to_string(forwarded_format);
result<forwarded_format> forwarded_format_from_string(std::string_view name);
// The header name each format conventionally uses.
const char* default_header_name(forwarded_format);

// values: every field value of the header (more than one is an error: a proxy sends one).
result<certificate> parse_forwarded_certificate(forwarded_format format,
                                                const std::vector<std::string>& values);

// Encodes cert the way format expects (for the mock client acting as a proxy).
std::string format_forwarded_certificate(forwarded_format format, const certificate& cert);

}  // namespace tether::tls
