// WWW-Authenticate and Authorization, after the ABNF of RFC 9110:
//   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]          (11.6.1, 11.3)
//   auth-param  = token BWS "=" BWS ( token / quoted-string )              (11.2)
//   token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//   #element    = [ element ] *( OWS "," OWS [ element ] ), empty elements allowed (5.6.1)
// A comma separates both auth-params of one challenge and challenges, so after a comma the
// parser looks ahead: "token BWS =" continues the current challenge, anything else starts a
// new one (the algorithm RFC 9110 11.6.1 implies and browsers use).

#include "core/http/www_authenticate.hpp"

#include <cstdio>

#include "core/http/message.hpp"

namespace tether::http {

namespace {

// RFC 9110 5.6.2 tchar.
bool is_tchar(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// RFC 9110 11.2 token68, the same set as RFC 6750 2.1 b64token.
bool is_token68_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// quoted-string content (RFC 9110 5.6.4): qdtext and the byte after a backslash share this
// set (HTAB, SP, VCHAR, obs-text) except that qdtext excludes '"' and '\'.
bool is_quotable(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7F); }

// Names a byte in an error message without echoing control bytes into logs.
std::string describe(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return "the end of the value";
  auto c = static_cast<unsigned char>(s[pos]);
  char buf[64];
  if (c >= 0x21 && c < 0x7F) {
    std::snprintf(buf, sizeof buf, "'%c' at offset %zu", static_cast<char>(c), pos);
  } else {
    std::snprintf(buf, sizeof buf, "byte 0x%02X at offset %zu", c, pos);
  }
  return buf;
}

class challenge_parser {
 public:
  explicit challenge_parser(std::string_view s) : s_(s) {}

  status parse(std::vector<challenge>& out) {
    for (;;) {
      skip_list_separators();
      if (at_end()) return {};
      auto c = parse_challenge();
      if (!c) return c.err();
      out.push_back(std::move(*c));
    }
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }

  void skip_ows() {
    while (!at_end() && is_ows(peek())) ++pos_;
  }

  // Commas and whitespace between list elements; "a, , b" holds an empty element (5.6.1).
  void skip_list_separators() {
    while (!at_end() && (is_ows(peek()) || peek() == ',')) ++pos_;
  }

  std::string_view read_token() {
    std::size_t start = pos_;
    while (!at_end() && is_tchar(static_cast<unsigned char>(peek()))) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // At pos: token68, then OWS, then ',' or the end. Otherwise the text is auth-params.
  bool token68_ahead() const {
    std::size_t p = pos_;
    while (p < s_.size() && is_token68_char(static_cast<unsigned char>(s_[p]))) ++p;
    if (p == pos_) return false;
    while (p < s_.size() && s_[p] == '=') ++p;
    while (p < s_.size() && is_ows(s_[p])) ++p;
    return p == s_.size() || s_[p] == ',';
  }

  // At pos: token BWS "=", i.e. another auth-param of the current challenge.
  bool param_ahead() const {
    std::size_t p = pos_;
    while (p < s_.size() && is_tchar(static_cast<unsigned char>(s_[p]))) ++p;
    if (p == pos_) return false;
    while (p < s_.size() && is_ows(s_[p])) ++p;
    return p < s_.size() && s_[p] == '=';
  }

  error fail(const std::string& what) const {
    return make_error("www_authenticate.syntax", "WWW-Authenticate: " + what);
  }

  result<challenge> parse_challenge() {
    challenge c;
    std::size_t scheme_at = pos_;
    c.scheme = std::string(read_token());
    if (c.scheme.empty()) {
      if (peek() == '=') {
        return fail("'=' at offset " + std::to_string(pos_) + " has no auth-param name before it");
      }
      return fail("expected an auth-scheme, found " + describe(s_, pos_));
    }
    std::size_t after_scheme = pos_;
    skip_ows();
    if (!at_end() && peek() == '=') {
      return fail("auth-param '" + c.scheme + "' at offset " + std::to_string(scheme_at) +
                  " has no auth-scheme before it (a challenge that holds a token68 takes no "
                  "auth-params)");
    }
    if (at_end() || peek() == ',') return c;
    if (pos_ == after_scheme) {
      return fail("auth-scheme '" + c.scheme + "' must be followed by a space, ',' or the end, "
                  "found " + describe(s_, pos_));
    }
    if (token68_ahead()) {
      std::size_t start = pos_;
      while (!at_end() && (is_token68_char(static_cast<unsigned char>(peek())) || peek() == '=')) ++pos_;
      c.token68 = std::string(s_.substr(start, pos_ - start));
      skip_ows();
      return c;
    }
    for (;;) {
      auto st = parse_param(c);
      if (!st) return st.err();
      skip_ows();
      if (at_end()) return c;
      if (peek() != ',') {
        return fail("expected ',' after auth-param '" + c.params.back().first + "' of scheme '" +
                    c.scheme + "', found " + describe(s_, pos_));
      }
      skip_list_separators();
      if (at_end() || !param_ahead()) return c;  // the next element is a new challenge
    }
  }

  status parse_param(challenge& c) {
    std::string name(read_token());
    if (name.empty()) {
      return fail("expected an auth-param name after scheme '" + c.scheme + "', found " +
                  describe(s_, pos_));
    }
    skip_ows();
    if (at_end() || peek() != '=') {
      return fail("expected '=' after auth-param name '" + name + "', found " + describe(s_, pos_));
    }
    ++pos_;
    skip_ows();
    if (at_end()) return fail("auth-param '" + name + "' has no value");
    if (peek() == '"') {
      auto value = read_quoted(name);
      if (!value) return value.err();
      c.params.emplace_back(std::move(name), std::move(*value));
      return {};
    }
    std::string value(read_token());
    if (value.empty()) {
      return fail("auth-param '" + name + "' has no value (a token or quoted-string), found " +
                  describe(s_, pos_));
    }
    c.params.emplace_back(std::move(name), std::move(value));
    return {};
  }

  result<std::string> read_quoted(const std::string& name) {
    std::size_t open = pos_++;
    std::string value;
    while (!at_end()) {
      auto ch = static_cast<unsigned char>(peek());
      if (ch == '"') {
        ++pos_;
        return value;
      }
      if (ch == '\\') {
        ++pos_;
        if (at_end()) break;
        ch = static_cast<unsigned char>(peek());
      }
      if (!is_quotable(ch)) {
        return fail("control " + describe(s_, pos_) + " in the quoted-string of auth-param '" +
                    name + "'");
      }
      value += static_cast<char>(ch);
      ++pos_;
    }
    return fail("unterminated quoted-string in auth-param '" + name + "' (opened at offset " +
                std::to_string(open) + ")");
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::optional<std::string> challenge::param(std::string_view name) const {
  for (const auto& [n, v] : params) {
    if (iequals(n, name)) return v;
  }
  return std::nullopt;
}

bool challenge::scheme_is(std::string_view name) const { return iequals(scheme, name); }

result<std::vector<challenge>> parse_www_authenticate(const std::vector<std::string>& values) {
  std::vector<challenge> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto st = challenge_parser(values[i]).parse(out);
    if (!st) {
      error e = st.err();
      if (values.size() > 1) {
        e.message = "WWW-Authenticate field " + std::to_string(i + 1) + " of " +
                    std::to_string(values.size()) + ": " +
                    e.message.substr(std::string_view("WWW-Authenticate: ").size());
      }
      return e;
    }
  }
  if (out.empty()) {
    return make_error("www_authenticate.empty", "WWW-Authenticate holds no challenge");
  }
  return out;
}

result<std::vector<challenge>> parse_www_authenticate(std::string_view value) {
  return parse_www_authenticate(std::vector<std::string>{std::string(value)});
}

std::string format_challenge(const challenge& c) {
  std::string out = c.scheme;
  if (c.token68) {
    out += ' ';
    out += *c.token68;
  }
  for (std::size_t i = 0; i < c.params.size(); ++i) {
    out += i == 0 ? " " : ", ";
    out += c.params[i].first;
    out += '=';
    out += quote(c.params[i].second);
  }
  return out;
}

std::string format_challenges(const std::vector<challenge>& cs) {
  std::string out;
  for (const auto& c : cs) {
    if (!out.empty()) out += ", ";
    out += format_challenge(c);
  }
  return out;
}

// credentials = auth-scheme 1*SP token68 (RFC 9110 11.4; RFC 6750 2.1 and RFC 9449 7.1 use the
// b64token/token68 form). Several spaces between the two are allowed by 1*SP; anything else
// around or after the token is an error, because a resource server under test must be able to
// tell "DPoP a b" or "DPoP a, b" from a well-formed header.
result<credentials> parse_authorization(std::string_view value) {
  auto fail = [](const char* code, const std::string& what) {
    return make_error(code, "Authorization: " + what);
  };
  if (value.empty()) return fail("authorization.empty", "the field value is empty");
  std::size_t pos = 0;
  while (pos < value.size() && is_tchar(static_cast<unsigned char>(value[pos]))) ++pos;
  if (pos == 0) {
    return fail("authorization.scheme", "expected an auth-scheme, found " + describe(value, 0));
  }
  credentials out;
  out.scheme = std::string(value.substr(0, pos));
  if (pos == value.size()) {
    return fail("authorization.missing_token", "scheme '" + out.scheme + "' has no token");
  }
  if (value[pos] != ' ') {
    return fail("authorization.syntax", "scheme '" + out.scheme +
                    "' must be followed by a space, found " + describe(value, pos));
  }
  while (pos < value.size() && value[pos] == ' ') ++pos;
  if (pos == value.size()) {
    return fail("authorization.missing_token",
                "scheme '" + out.scheme + "' is followed by spaces but no token");
  }
  std::size_t start = pos;
  while (pos < value.size() && is_token68_char(static_cast<unsigned char>(value[pos]))) ++pos;
  if (pos == start) {
    return fail("authorization.token_charset",
                "the token after scheme '" + out.scheme + "' starts with " + describe(value, pos) +
                    ", which a token68 (RFC 6750 2.1 b64token) does not allow");
  }
  while (pos < value.size() && value[pos] == '=') ++pos;
  out.token = std::string(value.substr(start, pos - start));
  if (pos == value.size()) return out;

  if (is_ows(value[pos])) {
    std::size_t ws = pos;
    while (pos < value.size() && is_ows(value[pos])) ++pos;
    if (pos == value.size()) {
      return fail("authorization.syntax",
                  "whitespace after the token (from offset " + std::to_string(ws) + ")");
    }
    return fail("authorization.extra_part", "more than one token after scheme '" + out.scheme +
                                                "' (another part at offset " +
                                                std::to_string(pos) + ")");
  }
  if (value[pos - 1] == '=' && is_token68_char(static_cast<unsigned char>(value[pos]))) {
    return fail("authorization.token_charset",
                "'=' inside the token; a token68 allows '=' only at its end (found " +
                    describe(value, pos) + " after it)");
  }
  return fail("authorization.token_charset",
              "the token contains " + describe(value, pos) +
                  ", which a token68 (RFC 6750 2.1 b64token) does not allow");
}

}  // namespace tether::http
