#include "core/dpop/htu.hpp"

#include <cstdint>
#include <exception>
#include <string>

#include <boost/url.hpp>

#include "core/http/uri_syntax.hpp"

namespace tether::dpop {
namespace {

namespace urls = boost::urls;

bool is_unreserved(char c) {
  // RFC 3986 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~"
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char to_upper_ascii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// RFC 3986 6.2.2.1 and 6.2.2.2 on an encoded path: triplets in upper case, and only those that
// encode an unreserved character decoded. Boost.URL 1.81's normalize_path() decodes every octet
// that may appear literally in a path, "%2F" included, which turns "/a%2Fb" into "/a/b": two
// URIs that RFC 3986 2.2 says are not equivalent would then compare equal. The remaining
// triplets are returned with their '%' escaped as "%25" so that Boost's dot-segment removal
// (6.2.2.3), which runs its own decoding first, leaves them alone; unescape_percent() undoes it.
std::string normalise_path_octets(std::string_view path) {
  std::string out;
  out.reserve(path.size() + 8);
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c != '%' || i + 2 >= path.size() || hex_value(path[i + 1]) < 0 ||
        hex_value(path[i + 2]) < 0) {
      out += c;  // parse_uri has validated every triplet; this is a plain character
      continue;
    }
    const char decoded = static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
    if (is_unreserved(decoded)) {
      out += decoded;
    } else {
      out += "%25";
      out += to_upper_ascii(path[i + 1]);
      out += to_upper_ascii(path[i + 2]);
    }
    i += 2;
  }
  return out;
}

std::string unescape_percent(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.substr(i, 3) == "%25") {
      out += '%';
      i += 2;
    } else {
      out += path[i];
    }
  }
  return out;
}

result<std::string> normalise_checked(std::string_view text) {
  // Strict parsing (core/http/uri_syntax.hpp): "https://h:8443x/y" is no URI, not port 8443 with
  // path "x/y". An empty port stays allowed: 6.2.3 makes it the default port.
  auto parsed = http::parse_absolute_uri(text, http::uri_rules{/*empty_port_allowed=*/true});
  if (!parsed) {
    return make_error("htu.syntax", "the URI is not usable (RFC 3986): " + parsed.err().message);
  }
  urls::url u(*parsed);
  u.remove_query();
  u.remove_fragment();
  u.normalize_scheme();
  if (u.scheme() != "https" && u.scheme() != "http") {
    return make_error("htu.scheme", "the URI \"" + std::string(text.substr(0, 80)) +
                                        "\" is not an http or https URI");
  }
  if (!u.has_authority() || u.encoded_host().empty()) {
    return make_error("htu.host", "the URI \"" + std::string(text.substr(0, 80)) +
                                      "\" has no host");
  }
  // 6.2.2.1: host in lower case; 6.2.2.2 in the host: triplets upper case, unreserved decoded.
  u.normalize_authority();

  // 6.2.3: the default port (and an empty port) is the same as no port.
  if (u.has_port()) {
    const std::uint16_t default_port = u.scheme() == "https" ? 443 : 80;
    const std::string_view port(u.port().data(), u.port().size());
    if (port.empty()) {
      u.remove_port();
    } else {
      // parse_absolute_uri has checked: digits, 1 to 65535 (leading zeros allowed).
      const unsigned long value = std::stoul(std::string(port));
      if (value == default_port) {
        u.remove_port();
      } else {
        u.set_port_number(static_cast<std::uint16_t>(value));  // drops leading zeros
      }
    }
  }

  // 6.2.3: an empty path in an http(s) URI is "/".
  std::string path = normalise_path_octets(std::string_view(u.encoded_path().data(),
                                                             u.encoded_path().size()));
  if (path.empty()) path = "/";
  u.set_encoded_path(path);
  u.normalize_path();  // 6.2.2.3: remove dot segments
  return unescape_percent(std::string_view(u.buffer().data(), u.buffer().size()));
}

}  // namespace

result<std::string> normalise_htu(std::string_view text) {
  // A server sees the same few URIs over and over (its own endpoints, in every request and in
  // every htu), so each thread remembers its last successful normalisation: a pure function,
  // so the memo can only save time.
  thread_local std::string last_text;
  thread_local std::string last_form;
  if (!last_text.empty() && text == last_text) return last_form;
  // Boost.URL reports syntax errors as values; only allocation failure can throw here.
  try {
    auto form = normalise_checked(text);
    if (form.ok() && text.size() <= 2048) {
      last_text.assign(text);
      last_form = *form;
    }
    return form;
  } catch (const std::exception& e) {
    return make_error("htu.internal", std::string("normalising the URI failed: ") + e.what());
  }
}

std::string strip_query_and_fragment(std::string_view uri) {
  return std::string(uri.substr(0, uri.find_first_of("?#")));
}

result<std::string> comparable_htu(std::string_view uri, const htu_options& options) {
  std::string form;
  if (options.normalise) {
    auto normalised = normalise_htu(uri);
    if (!normalised) return normalised.err();
    form = std::move(*normalised);
  } else {
    form = strip_query_and_fragment(uri);
  }
  if (options.case_insensitive) {
    for (char& c : form) c = to_lower_ascii(c);
  }
  return form;
}

bool htu_matches(std::string_view htu, std::string_view request_url, const htu_options& options) {
  auto left = comparable_htu(htu, options);
  auto right = comparable_htu(request_url, options);
  return left.ok() && right.ok() && *left == *right;
}

}  // namespace tether::dpop
