#pragma once
// base64url without padding (RFC 7515 section 2 and appendix C), strict on input: a JOSE value
// with padding, whitespace or characters outside the URL-safe alphabet is malformed, and the
// suite must be able to tell such a value apart from a correct one (RFC 8705 3.1: "MUST NOT
// have padding"). Standard base64 (RFC 4648 section 4) is here too, for x5c and certificate
// headers, and for the mock AS's deliberately non-conforming x5t#S256 knobs.

#include <string>
#include <string_view>

#include "core/util/result.hpp"

namespace tether::jose {

std::string base64url_encode(std::string_view bytes);

// Rejects '=', whitespace, '+', '/', any other non-alphabet byte, and a length of 1 mod 4.
// Also rejects non-canonical encodings whose unused trailing bits are not zero.
result<std::string> base64url_decode(std::string_view text);

// Standard alphabet with '=' padding.
std::string base64_encode(std::string_view bytes);

// Standard alphabet; padding required when the length is not a multiple of 4; no whitespace.
result<std::string> base64_decode(std::string_view text);

}  // namespace tether::jose
