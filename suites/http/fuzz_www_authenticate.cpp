// libFuzzer entry point for the WWW-Authenticate and Authorization parsers. The input is split
// on NUL bytes into several field values (a response may carry several WWW-Authenticate
// fields). Whatever parses must format and parse back to the same challenges; whatever fails
// must say why. A violated property traps, so the fuzzer reports it as a crash.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/http/www_authenticate.hpp"

namespace {

void check(bool property) {
  if (!property) __builtin_trap();
}

bool same(const std::vector<tether::http::challenge>& a, const std::vector<tether::http::challenge>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].scheme != b[i].scheme || a[i].token68 != b[i].token68 || a[i].params != b[i].params) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  std::vector<std::string> values;
  std::size_t start = 0;
  for (;;) {
    std::size_t nul = input.find('\0', start);
    values.emplace_back(input.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start));
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }

  auto parsed = tether::http::parse_www_authenticate(values);
  if (parsed.ok()) {
    check(!parsed->empty());
    auto again = tether::http::parse_www_authenticate(tether::http::format_challenges(*parsed));
    check(again.ok() && same(*parsed, *again));
    for (const auto& c : *parsed) {
      auto one = tether::http::parse_www_authenticate(tether::http::format_challenge(c));
      check(one.ok() && one->size() == 1 && same({c}, *one));
    }
  } else {
    check(!parsed.err().code.empty() && !parsed.err().message.empty());
  }

  auto creds = tether::http::parse_authorization(input);
  if (creds.ok()) {
    check(!creds->scheme.empty() && !creds->token.empty());
    auto again = tether::http::parse_authorization(creds->scheme + " " + creds->token);
    check(again.ok() && again->scheme == creds->scheme && again->token == creds->token);
  } else {
    check(!creds.err().code.empty() && !creds.err().message.empty());
  }
  return 0;
}
