// Malformed forwarded-certificate headers (requirements 4.8 to 4.10: encoding chaos, XFCC and
// RFC 9440 quirks, empty or duplicated headers). Each is an error with its own code, and the
// message names the header.

#include <set>

#include <gtest/gtest.h>

#include "core/tls/forwarded_cert.hpp"
#include "forwarded_test_support.hpp"
#include "suite_certs.hpp"

namespace tether::tls {
namespace {

using testing::std_base64;
using testing::suite_cert;
using testing::url_encode;

struct malformed {
  forwarded_format format;
  std::vector<std::string> values;
  std::string code;  // without the "forwarded_cert." prefix
  std::string why;
};

std::vector<malformed> malformed_cases() {
  const auto a = suite_cert("client-a");
  const std::string der = a.der(), pem = a.pem(), b64 = std_base64(der), esc = url_encode(pem);
  const std::string ca_pem = suite_cert("ca").pem(), ca_der = suite_cert("ca").der();
  const std::string hash_b = testing::sha256_hex(suite_cert("client-b").der());
  const std::string no_pad = b64.substr(0, b64.find('='));
  std::string bad_body = pem;
  bad_body[40] = '*';
  const std::string no_end = pem.substr(0, pem.find("-----END"));
  const std::string key_pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  using F = forwarded_format;
  return {
      {F::rfc9440, {}, "missing", "no header at all"},
      {F::rfc9440, {":" + b64 + ":", ":" + b64 + ":"}, "multiple_values", "two field lines"},
      {F::xfcc, {"Cert=\"" + esc + "\"", "Cert=\"" + esc + "\""}, "multiple_values",
       "two XFCC field lines"},
      {F::escaped_pem, {esc, ""}, "multiple_values", "a second, empty field line"},
      {F::rfc9440, {""}, "empty", "empty value"},
      {F::rfc9440, {"   "}, "empty", "only spaces"},
      {F::rfc9440, {"::"}, "empty", "empty byte sequence"},
      {F::xfcc, {"\"\""}, "empty", "HAProxy's XFCC \"\" without a client certificate"},
      {F::xfcc, {"Cert=\"\""}, "empty", "empty Cert="},
      {F::escaped_pem, {""}, "empty", "empty value"},
      {F::base64_der, {" "}, "empty", "only a space"},

      {F::rfc9440, {b64}, "syntax", "base64 without the colons"},
      {F::rfc9440, {":" + b64}, "syntax", "no closing colon"},
      {F::rfc9440, {pem}, "syntax", "raw PEM"},
      {F::rfc9440, {":" + b64.substr(0, 10) + "-" + b64.substr(10) + ":"}, "base64",
       "base64url alphabet"},
      {F::rfc9440, {":" + no_pad.substr(0, 41) + ":"}, "base64", "length 1 mod 4"},
      {F::rfc9440, {":" + b64 + ":;v=1"}, "trailing_data", "parameters after the sequence"},
      {F::rfc9440, {":" + b64 + ":x"}, "trailing_data", "garbage after the sequence"},
      {F::rfc9440, {":" + b64 + ":, :" + std_base64(ca_der) + ":"}, "multiple_certs",
       "the chain as a list in Client-Cert"},
      {F::rfc9440, {":" + std_base64(der + "xx") + ":"}, "trailing_data", "bytes after the DER"},
      {F::rfc9440, {":" + std_base64("not a certificate") + ":"}, "der", "not DER"},
      {F::rfc9440, {":" + std_base64(der.substr(0, der.size() / 2)) + ":"}, "der",
       "truncated DER"},
      {F::rfc9440, {":" + std_base64(ca_der) + ":"}, "chain_only", "the CA instead of the leaf"},

      {F::xfcc, {"Cert=\"" + pem + "\""}, "not_url_encoded", "raw PEM in Cert="},
      {F::xfcc, {"Cert=\"" + esc + "\",Cert=\"" + esc + "\""}, "multiple_hops", "two hops"},
      {F::xfcc, {"By=spiffe://tether.test/rs;Hash=" + hash_b}, "no_cert", "no Cert= key"},
      {F::xfcc, {"Chain=\"" + url_encode(ca_pem) + "\""}, "chain_only", "Chain= only"},
      {F::xfcc, {"Cert=\"" + esc + "\";cert=\"" + esc + "\""}, "duplicate_key", "Cert twice"},
      {F::xfcc, {"Hash=" + hash_b + ";Cert=\"" + esc + "\""}, "hash_mismatch",
       "Hash= of another certificate"},
      {F::xfcc, {"Cert=\"" + esc}, "syntax", "unterminated quote"},
      {F::xfcc, {"Cert"}, "syntax", "key without '='"},
      {F::xfcc, {";Cert=\"" + esc + "\""}, "syntax", "leading separator"},
      {F::xfcc, {"Cert=\"" + esc + "\";"}, "syntax", "trailing separator"},
      {F::xfcc, {"Cert=\"" + esc + "\"garbage"}, "syntax", "text after the closing quote"},
      {F::xfcc, {"Cert=ab\"cd"}, "syntax", "quote inside an unquoted value"},
      {F::xfcc, {"Cert=\"%2\""}, "percent_encoding", "truncated %-escape"},
      {F::xfcc, {"Cert=\"" + url_encode(pem + "junk") + "\""}, "trailing_data",
       "text after END CERTIFICATE"},
      {F::xfcc, {"Cert=\"" + esc + "\";Chain=\"%ZZ\""}, "percent_encoding", "broken Chain="},
      {F::xfcc, {"Cert=\"" + url_encode(ca_pem) + "\""}, "chain_only", "the CA in Cert="},

      {F::escaped_pem, {pem}, "not_url_encoded", "raw PEM (nginx $ssl_client_cert)"},
      {F::escaped_pem, {"%ZZ" + esc}, "percent_encoding", "bad %-escape"},
      {F::escaped_pem, {esc + "%"}, "percent_encoding", "dangling '%'"},
      {F::escaped_pem, {url_encode(pem + pem)}, "multiple_certs", "two certificates"},
      {F::escaped_pem, {url_encode(pem + "garbage")}, "trailing_data", "text after END"},
      {F::escaped_pem, {url_encode(key_pem)}, "pem", "a PRIVATE KEY block"},
      {F::escaped_pem, {url_encode(no_end)}, "pem", "no END line"},
      {F::escaped_pem, {b64}, "pem", "base64 DER instead of PEM"},
      {F::escaped_pem, {url_encode(bad_body)}, "base64", "'*' in the PEM body"},
      {F::escaped_pem, {url_encode(ca_pem)}, "chain_only", "the CA instead of the leaf"},

      {F::base64_der, {b64.substr(0, 20) + "\n" + b64.substr(20)}, "base64", "line break"},
      {F::base64_der, {pem}, "base64", "PEM instead of base64 DER"},
      {F::base64_der, {":" + b64 + ":"}, "base64", "RFC 9440 form"},
      {F::base64_der, {no_pad.substr(0, 42)}, "base64", "length not a multiple of 4"},
      {F::base64_der, {std_base64(der + "xx")}, "trailing_data", "bytes after the DER"},
      {F::base64_der, {std_base64("garbage")}, "der", "not DER"},
      {F::base64_der, {std_base64(ca_der)}, "chain_only", "the CA instead of the leaf"},
  };
}

TEST(forwarded_cert, malformed_headers_each_have_their_error) {
  for (const auto& c : malformed_cases()) {
    auto got = parse_forwarded_certificate(c.format, c.values);
    const std::string label = std::string(to_string(c.format)) + ": " + c.why;
    ASSERT_FALSE(got) << label;
    EXPECT_EQ(got.err().code, "forwarded_cert." + c.code) << label << ": " << got.err().message;
    EXPECT_NE(got.err().message.find(default_header_name(c.format)), std::string::npos)
        << label << ": " << got.err().message;
  }
}

TEST(forwarded_cert, huge_values_are_errors_not_hangs) {
  std::string pairs;
  for (int i = 0; i < 50000; ++i) pairs += "K" + std::to_string(i) + "=v;";
  pairs += "K0=v";
  const struct {
    forwarded_format format;
    std::string value;
    const char* code;
  } rows[] = {
      {forwarded_format::xfcc, pairs, "forwarded_cert.duplicate_key"},
      {forwarded_format::escaped_pem, std::string(300000, 'A'), "forwarded_cert.pem"},
      {forwarded_format::rfc9440, ":" + std::string(1000000, 'A') + ":", "forwarded_cert.der"},
  };
  for (const auto& r : rows) {
    auto got = testing::parse_one(r.format, r.value);
    ASSERT_FALSE(got) << to_string(r.format);
    EXPECT_EQ(got.err().code, r.code) << got.err().message;
  }
}

TEST(forwarded_cert, every_error_code_is_reachable) {
  // The table above covers each documented code at least once.
  std::set<std::string> seen;
  for (const auto& c : malformed_cases()) seen.insert(c.code);
  for (const char* code : {"missing", "multiple_values", "empty", "syntax", "base64",
                           "percent_encoding", "not_url_encoded", "pem", "der", "trailing_data",
                           "multiple_certs", "chain_only", "multiple_hops", "duplicate_key",
                           "hash_mismatch", "no_cert"})
    EXPECT_EQ(seen.count(code), 1u) << code;
}

}  // namespace
}  // namespace tether::tls
