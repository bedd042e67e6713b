// Table-driven base64 and base64url. Decoding is strict on purpose: the suite must be able to
// tell a padded or whitespace-laden JOSE value from a correct one (RFC 7515 section 2, RFC 8705
// section 3.1), so nothing is skipped or repaired, and only the canonical encoding of a byte
// string is accepted (RFC 4648 section 3.5: unused trailing bits must be zero).

#include "core/jose/base64url.hpp"

#include <array>
#include <cstdint>

namespace tether::jose {
namespace {

constexpr std::string_view url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view std_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::uint8_t invalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_table(std::string_view alphabet) {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = invalid;
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  return t;
}

constexpr auto url_table = make_table(url_alphabet);
constexpr auto std_table = make_table(std_alphabet);

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = p[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Explains why c is not in the alphabet, naming the offset so that a report can point at it.
error bad_character(std::string_view scheme, char c, std::size_t at, bool url) {
  const std::string where = " at offset " + std::to_string(at);
  if (c == '=')
    return make_error(std::string(scheme) + ".padding",
                      std::string(scheme) + ": '=' padding" + where +
                          (url ? " (base64url in JOSE carries no padding, RFC 7515 section 2)"
                               : " is misplaced"));
  if (is_space(c))
    return make_error(std::string(scheme) + ".whitespace", std::string(scheme) + ": whitespace" + where);
  if (url && (c == '+' || c == '/'))
    return make_error(std::string(scheme) + ".alphabet",
                      std::string(scheme) + ": '" + c + "'" + where +
                          " belongs to standard base64, not base64url (RFC 4648 section 5)");
  if (!url && (c == '-' || c == '_'))
    return make_error(std::string(scheme) + ".alphabet",
                      std::string(scheme) + ": '" + c + "'" + where +
                          " belongs to base64url, not standard base64 (RFC 4648 section 4)");
  return make_error(std::string(scheme) + ".character",
                    std::string(scheme) + ": byte 0x" +
                        "0123456789abcdef"[(static_cast<unsigned char>(c) >> 4) & 15] +
                        "0123456789abcdef"[static_cast<unsigned char>(c) & 15] + where +
                        " is outside the alphabet");
}

// Decodes groups of alphabet characters (no padding in text); len % 4 != 1 already checked.
result<std::string> decode_unpadded(std::string_view text, const std::array<std::uint8_t, 256>& t,
                                    std::string_view scheme, bool url) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint8_t v = t[static_cast<unsigned char>(text[i])];
    if (v == invalid) return bad_character(scheme, text[i], i, url);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // The last character of a 2- or 3-character tail carries 4 or 2 bits that no byte uses; a
  // canonical encoder leaves them zero, so anything else is a second spelling of the same bytes.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
    return make_error(std::string(scheme) + ".trailing_bits",
                      std::string(scheme) + ": unused trailing bits of the last character are not "
                                            "zero (non-canonical encoding, RFC 4648 section 3.5)");
  return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) { return encode(bytes, url_alphabet, false); }

std::string base64_encode(std::string_view bytes) { return encode(bytes, std_alphabet, true); }

result<std::string> base64url_decode(std::string_view text) {
  // Report a bad character before the length: "abc=" is better explained by its '='.
  for (std::size_t i = 0; i < text.size(); ++i)
    if (url_table[static_cast<unsigned char>(text[i])] == invalid)
      return bad_character("base64url", text[i], i, true);
  if (text.size() % 4 == 1)
    return make_error("base64url.length",
                      "base64url: length " + std::to_string(text.size()) +
                          " leaves a single character in the last group, which encodes no byte");
  return decode_unpadded(text, url_table, "base64url", true);
}

result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (std_table[static_cast<unsigned char>(text[i])] == invalid && text[i] != '=')
        return bad_character("base64", text[i], i, false);
    return make_error("base64.length", "base64: length " + std::to_string(text.size()) +
                                           " is not a multiple of 4 (padding is required)");
  }
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
  const std::string_view body = text.substr(0, text.size() - pad);
  // A third '=' (or any '=' before the last two positions) is misplaced, as is padding in a
  // group of four where it would stand for no missing byte at all.
  if (body.size() % 4 == 1 && pad > 0)
    return make_error("base64.padding", "base64: '=' at offset " + std::to_string(body.size() - 1) +
                                            " is misplaced");
  return decode_unpadded(body, std_table, "base64", false);
}

}  // namespace tether::jose
