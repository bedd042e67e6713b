// base64url and base64: RFC 4648 section 10 test vectors, and every way a strict decoder must
// refuse a value (RFC 7515 section 2: no padding, no whitespace, URL-safe alphabet only).

#include "core/jose/base64url.hpp"

#include <gtest/gtest.h>

namespace tether::jose {
namespace {

struct vector {
  const char* bytes;
  const char* url;
  const char* std;
};

// RFC 4648 section 10.
constexpr vector rfc4648[] = {
    {"", "", ""},           {"f", "Zg", "Zg=="},           {"fo", "Zm8", "Zm8="},
    {"foo", "Zm9v", "Zm9v"}, {"foob", "Zm9vYg", "Zm9vYg=="}, {"fooba", "Zm9vYmE", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

TEST(Base64url, EncodesRfc4648VectorsWithoutPadding) {
  for (const auto& v : rfc4648) EXPECT_EQ(base64url_encode(v.bytes), v.url) << v.bytes;
}

TEST(Base64url, DecodesRfc4648VectorsIncludingEmptyAndEveryTailLength) {
  for (const auto& v : rfc4648) {
    auto d = base64url_decode(v.url);
    ASSERT_TRUE(d.ok()) << v.url << ": " << d.err().message;
    EXPECT_EQ(*d, v.bytes);
  }
}

TEST(Base64url, UsesTheUrlSafeAlphabet) {
  // 0xFB 0xFF = 111110 111111 1111(00): indexes 62, 63, 60.
  EXPECT_EQ(base64url_encode("\xFB\xFF"), "-_8");
  EXPECT_EQ(base64_encode("\xFB\xFF"), "+/8=");
  auto d = base64url_decode("-_8");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, "\xFB\xFF");
}

TEST(Base64url, RoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    auto d = base64url_decode(base64url_encode(all.substr(0, n)));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, all.substr(0, n));
  }
}

void expect_rejected(const std::string& text, const std::string& code) {
  auto d = base64url_decode(text);
  ASSERT_FALSE(d.ok()) << "accepted \"" << text << "\"";
  EXPECT_EQ(d.err().code, code) << text << ": " << d.err().message;
  EXPECT_FALSE(d.err().message.empty());
}

TEST(Base64url, RejectsPadding) {
  expect_rejected("Zg==", "base64url.padding");
  expect_rejected("Zm8=", "base64url.padding");
  expect_rejected("=", "base64url.padding");
}

TEST(Base64url, RejectsWhitespaceAnywhere) {
  expect_rejected("Zm9v Yg", "base64url.whitespace");
  expect_rejected("Zm9v\n", "base64url.whitespace");
  expect_rejected("\tZm9v", "base64url.whitespace");
  expect_rejected("Zm9v\r\nYg", "base64url.whitespace");
}

TEST(Base64url, RejectsTheStandardAlphabetsPlusAndSlash) {
  expect_rejected("+/8", "base64url.alphabet");
  expect_rejected("ab+c", "base64url.alphabet");
  expect_rejected("ab/c", "base64url.alphabet");
}

TEST(Base64url, RejectsOtherBytesOutsideTheAlphabet) {
  expect_rejected("Zm9v#", "base64url.character");
  expect_rejected("Zm9v?", "base64url.character");
  expect_rejected(std::string("Zm\0v", 4), "base64url.character");
  expect_rejected("Zm\x80v", "base64url.character");
}

TEST(Base64url, RejectsLengthOneModFour) {
  expect_rejected("A", "base64url.length");
  expect_rejected("Zm9vY", "base64url.length");
}

TEST(Base64url, RejectsNonZeroTrailingBits) {
  // "Zg" is canonical for "f"; "Zh" sets one of the 4 unused bits of 'h'.
  expect_rejected("Zh", "base64url.trailing_bits");
  // "Zm8" is canonical for "fo"; "Zm9" sets one of the 2 unused bits of '9'.
  expect_rejected("Zm9", "base64url.trailing_bits");
  expect_rejected("AB", "base64url.trailing_bits");
}

TEST(Base64, EncodesAndDecodesRfc4648VectorsWithPadding) {
  for (const auto& v : rfc4648) {
    EXPECT_EQ(base64_encode(v.bytes), v.std);
    auto d = base64_decode(v.std);
    ASSERT_TRUE(d.ok()) << v.std << ": " << d.err().message;
    EXPECT_EQ(*d, v.bytes);
  }
}

void expect_std_rejected(const std::string& text, const std::string& code) {
  auto d = base64_decode(text);
  ASSERT_FALSE(d.ok()) << "accepted \"" << text << "\"";
  EXPECT_EQ(d.err().code, code) << text << ": " << d.err().message;
}

TEST(Base64, RequiresPadding) {
  expect_std_rejected("Zg", "base64.length");
  expect_std_rejected("Zm9vYg=", "base64.length");
}

TEST(Base64, RejectsMisplacedPadding) {
  expect_std_rejected("Zg=a", "base64.padding");
  expect_std_rejected("Z===", "base64.padding");
  expect_std_rejected("====", "base64.padding");
  expect_std_rejected("Zm9v=Zg=", "base64.padding");
}

TEST(Base64, RejectsWhitespaceUrlAlphabetAndNonCanonicalBits) {
  expect_std_rejected("Zm9v Zg==", "base64.whitespace");
  expect_std_rejected("-_8=", "base64.alphabet");
  expect_std_rejected("Zh==", "base64.trailing_bits");
}

}  // namespace
}  // namespace tether::jose
