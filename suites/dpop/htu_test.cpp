// htu comparison (RFC 9449 4.3 (9) and the SHOULD on RFC 3986 6.2.2 / 6.2.3 normalisation).
// Expected forms come from the equivalences RFC 3986 states in section 6, not from this code.

#include <gtest/gtest.h>

#include "core/dpop/htu.hpp"

namespace tether::dpop {
namespace {

std::string normalised(std::string_view text) {
  auto r = normalise_htu(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.err().message);
  return r.ok() ? *r : std::string();
}

TEST(htu, rfc3986_6_2_3_examples_are_one_uri) {
  // RFC 3986 6.2.3: these four "are equivalent" for the http scheme.
  const std::string expected = "http://example.com/";
  EXPECT_EQ(normalised("http://example.com"), expected);
  EXPECT_EQ(normalised("http://example.com/"), expected);
  EXPECT_EQ(normalised("http://example.com:/"), expected);
  EXPECT_EQ(normalised("http://example.com:80/"), expected);
}

TEST(htu, rfc3986_6_2_2_example_is_one_uri) {
  // RFC 3986 6.2.2: "example://a/b/c/%7Bfoo%7D" and "eXAMPLE://a/./b/../b/%63/%7bfoo%7d" are
  // equivalent (case, percent-encoding, dot segments); same with an http scheme.
  EXPECT_EQ(normalised("HTTP://a/./b/../b/%63/%7bfoo%7d"), "http://a/b/c/%7Bfoo%7D");
}

TEST(htu, https_default_port_and_host_case) {
  EXPECT_EQ(normalised("HTTPS://127.0.0.1:443/x"), "https://127.0.0.1/x");
  EXPECT_EQ(normalised("https://RS.Example.COM/Path"), "https://rs.example.com/Path");
  // 443 is only the default for https: on http it is a real port.
  EXPECT_EQ(normalised("http://example.com:443/"), "http://example.com:443/");
  EXPECT_EQ(normalised("https://example.com:80/"), "https://example.com:80/");
  EXPECT_EQ(normalised("https://example.com:8443/a"), "https://example.com:8443/a");
}

TEST(htu, query_and_fragment_are_cut) {
  EXPECT_EQ(normalised("https://example.com/a?x=1#f"), "https://example.com/a");
  EXPECT_EQ(normalised("https://example.com#f"), "https://example.com/");
  EXPECT_EQ(strip_query_and_fragment("https://e.com/a?x=1#f"), "https://e.com/a");
  EXPECT_EQ(strip_query_and_fragment("https://e.com/a#f?x"), "https://e.com/a");
  EXPECT_EQ(strip_query_and_fragment("HTTPS://E.com:443/a"), "HTTPS://E.com:443/a");
}

TEST(htu, only_unreserved_octets_are_decoded) {
  // 6.2.2.2: %7E is "~" (unreserved); %2F is a reserved "/" and must stay encoded, since
  // "/a%2Fb" and "/a/b" are different resources (RFC 3986 2.2).
  EXPECT_EQ(normalised("https://e.com/%7e%41"), "https://e.com/~A");
  EXPECT_EQ(normalised("https://e.com/a%2fb"), "https://e.com/a%2Fb");
  EXPECT_EQ(normalised("https://e.com/a%3bb%25"), "https://e.com/a%3Bb%25");
  EXPECT_FALSE(htu_matches("https://e.com/a%2Fb", "https://e.com/a/b", {}));
  EXPECT_FALSE(htu_matches("https://e.com/a%3Bb", "https://e.com/a;b", {}));
}

TEST(htu, dot_segments_are_removed) {
  EXPECT_EQ(normalised("https://e.com/a/./b/../c"), "https://e.com/a/c");
  EXPECT_EQ(normalised("https://e.com/a/%2E%2E/c"), "https://e.com/c");
}

TEST(htu, not_an_http_uri_is_an_error_naming_it) {
  for (const char* text : {"", "token", "/token", "ftp://e.com/x", "https://", "https:/x",
                           "https://e.com/a%zz", "mailto:a@b"}) {
    auto r = normalise_htu(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_FALSE(r.err().message.empty());
    EXPECT_NE(r.err().message.find("URI"), std::string::npos) << r.err().message;
  }
}

TEST(htu, matches_after_normalisation_only_when_enabled) {
  const htu_options on{};
  const htu_options off{false, false};
  EXPECT_TRUE(htu_matches("HTTPS://127.0.0.1:443/x", "https://127.0.0.1/x", on));
  EXPECT_FALSE(htu_matches("HTTPS://127.0.0.1:443/x", "https://127.0.0.1/x", off));
  EXPECT_TRUE(htu_matches("https://e.com/%7euser", "https://e.com/~user", on));
  EXPECT_FALSE(htu_matches("https://e.com/%7euser", "https://e.com/~user", off));
  EXPECT_TRUE(htu_matches("https://e.com/a%2fb", "https://e.com/a%2Fb", on));
  EXPECT_FALSE(htu_matches("https://e.com/a%2fb", "https://e.com/a%2Fb", off));
  // Query and fragment are ignored in both modes (4.3 (9)).
  EXPECT_TRUE(htu_matches("https://e.com/x?a=1#f", "https://e.com/x?b=2", on));
  EXPECT_TRUE(htu_matches("https://e.com/x?a=1#f", "https://e.com/x?b=2", off));
}

TEST(htu, different_path_host_port_or_scheme_never_match) {
  const htu_options on{};
  EXPECT_FALSE(htu_matches("https://e.com/x", "https://e.com/y", on));
  EXPECT_FALSE(htu_matches("https://e.com/x", "https://f.com/x", on));
  EXPECT_FALSE(htu_matches("https://e.com:8443/x", "https://e.com/x", on));
  EXPECT_FALSE(htu_matches("http://e.com/x", "https://e.com/x", on));
  EXPECT_FALSE(htu_matches("https://e.com/X", "https://e.com/x", on));  // paths are case-sensitive
  EXPECT_FALSE(htu_matches("not a uri", "not a uri", on));
}

TEST(htu, case_insensitive_knob_ignores_case_in_paths_too) {
  const htu_options broken{true, true};
  EXPECT_TRUE(htu_matches("https://e.com/X", "https://e.com/x", broken));
  EXPECT_TRUE(htu_matches("https://e.com/ADMIN", "https://e.com/admin", htu_options{false, true}));
  EXPECT_FALSE(htu_matches("https://e.com/X", "https://e.com/y", broken));
}

}  // namespace
}  // namespace tether::dpop
