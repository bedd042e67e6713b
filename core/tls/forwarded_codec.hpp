#pragma once
// The encodings inside forwarded-certificate headers, each parsed strictly: percent-encoding
// (RFC 3986 2.1), PEM (RFC 7468), Envoy's X-Forwarded-Client-Cert element syntax and the
// structured-field byte sequence of RFC 8941 3.3.5. Internal to core/tls: forwarded_cert.cpp
// combines them per header format. Every error code starts with "forwarded_cert.".

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/tls/certificate.hpp"
#include "core/util/result.hpp"

namespace tether::tls::detail {

// "%XX" sequences to bytes. A literal space, tab, CR, LF or other control byte means the text
// was never encoded (raw PEM); a '%' without two hex digits is a broken encoding. Each error
// message starts with `what`.
result<std::string> percent_decode(std::string_view text, const std::string& what);

// Every byte except RFC 3986 unreserved characters as %XX (upper-case hex), so that '+', '/'
// and '=' of the base64 body survive form-style decoders too.
std::string percent_encode(std::string_view bytes);

// One or more "-----BEGIN CERTIFICATE-----" blocks and nothing else but whitespace. The body
// is strict standard base64 once line breaks are removed.
result<std::vector<certificate>> parse_pem_certificates(std::string_view text,
                                                        const std::string& what);

// One XFCC element: its key=value pairs in order, keys lower-cased (Envoy: keys are
// case-insensitive, values case-sensitive), quoted values unescaped.
using xfcc_element = std::vector<std::pair<std::string, std::string>>;
result<std::vector<xfcc_element>> parse_xfcc(std::string_view value, const std::string& what);

// RFC 8941 3.3.5 byte sequence ":base64:" as the whole field value (after trimming SP and
// HTAB): returns the decoded bytes. Missing '=' padding is accepted (8941 4.2.7: parsers
// SHOULD NOT fail on it); any other departure is an error.
result<std::string> parse_sf_binary(std::string_view value, const std::string& what);

std::string_view trim_ows(std::string_view s);
std::string sha256_hex(std::string_view bytes);

}  // namespace tether::tls::detail
