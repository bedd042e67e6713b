// dn_equal (RFC 8705 2.1.2 tls_client_auth_subject_dn, compared as RFC 4517
// distinguishedNameMatch would) and ip_to_binary (tls_client_auth_san_ip, RFC 5952 section 8).
// Examples marked 4514 are the ones of RFC 4514 section 4.

#include <algorithm>

#include <gtest/gtest.h>

#include "core/tls/certificate.hpp"
#include "suite_certs.hpp"

namespace tether::tls {
namespace {

struct dn_case {
  const char* a;
  const char* b;
  bool equal;
  const char* why;
};

const dn_case dn_cases[] = {
    {"CN=client-a,O=Tether Test", "CN=client-a,O=Tether Test", true, "identical"},
    {"CN=client-a,O=Tether Test", "CN=client-a, O=Tether Test", true, "space after comma"},
    {"CN=client-a,O=Tether Test", "CN = client-a , O = Tether Test", true, "spaces around ="},
    {"CN=client-a,O=Tether Test", "CN=  client-a  ,O=Tether Test", true, "leading/trailing"},
    {"CN=client-a,O=Tether Test", "CN=client-a,O=Tether    Test", true, "inner run of spaces"},
    {"CN=client-a,O=Tether Test", "CN=Client-A,O=TETHER TEST", true, "value case"},
    {"CN=client-a,O=Tether Test", "cn=client-a,o=Tether Test", true, "attribute type case"},
    {"CN=client-a,O=Tether Test", "commonName=client-a,organizationName=Tether Test", true,
     "long attribute names"},
    {"CN=client-a,O=Tether Test", "2.5.4.3=client-a,2.5.4.10=Tether Test", true, "dotted OIDs"},
    {"CN=client-a,O=Tether Test", "OID.2.5.4.3=client-a,O=Tether Test", true, "OID. prefix"},
    {"CN=client-a,O=Tether Test", "CN=client-a;O=Tether Test", true, "RFC 2253 ';'"},
    {"CN=client-a,O=Tether Test", "CN=#0C08636C69656E742D61,O=Tether Test", true,
     "hexstring of a UTF8String"},
    {"CN=client-a,O=Tether Test", "CN=\\63lient-a,O=Tether Test", true, "hex-pair escape"},
    {"CN=Smith\\, John,O=Tether", "cn=smith\\2c john,o=tether", true, "escaped comma"},
    {"CN=Smith\\, John,O=Tether", "CN=\"Smith, John\",O=Tether", true, "quoted value"},
    {"CN=James \\\"Jim\\\" Smith\\, III,DC=example,DC=net",
     "CN=James \\22Jim\\22 Smith\\2C III,DC=example,DC=net", true, "4514: quotes and comma"},
    {"OU=Sales+CN=J.  Smith,DC=example,DC=net", "CN=J. Smith+OU=Sales,DC=example,DC=net", true,
     "4514: multi-valued RDN in another order"},
    {"CN=Lu\\C4\\8Di\\C4\\87", "CN=Lu\xC4\x8Di\xC4\x87", true, "4514: UTF-8 as hex pairs"},
    {"1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com",
     "1.3.6.1.4.1.1466.0=#04024869,dc=EXAMPLE,dc=com", true, "4514: BER value"},
    {"", "", true, "both empty"},
    {"CN=client-a,O=Tether Test", "O=Tether Test,CN=client-a", false, "RDN order matters"},
    {"CN=client-a,O=Tether Test", "CN=client-b,O=Tether Test", false, "other CN"},
    {"CN=client-a,O=Tether Test", "CN=client-a,O=Tether Test,C=US", false, "extra RDN"},
    {"CN=client-a,O=Tether Test", "CN=client-a", false, "missing RDN"},
    {"CN=a+O=b", "CN=a,O=b", false, "multi-valued RDN is not two RDNs"},
    {"CN=Smith\\, John,O=Tether", "CN=Smith,CN=John,O=Tether", false, "escaped vs real comma"},
    {"CN=x", "OU=x", false, "other attribute type"},
    {"CN=clienta", "CN=client a", false, "an inner space is significant"},
    {"1.3.6.1.4.1.1466.0=#04024869", "1.3.6.1.4.1.1466.0=#04024868", false, "other BER bytes"},
    {"CN=client-a,O=Tether Test", "", false, "empty DN"},
    {"CN=a,", "CN=a,", false, "trailing separator is malformed"},
    {"CN=a\\", "CN=a\\", false, "dangling backslash is malformed"},
    {"CN=a,O", "CN=a,O", false, "AVA without '=' is malformed"},
    {"=a", "=a", false, "empty attribute type is malformed"},
    {"CN=#zz", "CN=#zz", false, "bad hexstring is malformed"},
    {"CN=\\q", "CN=\\q", false, "escape of an ordinary character is malformed"},
    {"C N=a", "C N=a", false, "space inside an attribute type is malformed"},
    {"CN=\"a\\\\", "CN=\"a\\\\", false, "escape at the end of an unterminated quote"},
    {"CN=\"a\"b", "CN=\"a\"b", false, "text after a closing quote"},
};

TEST(dn_equal, table) {
  for (const auto& c : dn_cases) {
    EXPECT_EQ(dn_equal(c.a, c.b), c.equal) << c.why << ": '" << c.a << "' vs '" << c.b << "'";
    EXPECT_EQ(dn_equal(c.b, c.a), c.equal) << c.why << " (swapped)";
  }
}

TEST(dn_equal, certificate_subject_matches_registered_spellings) {
  const std::string subject = testing::suite_cert("client-a").subject_dn();
  EXPECT_TRUE(dn_equal(subject, "cn=client-a, o=tether test"));
  EXPECT_TRUE(dn_equal(testing::suite_cert("client-other-ca").subject_dn(), subject));
  EXPECT_FALSE(dn_equal(testing::suite_cert("client-b").subject_dn(), subject));
}

TEST(ip_to_binary, ipv4) {
  auto v = ip_to_binary("10.0.0.1");
  ASSERT_TRUE(v) << v.err().message;
  EXPECT_EQ(*v, std::string("\x0a\x00\x00\x01", 4));
  EXPECT_EQ(*ip_to_binary("127.0.0.1"), std::string("\x7f\x00\x00\x01", 4));
}

TEST(ip_to_binary, ipv6_text_forms_compare_equal_in_binary) {
  const std::string expected("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
  for (const char* text : {"2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001",
                           "2001:DB8:0:0:0:0:0:1", "2001:db8:0::0:1"}) {
    auto v = ip_to_binary(text);
    ASSERT_TRUE(v) << text << ": " << v.err().message;
    EXPECT_EQ(*v, expected) << text;
  }
  EXPECT_EQ(*ip_to_binary("::ffff:10.0.0.1"),
            std::string("\0\0\0\0\0\0\0\0\0\0\xff\xff\x0a\x00\x00\x01", 16));
}

TEST(ip_to_binary, certificate_san_matches_any_spelling) {
  const auto sans = testing::suite_cert("client-a").san_ip();
  for (const char* text : {"2001:0db8::0001", "10.0.0.1"}) {
    auto v = ip_to_binary(text);
    ASSERT_TRUE(v);
    EXPECT_NE(std::find(sans.begin(), sans.end(), *v), sans.end()) << text;
  }
}

TEST(ip_to_binary, garbage_is_rejected) {
  for (const std::string& text : std::vector<std::string>{"", "10.0.0", "10.0.0.256", "10.0.0.1.2", " 10.0.0.1", "10.0.0.1 ",
                           "[2001:db8::1]", "2001:db8::1%eth0", "2001:db8::1/64",
                           "2001:db8:::1", "2001:db8::1::2", "client-a.tether.test", "::g",
                           std::string("10.0.0.1\0x", 10)}) {
    auto v = ip_to_binary(text);
    ASSERT_FALSE(v) << text;
    EXPECT_EQ(v.err().code, "ip.syntax");
  }
}

}  // namespace
}  // namespace tether::tls
