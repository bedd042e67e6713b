// libFuzzer entry point: parse_forwarded_certificate in every format. For XFCC the input is
// also split on NUL bytes into several field values (the multiple-header path). A valid parse
// must survive a format/parse round trip unchanged.
//
// Seeds (suites/fuzz/corpus/forwarded_cert/) carry one self-signed P-256 certificate whose
// notAfter is 99991231235959Z (RFC 5280 4.1.2.5: no well-defined expiration), its key thrown
// away, in each header format, plus a few malformed variants.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/tls/forwarded_cert.hpp"

using tether::tls::forwarded_format;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (auto format : {forwarded_format::rfc9440, forwarded_format::xfcc,
                      forwarded_format::escaped_pem, forwarded_format::base64_der}) {
    auto cert = tether::tls::parse_forwarded_certificate(format, {input});
    if (!cert) {
      if (cert.err().code.rfind("forwarded_cert.", 0) != 0 || cert.err().message.empty())
        std::abort();  // every failure is a typed, explained error
      continue;
    }
    const std::string again = tether::tls::format_forwarded_certificate(format, *cert);
    auto back = tether::tls::parse_forwarded_certificate(format, {again});
    if (!back || back->der() != cert->der()) std::abort();
  }
  std::vector<std::string> values;
  size_t start = 0;
  for (size_t nul = input.find('\0'); nul != std::string::npos; nul = input.find('\0', start)) {
    values.push_back(input.substr(start, nul - start));
    start = nul + 1;
  }
  values.push_back(input.substr(start));
  auto cert = tether::tls::parse_forwarded_certificate(forwarded_format::xfcc, values);
  if (values.size() > 1 && cert) std::abort();  // several field lines never yield a certificate
  return 0;
}
