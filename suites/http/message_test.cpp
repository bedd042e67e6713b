// header_list and iequals: field names are case-insensitive (RFC 9110 5.1) and repeated fields
// stay apart, because "two DPoP headers" is a test case (RFC 9449 4.3 (1)).

#include <gtest/gtest.h>

#include "core/http/message.hpp"

namespace tether::http {
namespace {

TEST(Iequals, ComparesAsciiCaseInsensitively) {
  EXPECT_TRUE(iequals("DPoP", "dpop"));
  EXPECT_TRUE(iequals("WWW-Authenticate", "www-authenticate"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("DPoP", "DPoP-Nonce"));
  EXPECT_FALSE(iequals("a", "b"));
  // Only ASCII letters fold: '[' (0x5B) is not the lower case of '{' (0x7B) nor of anything.
  EXPECT_FALSE(iequals("[", "{"));
  EXPECT_FALSE(iequals("\xC3\x84", "\xC3\xA4"));  // U+00C4 vs U+00E4: bytes compared as they are
}

TEST(HeaderList, KeepsRepeatedFieldsInOrder) {
  header_list h;
  h.add("DPoP", "first");
  h.add("Content-Type", "application/json");
  h.add("dpop", "second");
  EXPECT_EQ(h.count("DPOP"), 2u);
  EXPECT_EQ(h.all("DPoP"), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(h.first("dPoP"), "first");
  ASSERT_EQ(h.fields().size(), 3u);
  EXPECT_EQ(h.fields()[2].name, "dpop");  // names are kept as given
}

TEST(HeaderList, FirstOfAbsentFieldIsEmpty) {
  header_list h;
  EXPECT_FALSE(h.first("Authorization").has_value());
  EXPECT_EQ(h.count("Authorization"), 0u);
  EXPECT_TRUE(h.all("Authorization").empty());
  h.add("Authorization", "");
  ASSERT_TRUE(h.first("Authorization").has_value());  // present but empty is not absent
  EXPECT_EQ(*h.first("Authorization"), "");
}

TEST(HeaderList, SetReplacesEveryFieldOfThatName) {
  header_list h;
  h.add("Cache-Control", "a");
  h.add("Pragma", "no-cache");
  h.add("cache-control", "b");
  h.set("CACHE-CONTROL", "no-store");
  EXPECT_EQ(h.all("Cache-Control"), (std::vector<std::string>{"no-store"}));
  EXPECT_EQ(h.first("Pragma"), "no-cache");
  EXPECT_EQ(h.fields().size(), 2u);
}

TEST(HeaderList, RemoveDropsOnlyThatName) {
  header_list h;
  h.add("DPoP", "x");
  h.add("DPoP-Nonce", "n");
  h.add("dpop", "y");
  h.remove("DPOP");
  ASSERT_EQ(h.fields().size(), 1u);
  EXPECT_EQ(h.fields()[0].name, "DPoP-Nonce");
  h.remove("absent");
  EXPECT_EQ(h.fields().size(), 1u);
}

TEST(Messages, DefaultsAreAPlainGetAndA200) {
  request req;
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/");
  response res;
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.body.empty());
}

}  // namespace
}  // namespace tether::http
