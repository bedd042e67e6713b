#include "reports/text_escape.hpp"

#include <cstdint>

namespace tether::reports {
namespace {

constexpr char32_t replacement = 0xFFFD;

// Decodes one code point at `i`; on a malformed sequence returns U+FFFD and consumes one byte,
// so the repair is deterministic and never swallows the next valid character.
char32_t decode_one(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return replacement;
  }
  if (i + len > s.size()) {
    ++i;
    return replacement;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return replacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return replacement;
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The visible stand-in of a control character: U+2400..U+241F for C0, U+2421 for DEL.
char32_t control_picture(char32_t cp) { return cp == 0x7F ? 0x2421 : 0x2400 + cp; }

bool is_control(char32_t cp) { return cp < 0x20 || cp == 0x7F; }

template <typename Emit>
std::string transform(std::string_view text, Emit emit) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = decode_one(text, i);
    const char32_t prev = start == 0 ? 0 : static_cast<unsigned char>(text[start - 1]);
    const char32_t next = i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
    emit(out, cp, prev, next);
  }
  return out;
}

bool is_ascii_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void emit_xml(std::string& out, char32_t cp, bool in_attribute) {
  switch (cp) {
    case '&': out += "&amp;"; return;
    case '<': out += "&lt;"; return;
    case '>': out += "&gt;"; return;
    case '"': out += in_attribute ? "&quot;" : "\""; return;
    case '\t': out += in_attribute ? "&#9;" : "\t"; return;
    case '\n': out += in_attribute ? "&#10;" : "\n"; return;
    case '\r': out += "&#13;"; return;  // a raw CR would be folded into the line feed
    default: break;
  }
  if (is_control(cp)) {
    append_utf8(out, control_picture(cp));
  } else if (cp == 0xFFFE || cp == 0xFFFF) {
    append_utf8(out, replacement);
  } else {
    append_utf8(out, cp);
  }
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
  return transform(text, [](std::string& out, char32_t cp, char32_t, char32_t) { append_utf8(out, cp); });
}

std::string xml_text(std::string_view text) {
  return transform(text, [](std::string& out, char32_t cp, char32_t, char32_t) { emit_xml(out, cp, false); });
}

std::string xml_attr(std::string_view text) {
  return transform(text, [](std::string& out, char32_t cp, char32_t, char32_t) { emit_xml(out, cp, true); });
}

std::string html_text(std::string_view text) {
  return transform(text, [](std::string& out, char32_t cp, char32_t, char32_t) {
    switch (cp) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;
      case '"': out += "&quot;"; return;
      case '\'': out += "&#39;"; return;
      case '\t': case '\n': out += static_cast<char>(cp); return;
      case '\r': out += "&#13;"; return;
      default: break;
    }
    append_utf8(out, is_control(cp) ? control_picture(cp) : cp);
  });
}

std::string md_text(std::string_view text) {
  return transform(text, [](std::string& out, char32_t cp, char32_t prev, char32_t next) {
    switch (cp) {
      case '\\': case '`': case '*': case '[': case ']': case '<': case '>': case '|': case '~':
        out += '\\';
        out += static_cast<char>(cp);
        return;
      case '_':
        if (!(is_ascii_alnum(prev) && is_ascii_alnum(next))) out += '\\';
        out += '_';
        return;
      case '&':
        if (is_ascii_alnum(next) || next == '#') out += '\\';
        out += '&';
        return;
      case '\t': case '\n': case '\r':
        out += ' ';
        return;
      default: break;
    }
    append_utf8(out, is_control(cp) ? control_picture(cp) : cp);
  });
}

std::string md_code(std::string_view text, md_place place) {
  if (text.empty()) return {};
  std::string body = transform(text, [place](std::string& out, char32_t cp, char32_t, char32_t) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      out += ' ';
    } else if (cp == '|' && place == md_place::table_cell) {
      out += "\\|";
    } else {
      append_utf8(out, is_control(cp) ? control_picture(cp) : cp);
    }
  });
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const std::string fence(longest + 1, '`');
  // A space on each side keeps a leading or trailing backtick apart from the fence; CommonMark
  // strips exactly one such space from each side (6.1).
  const bool pad = body.front() == '`' || body.back() == '`' || (body.front() == ' ' && body.back() == ' ');
  return pad ? fence + ' ' + body + ' ' + fence : fence + body + fence;
}

}  // namespace tether::reports
