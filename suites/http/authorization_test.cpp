// Authorization credentials "Scheme token68" (RFC 9110 11.4; b64token of RFC 6750 2.1, the
// token68 of RFC 9449 7.1). The accepted tokens are the RFCs' own examples.

#include <gtest/gtest.h>

#include "core/http/www_authenticate.hpp"

namespace tether::http {
namespace {

TEST(ParseAuthorization, ReadsTheRfc6750Example) {
  // RFC 6750 2.1: "Authorization: Bearer mF_9.B5f-4.1JqM".
  auto c = parse_authorization("Bearer mF_9.B5f-4.1JqM");
  ASSERT_TRUE(c.ok()) << c.err().message;
  EXPECT_EQ(c->scheme, "Bearer");
  EXPECT_EQ(c->token, "mF_9.B5f-4.1JqM");
}

TEST(ParseAuthorization, ReadsTheRfc9449Example) {
  // RFC 9449 7.1: "Authorization: DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU".
  auto c = parse_authorization("DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
  ASSERT_TRUE(c.ok()) << c.err().message;
  EXPECT_EQ(c->scheme, "DPoP");
  EXPECT_EQ(c->token, "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
}

TEST(ParseAuthorization, AcceptsTheWholeB64tokenAlphabetAndTrailingEquals) {
  auto c = parse_authorization("Basic AZaz09-._~+/==");
  ASSERT_TRUE(c.ok()) << c.err().message;
  EXPECT_EQ(c->token, "AZaz09-._~+/==");
}

TEST(ParseAuthorization, KeepsTheSchemeAsReceived) {
  // The scheme is case-insensitive (RFC 9110 11.1); whether "dpop" is accepted is the
  // caller's policy, so the parser reports it unchanged.
  auto c = parse_authorization("dPoP abc");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scheme, "dPoP");
}

TEST(ParseAuthorization, AllowsSeveralSpacesAfterTheScheme) {
  // RFC 6750 2.1 and RFC 9449 7.1: scheme 1*SP token.
  auto c = parse_authorization("DPoP   abc");
  ASSERT_TRUE(c.ok()) << c.err().message;
  EXPECT_EQ(c->token, "abc");
}

struct bad_case {
  const char* name;
  std::string value;
  const char* code;
  const char* message_part;
};

void PrintTo(const bad_case& c, std::ostream* os) { *os << c.name; }

const bad_case bad_cases[] = {
    {"empty", "", "authorization.empty", "the field value is empty"},
    {"scheme_without_token", "DPoP", "authorization.missing_token", "scheme 'DPoP' has no token"},
    {"scheme_and_space_only", "Bearer  ", "authorization.missing_token",
     "scheme 'Bearer' is followed by spaces but no token"},
    {"leading_space", " DPoP abc", "authorization.scheme",
     "expected an auth-scheme, found byte 0x20 at offset 0"},
    {"no_scheme", "=abc", "authorization.scheme", "expected an auth-scheme, found '=' at offset 0"},
    {"two_tokens", "DPoP abc def", "authorization.extra_part",
     "more than one token after scheme 'DPoP' (another part at offset 9)"},
    {"trailing_space", "DPoP abc ", "authorization.syntax", "whitespace after the token (from offset 8)"},
    {"tab_after_scheme", "DPoP\tabc", "authorization.syntax",
     "scheme 'DPoP' must be followed by a space, found byte 0x09 at offset 4"},
    {"comma_list", "DPoP ab,c", "authorization.token_charset", "the token contains ',' at offset 7"},
    {"equals_inside", "DPoP a=b", "authorization.token_charset",
     "'=' inside the token; a token68 allows '=' only at its end"},
    {"auth_param_form", R"(Bearer realm="x")", "authorization.token_charset",
     "the token contains '\"' at offset 13"},
    {"quoted_token", R"(DPoP "abc")", "authorization.token_charset",
     "the token after scheme 'DPoP' starts with '\"' at offset 5"},
    {"control_bytes", "DPoP \x01\x02", "authorization.token_charset",
     "starts with byte 0x01 at offset 5"},
    {"nul_after_token", std::string("DPoP abc\0", 9), "authorization.token_charset",
     "the token contains byte 0x00 at offset 8"},
    {"non_ascii", "DPoP ab\xC3\xA9", "authorization.token_charset",
     "the token contains byte 0xC3 at offset 7"},
};

class RejectsAuthorization : public testing::TestWithParam<bad_case> {};

TEST_P(RejectsAuthorization, NamingWhatWasWrong) {
  const auto& c = GetParam();
  auto parsed = parse_authorization(c.value);
  ASSERT_FALSE(parsed.ok()) << "scheme " << parsed->scheme << " token " << parsed->token;
  EXPECT_EQ(parsed.err().code, c.code);
  EXPECT_NE(parsed.err().message.find(c.message_part), std::string::npos) << parsed.err().message;
  EXPECT_EQ(parsed.err().message.rfind("Authorization: ", 0), 0u) << parsed.err().message;
}

INSTANTIATE_TEST_SUITE_P(Malformed, RejectsAuthorization, testing::ValuesIn(bad_cases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace tether::http
