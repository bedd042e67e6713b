// Strict decoders for the pieces of forwarded-certificate headers (see forwarded_codec.hpp).
// Lenient parsing here would let a broken proxy configuration look like a working one, which
// is exactly what the proxy scenarios must be able to tell apart (requirements 4.8 to 4.10).

#include "core/tls/forwarded_codec.hpp"

#include <cctype>

#include <openssl/evp.h>

#include "core/jose/base64url.hpp"

namespace tether::tls::detail {
namespace {

constexpr std::string_view begin_cert = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view end_cert = "-----END CERTIFICATE-----";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_pem_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim_pem_space(std::string_view s) {
  while (!s.empty() && is_pem_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_pem_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

std::string printable_prefix(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 24)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out + (s.size() > 24 ? "..." : "");
}

}  // namespace

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += digits[md[i] >> 4];
    out += digits[md[i] & 15];
  }
  return out;
}

result<std::string> percent_decode(std::string_view text, const std::string& what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return make_error("forwarded_cert.not_url_encoded",
                        what + " holds a literal " + (c == ' ' ? "space" : "control character") +
                            " at offset " + std::to_string(i) +
                            ": the PEM was forwarded without URL-encoding");
    }
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
      return make_error("forwarded_cert.percent_encoding",
                        what + " has a '%' at offset " + std::to_string(i) +
                            " that is not followed by two hex digits");
    }
    out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += digits[u >> 4];
      out += digits[u & 15];
    }
  }
  return out;
}

result<std::vector<certificate>> parse_pem_certificates(std::string_view text,
                                                        const std::string& what) {
  std::vector<certificate> out;
  std::string_view rest = trim_pem_space(text);
  if (rest.empty()) return make_error("forwarded_cert.empty", what + " holds no PEM text");
  while (!rest.empty()) {
    if (rest.substr(0, begin_cert.size()) != begin_cert) {
      if (out.empty()) {
        bool other_block = rest.substr(0, 11) == "-----BEGIN ";
        return make_error("forwarded_cert.pem",
                          what + (other_block ? " holds a PEM block that is not a CERTIFICATE: '"
                                              : " does not start with " +
                                                    std::string(begin_cert) + ": '") +
                              printable_prefix(rest) + "'");
      }
      return make_error("forwarded_cert.trailing_data",
                        what + " has text after the END CERTIFICATE line: '" +
                            printable_prefix(rest) + "'");
    }
    rest.remove_prefix(begin_cert.size());
    size_t end = rest.find(end_cert);
    if (end == std::string_view::npos) {
      return make_error("forwarded_cert.pem",
                        what + " has no " + std::string(end_cert) + " line (truncated PEM)");
    }
    std::string body;
    for (char c : rest.substr(0, end))
      if (c != '\r' && c != '\n') body += c;
    auto der = jose::base64_decode(body);
    if (!der) {
      return make_error("forwarded_cert.base64",
                        what + " PEM body is not valid base64: " + der.err().message);
    }
    auto cert = certificate::from_der(*der);
    if (!cert) {
      bool trailing = cert.err().code == "certificate.der_trailing";
      return make_error(trailing ? "forwarded_cert.trailing_data" : "forwarded_cert.der",
                        what + " PEM body: " + cert.err().message);
    }
    out.push_back(std::move(cert.value()));
    rest = trim_pem_space(rest.substr(end + end_cert.size()));
  }
  return out;
}

result<std::vector<xfcc_element>> parse_xfcc(std::string_view value, const std::string& what) {
  std::vector<xfcc_element> elements(1);
  size_t i = 0;
  auto skip_ows = [&] {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
  };
  auto fail = [&](const std::string& why) -> result<std::vector<xfcc_element>> {
    return make_error("forwarded_cert.syntax",
                      what + ": " + why + " at offset " + std::to_string(i));
  };
  for (;;) {
    skip_ows();
    size_t key_start = i;
    while (i < value.size() && is_key_char(value[i])) ++i;
    if (i == key_start) return fail("expected a key (Cert=, Hash=, ...)");
    std::string key(value.substr(key_start, i - key_start));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (i == value.size() || value[i] != '=') return fail("key '" + key + "' is not followed by '='");
    ++i;
    std::string val;
    if (i < value.size() && value[i] == '"') {
      // Envoy: a value holding ',', ';' or '=' is double-quoted, '"' inside as \".
      ++i;
      for (;;) {
        if (i == value.size()) return fail("unterminated quoted value of '" + key + "'");
        char c = value[i++];
        if (c == '"') break;
        if (c == '\\') {
          if (i == value.size()) return fail("dangling backslash in the value of '" + key + "'");
          c = value[i++];
        }
        val += c;
      }
    } else {
      while (i < value.size() && value[i] != ';' && value[i] != ',') {
        if (value[i] == '"') return fail("stray '\"' inside the unquoted value of '" + key + "'");
        val += value[i++];
      }
      val = std::string(trim_ows(val));
    }
    elements.back().emplace_back(std::move(key), std::move(val));
    skip_ows();
    if (i == value.size()) break;
    char sep = value[i++];
    if (sep == ',') {
      elements.emplace_back();
    } else if (sep != ';') {
      --i;
      return fail("unexpected '" + printable_prefix(value.substr(i, 1)) +
                  "' after a quoted value");
    }
    skip_ows();
    if (i == value.size()) return fail("the header ends with a separator");
  }
  return elements;
}

result<std::string> parse_sf_binary(std::string_view value, const std::string& what) {
  std::string_view v = trim_ows(value);
  if (v.empty() || v == "::")
    return make_error("forwarded_cert.empty", what + " holds an empty byte sequence");
  if (v.front() != ':') {
    bool pem = v.substr(0, 5) == "-----";
    return make_error("forwarded_cert.syntax",
                      what + " is not a structured-field byte sequence (':' base64 ':', RFC "
                             "8941 3.3.5)" +
                          (pem ? ": it holds PEM" : ""));
  }
  size_t close = v.find(':', 1);
  if (close == std::string_view::npos)
    return make_error("forwarded_cert.syntax", what + " byte sequence has no closing ':'");
  std::string b64(v.substr(1, close - 1));
  std::string_view after = trim_ows(v.substr(close + 1));
  for (size_t k = 0; k < b64.size(); ++k) {
    const char c = b64[k];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) {
      return make_error("forwarded_cert.base64",
                        what + " byte sequence holds '" + printable_prefix(b64.substr(k, 1)) +
                            "' at offset " + std::to_string(k + 1) +
                            ", outside the standard base64 alphabet (RFC 8941 3.3.5)");
    }
  }
  if (!after.empty()) {
    if (after.front() == ',') {
      return make_error("forwarded_cert.multiple_certs",
                        what + " holds a list of byte sequences; RFC 9440 2.2 allows exactly one "
                               "(the chain belongs in Client-Cert-Chain)");
    }
    return make_error("forwarded_cert.trailing_data",
                      what + " has '" + printable_prefix(after) +
                          "' after the byte sequence (Client-Cert carries no parameters)");
  }
  if (b64.empty()) return make_error("forwarded_cert.empty", what + " holds an empty byte sequence");
  if (b64.find('=') == std::string::npos)
    while (b64.size() % 4 != 0 && b64.size() % 4 != 1) b64 += '=';
  auto bytes = jose::base64_decode(b64);
  if (!bytes) {
    return make_error("forwarded_cert.base64",
                      what + " byte sequence is not valid base64: " + bytes.err().message);
  }
  return std::move(bytes.value());
}

}  // namespace tether::tls::detail
