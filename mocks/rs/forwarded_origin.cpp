#include "mocks/rs/forwarded_origin.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace tether::rs {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The first member of a comma-separated list (RFC 9110 5.3: repeated fields are one list).
std::string_view first_member(std::string_view value) { return trim(value.substr(0, value.find(','))); }

// RFC 7239 4: a value is a token or a quoted-string.
std::string unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out += v[i];
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::optional<std::string> forwarded_origin(const http::header_list& headers,
                                            const std::string& own_origin) {
  std::string host, proto;
  if (auto forwarded = headers.first("Forwarded")) {
    // RFC 7239 4: forwarded-element = [ pair ] *( ";" [ pair ] ), pair = token "=" value.
    std::string_view element = first_member(*forwarded);
    while (!element.empty()) {
      const std::size_t end = element.find(';');
      std::string_view pair = trim(element.substr(0, end));
      element = end == std::string_view::npos ? std::string_view() : element.substr(end + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string name = lower(std::string(trim(pair.substr(0, eq))));
      if (name == "host") host = unquote(trim(pair.substr(eq + 1)));
      if (name == "proto") proto = lower(unquote(trim(pair.substr(eq + 1))));
    }
  }
  if (host.empty() && proto.empty()) {
    if (auto h = headers.first("X-Forwarded-Host")) host = std::string(first_member(*h));
    if (auto p = headers.first("X-Forwarded-Proto")) proto = lower(std::string(first_member(*p)));
  }
  if (host.empty() && proto.empty()) return std::nullopt;
  const std::size_t sep = own_origin.find("://");
  const std::string own_scheme = sep == std::string::npos ? "https" : own_origin.substr(0, sep);
  const std::string own_authority = sep == std::string::npos ? own_origin : own_origin.substr(sep + 3);
  return (proto.empty() ? own_scheme : proto) + "://" + (host.empty() ? own_authority : host);
}

}  // namespace tether::rs
