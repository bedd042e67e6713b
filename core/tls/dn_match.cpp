// The RFC 8705 2.1.2 comparisons of tls_client_auth metadata with a presented certificate:
// tls_client_auth_subject_dn (distinguished names, RFC 4514 string form, compared as RFC 4517
// distinguishedNameMatch would) and tls_client_auth_san_ip (binary form, RFC 5952 section 8).

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>
#include <utility>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "core/tls/certificate.hpp"
#include "core/util/openssl_ptr.hpp"

namespace tether::tls {
namespace {

struct attribute {  // one AttributeTypeAndValue, normalised
  std::string type;   // dotted OID where known, else the lower-cased descriptor
  std::string value;  // caseIgnoreMatch-prepared text, or "#" + hex for non-string BER values
  bool operator<(const attribute& o) const {
    return std::tie(type, value) < std::tie(o.type, o.value);
  }
  bool operator==(const attribute& o) const = default;
};
using rdn = std::vector<attribute>;  // sorted: the AVAs of a multi-valued RDN form a set

// The descriptors of RFC 4519 and the ones OpenSSL prints, by dotted OID, so that CN, cn,
// commonName and 2.5.4.3 all compare equal.
const std::pair<const char*, const char*> known_types[] = {
    {"cn", "2.5.4.3"},           {"commonname", "2.5.4.3"},
    {"sn", "2.5.4.4"},           {"surname", "2.5.4.4"},
    {"serialnumber", "2.5.4.5"}, {"c", "2.5.4.6"},
    {"countryname", "2.5.4.6"},  {"l", "2.5.4.7"},
    {"localityname", "2.5.4.7"}, {"st", "2.5.4.8"},
    {"stateorprovincename", "2.5.4.8"}, {"street", "2.5.4.9"},
    {"o", "2.5.4.10"},           {"organizationname", "2.5.4.10"},
    {"ou", "2.5.4.11"},          {"organizationalunitname", "2.5.4.11"},
    {"title", "2.5.4.12"},       {"postalcode", "2.5.4.17"},
    {"givenname", "2.5.4.42"},   {"gn", "2.5.4.42"},
    {"initials", "2.5.4.43"},    {"organizationidentifier", "2.5.4.97"},
    {"dc", "0.9.2342.19200300.100.1.25"}, {"domaincomponent", "0.9.2342.19200300.100.1.25"},
    {"uid", "0.9.2342.19200300.100.1.1"}, {"userid", "0.9.2342.19200300.100.1.1"},
    {"emailaddress", "1.2.840.113549.1.9.1"}, {"email", "1.2.840.113549.1.9.1"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::optional<std::string> normalise_type(std::string_view raw) {
  while (!raw.empty() && is_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
  std::string t = lower(raw);
  if (t.rfind("oid.", 0) == 0) t.erase(0, 4);  // RFC 1779 "OID.2.5.4.3" form
  if (t.empty()) return std::nullopt;
  for (const auto& [name, oid] : known_types)
    if (t == name) return std::string(oid);
  bool numeric = std::isdigit(static_cast<unsigned char>(t[0])) != 0;
  for (char c : t) {
    bool ok = numeric ? (std::isdigit(static_cast<unsigned char>(c)) || c == '.')
                      : (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
    if (!ok) return std::nullopt;
  }
  return t;
}

// RFC 4518 as far as it matters for ASCII: whitespace maps to SPACE, leading and trailing
// spaces are insignificant, inner runs count as one; caseIgnoreMatch folds case. Non-ASCII
// code points are compared as they are (no Unicode case folding or normalisation).
std::string prepare(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : v) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "#" hexstring (RFC 4514 2.4): the BER encoding of the value. A string type is compared by
// its text so that CN=#0C0161 equals CN=a; anything else by its exact bytes.
std::optional<std::string> prepare_ber(const std::string& ber) {
  const auto* p = reinterpret_cast<const unsigned char*>(ber.data());
  const unsigned char* start = p;
  std::unique_ptr<ASN1_TYPE, ossl::deleter<ASN1_TYPE_free>> any(
      d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(ber.size())));
  ossl::drain_errors();
  if (!any || static_cast<size_t>(p - start) != ber.size()) return std::nullopt;
  switch (any->type) {
    case V_ASN1_UTF8STRING: case V_ASN1_PRINTABLESTRING: case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING: case V_ASN1_BMPSTRING: case V_ASN1_UNIVERSALSTRING:
    case V_ASN1_VISIBLESTRING: {
      unsigned char* utf8 = nullptr;
      int len = ASN1_STRING_to_UTF8(&utf8, any->value.asn1_string);
      if (len < 0) return std::nullopt;
      std::string text(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
      OPENSSL_free(utf8);
      return prepare(text);
    }
    default: {
      static const char digits[] = "0123456789abcdef";
      std::string out = "#";
      for (unsigned char b : ber) {
        out += digits[b >> 4];
        out += digits[b & 15];
      }
      return out;
    }
  }
}

class dn_parser {
 public:
  explicit dn_parser(std::string_view s) : s_(s) {}

  // RFC 4514 3, accepting also the RFC 2253 4 leniencies (';' as separator, spaces around
  // separators and '=', quoted values) that DNs written by hand in configuration carry.
  std::optional<std::vector<rdn>> parse() {
    std::vector<rdn> out;
    skip_spaces();
    if (i_ == s_.size()) return out;
    rdn current;
    for (;;) {
      auto ava = parse_attribute();
      if (!ava) return std::nullopt;
      current.push_back(std::move(*ava));
      if (i_ == s_.size()) break;
      char sep = s_[i_++];
      if (sep == '+') continue;
      std::sort(current.begin(), current.end());
      out.push_back(std::move(current));
      current.clear();
      if (i_ == s_.size()) return std::nullopt;  // a trailing separator
    }
    std::sort(current.begin(), current.end());
    out.push_back(std::move(current));
    return out;
  }

 private:
  void skip_spaces() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  static bool separator(char c) { return c == ',' || c == ';' || c == '+'; }

  std::optional<attribute> parse_attribute() {
    size_t eq = s_.find('=', i_);
    if (eq == std::string_view::npos) return std::nullopt;
    auto type = normalise_type(s_.substr(i_, eq - i_));
    if (!type) return std::nullopt;
    i_ = eq + 1;
    skip_spaces();
    std::optional<std::string> value;
    if (i_ < s_.size() && s_[i_] == '#') value = parse_hex();
    else if (i_ < s_.size() && s_[i_] == '"') value = parse_quoted();
    else value = parse_string();
    if (!value) return std::nullopt;
    return attribute{std::move(*type), std::move(*value)};
  }

  std::optional<std::string> parse_hex() {
    ++i_;
    std::string ber;
    while (i_ < s_.size() && !separator(s_[i_]) && s_[i_] != ' ') {
      if (i_ + 1 >= s_.size()) return std::nullopt;
      int hi = hex_digit(s_[i_]), lo = hex_digit(s_[i_ + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      ber += static_cast<char>(hi * 16 + lo);
      i_ += 2;
    }
    skip_spaces();
    if (ber.empty() || (i_ < s_.size() && !separator(s_[i_]))) return std::nullopt;
    return prepare_ber(ber);
  }

  std::optional<std::string> parse_quoted() {
    ++i_;
    std::string raw;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\') {
        if (!unescape(raw)) return std::nullopt;
      } else {
        raw += s_[i_++];
      }
    }
    if (i_ == s_.size()) return std::nullopt;  // unterminated quote
    ++i_;
    skip_spaces();
    if (i_ < s_.size() && !separator(s_[i_])) return std::nullopt;
    return prepare(raw);
  }

  std::optional<std::string> parse_string() {
    std::string raw;
    while (i_ < s_.size() && !separator(s_[i_])) {
      if (s_[i_] == '\\') {
        if (!unescape(raw)) return std::nullopt;
      } else {
        raw += s_[i_++];
      }
    }
    return prepare(raw);
  }

  // At a backslash: RFC 4514 2.4 allows "\" + special character or "\" + two hex digits.
  bool unescape(std::string& out) {
    if (i_ + 1 >= s_.size()) return false;
    char c = s_[i_ + 1];
    int hi = hex_digit(c);
    if (hi >= 0 && i_ + 2 < s_.size() && hex_digit(s_[i_ + 2]) >= 0) {
      out += static_cast<char>(hi * 16 + hex_digit(s_[i_ + 2]));
      i_ += 3;
      return true;
    }
    static const std::string_view specials = " \"#+,;<=>\\";
    if (specials.find(c) == std::string_view::npos) return false;
    out += c;
    i_ += 2;
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

bool dn_equal(std::string_view a, std::string_view b) {
  auto pa = dn_parser(a).parse();
  auto pb = dn_parser(b).parse();
  return pa && pb && *pa == *pb;
}

result<std::string> ip_to_binary(std::string_view text) {
  if (text.empty() || text.size() > 64 || text.find('\0') != std::string_view::npos)
    return make_error("ip.syntax", "IP address '" + std::string(text) + "' is not valid");
  std::string s(text);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1)
    return std::string(reinterpret_cast<char*>(buf), 16);
  return make_error("ip.syntax", "'" + s +
                                     "' is neither a dotted-quad IPv4 address nor an IPv6 "
                                     "address (no brackets, prefix lengths or zone IDs)");
}

}  // namespace tether::tls
