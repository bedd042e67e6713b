// libFuzzer entry point: the RFC 8705 2.1.2 comparisons on arbitrary text. The input is split
// at the first '|' into two distinguished names; dn_equal must be symmetric and reflexive on
// anything it accepts, and ip_to_binary must only ever return 4 or 16 bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/tls/certificate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t cut = input.find('|');
  const std::string a = input.substr(0, cut);
  const std::string b = cut == std::string::npos ? input : input.substr(cut + 1);
  const bool ab = tether::tls::dn_equal(a, b);
  if (ab != tether::tls::dn_equal(b, a)) std::abort();
  if (ab && !tether::tls::dn_equal(a, a)) std::abort();
  if (auto ip = tether::tls::ip_to_binary(a); ip && ip->size() != 4 && ip->size() != 16)
    std::abort();
  return 0;
}
