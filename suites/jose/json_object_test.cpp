// parse_json_object: one JSON object, duplicate member names rejected at every depth (RFC 7515
// section 4), no byte order mark, no trailing bytes, no non-object values.

#include <gtest/gtest.h>

#include "core/jose/jws.hpp"

namespace tether::jose {
namespace {

void expect_rejected(std::string_view text, const std::string& code) {
  auto j = parse_json_object(text);
  ASSERT_FALSE(j.ok()) << "accepted " << text;
  EXPECT_EQ(j.err().code, code) << text << ": " << j.err().message;
}

TEST(JsonObject, AcceptsAnObjectWithWhitespace) {
  auto j = parse_json_object(" {\"alg\" : \"ES256\",\n\t\"typ\":\"dpop+jwt\"} ");
  ASSERT_TRUE(j.ok()) << j.err().message;
  EXPECT_EQ((*j)["alg"], "ES256");
  EXPECT_EQ((*j)["typ"], "dpop+jwt");
}

TEST(JsonObject, AcceptsTheSameNameInDifferentObjects) {
  auto j = parse_json_object(R"({"a":{"x":1},"b":{"x":2},"x":3})");
  ASSERT_TRUE(j.ok()) << j.err().message;
}

TEST(JsonObject, RejectsDuplicateMemberNamesNamingThem) {
  auto j = parse_json_object(R"({"alg":"ES256","alg":"none"})");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.err().code, "json.duplicate");
  EXPECT_NE(j.err().message.find("\"alg\""), std::string::npos) << j.err().message;
}

TEST(JsonObject, RejectsDuplicatesInNestedObjectsAndEscapedSpellings) {
  expect_rejected(R"({"jwk":{"kty":"EC","x":"a","x":"b"}})", "json.duplicate");
  expect_rejected(R"({"alg":"ES256","\u0061lg":"none"})", "json.duplicate");
  expect_rejected(R"({"a":[{"k":1,"k":2}]})", "json.duplicate");
}

TEST(JsonObject, RejectsNonObjects) {
  expect_rejected("[]", "json.not_object");
  expect_rejected("\"alg\"", "json.not_object");
  expect_rejected("42", "json.not_object");
  expect_rejected("null", "json.not_object");
}

TEST(JsonObject, RejectsBrokenJsonTrailingBytesAndInvalidUtf8) {
  expect_rejected("", "json.syntax");
  expect_rejected("{", "json.syntax");
  expect_rejected("{\"a\":1} x", "json.syntax");
  expect_rejected("{\"a\":1}{}", "json.syntax");
  expect_rejected("{\"a\":\"\xC3\x28\"}", "json.syntax");
  expect_rejected("{'a':1}", "json.syntax");
}

TEST(JsonObject, RejectsAByteOrderMark) { expect_rejected("\xEF\xBB\xBF{\"a\":1}", "json.bom"); }

TEST(JsonObject, RejectsDeepNesting) {
  std::string deep = "{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}";
  expect_rejected(deep, "json.depth");
}

}  // namespace
}  // namespace tether::jose
