// application/x-www-form-urlencoded (RFC 6749 appendix B) and percent-encoding (RFC 3986 2.1,
// 2.3). Expected values come from the RFC text quoted beside each case.

#include <gtest/gtest.h>

#include "core/http/message.hpp"

namespace tether::http {
namespace {

using form = std::multimap<std::string, std::string>;

// RFC 6749 appendix B: " %&+£€" "would be encoded into the octet sequence below (using
// hexadecimal notation): 20 25 26 2B C2 A3 E2 82 AC and then represented in the payload as:
// +%25%26%2B%C2%A3%E2%82%AC".
constexpr const char* appendix_b_value = " %&+\xC2\xA3\xE2\x82\xAC";
constexpr const char* appendix_b_payload = "+%25%26%2B%C2%A3%E2%82%AC";

TEST(Form, EncodesTheRfc6749AppendixBExample) {
  EXPECT_EQ(format_form({{"client_id", appendix_b_value}}),
            std::string("client_id=") + appendix_b_payload);
}

TEST(Form, DecodesTheRfc6749AppendixBExample) {
  auto f = parse_form(std::string("client_id=") + appendix_b_payload);
  EXPECT_EQ(f, (form{{"client_id", appendix_b_value}}));
}

TEST(Form, DecodesTheRfc6749TokenRequestExample) {
  // RFC 6749 4.1.3.
  auto f = parse_form(
      "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA"
      "&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb");
  EXPECT_EQ(f, (form{{"code", "SplxlOBeZQQYbYS6WxSbIA"},
                     {"grant_type", "authorization_code"},
                     {"redirect_uri", "https://client.example.com/cb"}}));
}

TEST(Form, KeepsRepeatedNames) {
  // RFC 6749 3.2: "Request and response parameters MUST NOT be included more than once", so
  // the handler must be able to see the repetition.
  auto f = parse_form("scope=a&scope=b&grant_type=x");
  EXPECT_EQ(f.count("scope"), 2u);
  auto [lo, hi] = f.equal_range("scope");
  std::vector<std::string> values;
  for (auto it = lo; it != hi; ++it) values.push_back(it->second);
  EXPECT_EQ(values, (std::vector<std::string>{"a", "b"}));
}

TEST(Form, EmptyElementsAreSkippedAndBareNamesHaveEmptyValues) {
  EXPECT_EQ(parse_form("a=1&&b=2&"), (form{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(parse_form("flag&x="), (form{{"flag", ""}, {"x", ""}}));
  EXPECT_EQ(parse_form("=v"), (form{{"", "v"}}));
  EXPECT_TRUE(parse_form("").empty());
  EXPECT_TRUE(parse_form("&&&").empty());
}

TEST(Form, OnlyTheFirstEqualsSeparates) {
  EXPECT_EQ(parse_form("a=b=c"), (form{{"a", "b=c"}}));
}

TEST(Form, PlusIsSpaceInNamesAndValues) {
  EXPECT_EQ(parse_form("a+b=c+d%2B"), (form{{"a b", "c d+"}}));
}

TEST(Form, FormatThenParseRoundTripsArbitraryBytes) {
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes += static_cast<char>(c);
  auto f = parse_form(format_form({{bytes, bytes}, {"k", "&=+%"}}));
  EXPECT_EQ(f, (form{{bytes, bytes}, {"k", "&=+%"}}));
}

TEST(UrlEncode, LeavesOnlyUnreservedCharactersAlone) {
  // RFC 3986 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
  // RFC 3986 2.1: uppercase hexadecimal digits.
  EXPECT_EQ(url_encode(" /?#[]@!$&'()*+,;=%"), "%20%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25");
  EXPECT_EQ(url_encode(std::string("\0\xFF", 2)), "%00%FF");
  EXPECT_EQ(url_encode(""), "");
}

TEST(UrlDecode, DecodesEitherHexCase) {
  EXPECT_EQ(url_decode("%2f%2F%7e", false), "//~");
  EXPECT_EQ(url_decode("%00", false), std::string(1, '\0'));
}

TEST(UrlDecode, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(url_decode("a+b", true), "a b");
  EXPECT_EQ(url_decode("a+b", false), "a+b");
}

TEST(UrlDecode, MalformedEscapesAreKeptLiterally) {
  // As the WHATWG URL standard's percent-decode: a '%' without two hex digits stays as it is.
  EXPECT_EQ(url_decode("100%", false), "100%");
  EXPECT_EQ(url_decode("%", false), "%");
  EXPECT_EQ(url_decode("%4", false), "%4");
  EXPECT_EQ(url_decode("%zz", false), "%zz");
  EXPECT_EQ(url_decode("%4g%41", false), "%4gA");
  EXPECT_EQ(url_decode("%%41", false), "%A");
  EXPECT_EQ(url_decode("%+1", true), "% 1");
}

}  // namespace
}  // namespace tether::http
