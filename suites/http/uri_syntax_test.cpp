// Strict absolute URIs (core/http/uri_syntax.hpp): the RFC 3986 rules Boost.URL 1.81 leaves out,
// for the HTTPS client (parse_https_url), the htu comparison and the runner's target loader.

#include <gtest/gtest.h>

#include "core/dpop/htu.hpp"
#include "core/http/https_url.hpp"
#include "core/http/uri_syntax.hpp"

namespace tether::http {
namespace {

// Found by a URL fuzzer: Boost.URL 1.81 reads these as a port followed by a relative path.
const char* const kJunkAfterPort[] = {"https://127.0.0.1:8443x/y", "https://127.0.0.1:8443x", "https://a:1x2/",
                                      "https://[::1]:8x/", "https://u@h:1a/", "https://a:+1/", "https://a:-1/"};

TEST(UriSyntax, JunkAfterThePortIsNotAPort) {
  for (const char* text : kJunkAfterPort) {
    auto u = parse_absolute_uri(text);
    ASSERT_FALSE(u.ok()) << text << " parsed with port '" << u->port() << "' and path '" << u->encoded_path()
                         << "'";
    EXPECT_EQ(u.err().code, "uri.syntax");
    EXPECT_NE(u.err().message.find(text), std::string::npos) << u.err().message;
  }
  auto u = parse_absolute_uri("https://127.0.0.1:8443x/y");
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.err().message.find("has port '8443x', not 1 to 65535"), std::string::npos) << u.err().message;
}

TEST(UriSyntax, PortIsOneTo65535) {
  for (const char* text : {"https://a:0/", "https://a:65536/", "https://a:99999/", "https://a:4294967297/",
                           "https://a:/x"}) {
    EXPECT_FALSE(parse_absolute_uri(text).ok()) << text;
  }
  for (const char* text : {"https://a:1/", "https://a:65535/", "https://a:08443/p", "https://[::1]:9/a",
                           "https://u@h:1/", "https://h", "https://h?q", "https://h#f", "urn:x:y"}) {
    auto u = parse_absolute_uri(text);
    EXPECT_TRUE(u.ok()) << text << ": " << u.err().message;
  }
  // RFC 3986 6.2.3: an empty port is the default one, where URIs are only compared.
  EXPECT_TRUE(parse_absolute_uri("https://a:/x", uri_rules{true}).ok());
}

TEST(UriSyntax, HttpsClientRefusesJunkAfterThePort) {
  for (const char* text : kJunkAfterPort) {
    auto u = detail::parse_https_url(text);
    ASSERT_FALSE(u.ok()) << text << " reaches port " << u->port << " with target " << u->target;
    EXPECT_EQ(u.err().code, "http.url");
  }
}

TEST(UriSyntax, HtuWithJunkAfterThePortMatchesNothing) {
  for (const char* text : kJunkAfterPort) {
    auto n = dpop::normalise_htu(text);
    ASSERT_FALSE(n.ok()) << text << " normalised to " << *n;
    EXPECT_EQ(n.err().code, "htu.syntax");
  }
  EXPECT_FALSE(dpop::htu_matches("https://127.0.0.1:8443x/y", "https://127.0.0.1:8443x/y", {}));
  EXPECT_TRUE(dpop::htu_matches("https://127.0.0.1:8443/y", "https://127.0.0.1:08443/y", {}));
  EXPECT_TRUE(dpop::htu_matches("https://e.com:/y", "https://e.com/y", {}));
}

TEST(UriSyntax, CheckHttpsUrl) {
  EXPECT_TRUE(check_https_url("https://127.0.0.1:8443/x").ok());
  EXPECT_FALSE(check_https_url("http://127.0.0.1:8443/x").ok());
  EXPECT_FALSE(check_https_url("https:///x").ok());
  EXPECT_FALSE(check_https_url("https://127.0.0.1:8443x/y").ok());
}

}  // namespace
}  // namespace tether::http
