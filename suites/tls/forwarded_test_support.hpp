#pragma once
// Encoders written for the tests, independent of core/tls, so that the header values the
// parser is fed are built the way a proxy would build them, not by the code under test.

#include <cctype>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "core/tls/forwarded_cert.hpp"

namespace tether::tls::testing {

// Standard base64 with padding (RFC 4648 section 4), via EVP_EncodeBlock.
inline std::string std_base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// nginx-style escaping: every byte outside ALPHA / DIGIT / "-._~" as %XX; lower_hex gives
// Envoy's lower-case spelling (%0a).
inline std::string url_encode(const std::string& text, bool lower_hex = false) {
  const char* digits = lower_hex ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

inline std::string sha256_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += digits[md[i] >> 4];
    out += digits[md[i] & 15];
  }
  return out;
}

inline result<certificate> parse_one(forwarded_format f, const std::string& value) {
  return parse_forwarded_certificate(f, std::vector<std::string>{value});
}

}  // namespace tether::tls::testing
