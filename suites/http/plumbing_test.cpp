// The plain parts of the HTTPS plumbing: where a URL points (RFC 3986 3, RFC 9110 4.2.2 and
// 7.2, RFC 9112 3.2.1) and the JSON error body the server answers with on its own (RFC 6749
// 5.2 shape, RFC 8259 7 escaping).

#include <gtest/gtest.h>

#include "core/http/error_body.hpp"
#include "core/http/https_url.hpp"

namespace tether::http::detail {
namespace {

TEST(HttpsUrl, SplitsIntoConnectAndRequestParts) {
  auto u = parse_https_url("https://127.0.0.1:8443/token?x=1&y=%20");
  ASSERT_TRUE(u.ok()) << u.err().message;
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "8443");
  EXPECT_EQ(u->host_header, "127.0.0.1:8443");
  EXPECT_EQ(u->target, "/token?x=1&y=%20");
}

TEST(HttpsUrl, DefaultsPortAndPath) {
  // RFC 9110 4.2.2: https defaults to port 443; RFC 9112 3.2.1: an empty path is sent as "/".
  auto u = parse_https_url("https://as.example.com");
  ASSERT_TRUE(u.ok()) << u.err().message;
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->host_header, "as.example.com");
  EXPECT_EQ(u->target, "/");
}

TEST(HttpsUrl, KeepsIpv6BracketsOnlyInHost) {
  auto u = parse_https_url("https://[::1]:9/a");
  ASSERT_TRUE(u.ok()) << u.err().message;
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->host_header, "[::1]:9");
}

TEST(HttpsUrl, DropsTheFragmentAndAcceptsAnyCaseOfScheme) {
  // RFC 3986 3.1: schemes are case-insensitive; 3.5: the fragment stays with the client.
  auto u = parse_https_url("HTTPS://rs.example/r?q#frag");
  ASSERT_TRUE(u.ok()) << u.err().message;
  EXPECT_EQ(u->target, "/r?q");
}

TEST(HttpsUrl, RejectsWhatCannotBeReached) {
  struct bad {
    const char* url;
    const char* message_part;
  };
  for (const auto& b : {bad{"http://127.0.0.1/", "is not an https URL"},
                        bad{"/relative", "is not an absolute URI"},
                        bad{"https://a b/", "is not an absolute URI"},
                        bad{"https://x:99999/", "has port '99999'"},
                        bad{"https://x:/", "has port ''"},
                        bad{"https:///path", "has no host"}}) {
    auto u = parse_https_url(b.url);
    ASSERT_FALSE(u.ok()) << b.url;
    EXPECT_EQ(u.err().code, "http.url");
    EXPECT_NE(u.err().message.find(b.message_part), std::string::npos) << u.err().message;
  }
}

TEST(ErrorBody, IsAnOAuthErrorObject) {
  auto r = error_response(413, "invalid_request", "request body too large");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.headers.first("Content-Type"), "application/json");
  EXPECT_EQ(r.headers.first("Cache-Control"), "no-store");
  EXPECT_EQ(r.body, R"({"error":"invalid_request","error_description":"request body too large"})");
}

TEST(ErrorBody, EscapesQuotesBackslashesAndControlCharacters) {
  auto r = error_response(500, "server_error", std::string("a\"b\\c\n\x01\x1f", 8));
  EXPECT_EQ(r.body, R"({"error":"server_error","error_description":"a\"b\\c\u000a\u0001\u001f"})");
}

}  // namespace
}  // namespace tether::http::detail
