#include "core/http/error_body.hpp"

#include <string>

namespace tether::http::detail {

namespace {

// RFC 8259 7: '"', '\' and the control characters U+0000 to U+001F must be escaped.
std::string json_string(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 0x0F];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace

response error_response(int status, std::string_view error, std::string_view description) {
  response res;
  res.status = status;
  res.headers.add("Content-Type", "application/json");
  res.headers.add("Cache-Control", "no-store");  // RFC 6749 5.1, for every token endpoint answer
  res.body = "{\"error\":" + json_string(error) + ",\"error_description\":" + json_string(description) + "}";
  return res;
}

}  // namespace tether::http::detail
