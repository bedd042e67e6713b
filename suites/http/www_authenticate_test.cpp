// WWW-Authenticate challenges (RFC 9110 11.2, 11.6.1). The accepted inputs include every
// challenge example of RFC 6750 3, RFC 9110 11.6.1 and RFC 9449 7.1, 7.2 and 9, written as the
// RFCs print them; the expected values are read off the RFC text by hand.

#include <gtest/gtest.h>

#include "core/http/www_authenticate.hpp"

namespace tether::http {
namespace {

using params = std::vector<std::pair<std::string, std::string>>;

struct want {
  std::string scheme;
  std::optional<std::string> token68;
  params p;
};

struct good_case {
  const char* name;
  std::vector<std::string> values;
  std::vector<want> expected;
};

void PrintTo(const good_case& c, std::ostream* os) { *os << c.name; }

const good_case good_cases[] = {
    {"rfc6750_3_realm", {R"(Bearer realm="example")"}, {{"Bearer", {}, {{"realm", "example"}}}}},
    {"rfc6750_3_expired",
     {R"(Bearer realm="example", error="invalid_token", error_description="The access token expired")"},
     {{"Bearer", {}, {{"realm", "example"}, {"error", "invalid_token"},
                      {"error_description", "The access token expired"}}}}},
    {"rfc9449_7_1_no_token", {R"(DPoP algs="ES256 PS256")"}, {{"DPoP", {}, {{"algs", "ES256 PS256"}}}}},
    {"rfc9449_7_1_invalid_key_binding",
     {R"(DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256")"},
     {{"DPoP", {}, {{"error", "invalid_token"}, {"error_description", "Invalid DPoP key binding"},
                    {"algs", "ES256"}}}}},
    {"rfc9449_7_2_no_token", {R"(Bearer, DPoP algs="ES256 PS256")"},
     {{"Bearer", {}, {}}, {"DPoP", {}, {{"algs", "ES256 PS256"}}}}},
    {"rfc9449_7_2_invalid_token",
     {R"(Bearer error="invalid_token", error_description="Invalid token", DPoP algs="ES256 PS256")"},
     {{"Bearer", {}, {{"error", "invalid_token"}, {"error_description", "Invalid token"}}},
      {"DPoP", {}, {{"algs", "ES256 PS256"}}}}},
    {"rfc9449_7_2_ambiguous",
     {R"(Bearer error="invalid_request", error_description="Multiple methods used to include access token", )"
      R"(DPoP algs="ES256 PS256", error="invalid_request", error_description="Multiple methods used to include access token")"},
     {{"Bearer", {}, {{"error", "invalid_request"},
                      {"error_description", "Multiple methods used to include access token"}}},
      {"DPoP", {}, {{"algs", "ES256 PS256"}, {"error", "invalid_request"},
                    {"error_description", "Multiple methods used to include access token"}}}}},
    {"rfc9449_9_use_dpop_nonce",
     {R"(DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof")"},
     {{"DPoP", {}, {{"error", "use_dpop_nonce"},
                    {"error_description", "Resource server requires nonce in DPoP proof"}}}}},
    {"rfc9110_11_6_1_two_schemes",
     {R"(Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\"")"},
     {{"Basic", {}, {{"realm", "simple"}}},
      {"Newauth", {}, {{"realm", "apps"}, {"type", "1"}, {"title", "Login to \"apps\""}}}}},
    {"two_field_values", {R"(Bearer realm="a")", R"(DPoP algs="ES256")"},
     {{"Bearer", {}, {{"realm", "a"}}}, {"DPoP", {}, {{"algs", "ES256"}}}}},
    {"scheme_only", {"Bearer"}, {{"Bearer", {}, {}}}},
    {"token_value_unquoted", {"DPoP error=invalid_token"}, {{"DPoP", {}, {{"error", "invalid_token"}}}}},
    {"token68_then_challenge", {R"(Basic dXNlcjpwYXNz, DPoP algs="ES256")"},
     {{"Basic", std::string("dXNlcjpwYXNz"), {}}, {"DPoP", {}, {{"algs", "ES256"}}}}},
    {"token68_padding_then_scheme", {"Negotiate YII+/B==, Bearer"},
     {{"Negotiate", std::string("YII+/B=="), {}}, {"Bearer", {}, {}}}},
    // "error=" alone matches token68 (1*tchar68 *"="), so by the ABNF it is one, not an
    // auth-param without a value.
    {"token68_that_looks_like_a_param", {"DPoP error="}, {{"DPoP", std::string("error="), {}}}},
    {"token68_trailing_space", {"Basic abc==  "}, {{"Basic", std::string("abc=="), {}}}},
    {"odd_spacing",
     {"  DPoP   algs = \"ES256\"  ,error =invalid_token\t,\terror_description=\t\"x\"   "},
     {{"DPoP", {}, {{"algs", "ES256"}, {"error", "invalid_token"}, {"error_description", "x"}}}}},
    {"tab_after_scheme", {"DPoP\talgs=\"ES256\""}, {{"DPoP", {}, {{"algs", "ES256"}}}}},
    {"empty_list_elements", {R"(, ,Bearer realm="x",, ,scope="a b",  , DPoP ,)"},
     {{"Bearer", {}, {{"realm", "x"}, {"scope", "a b"}}}, {"DPoP", {}, {}}}},
    {"empty_field_value_among_others", {"", R"(DPoP algs="ES256")", " , "},
     {{"DPoP", {}, {{"algs", "ES256"}}}}},
    {"backslash_escapes", {R"(DPoP error_description="a \"quoted\" \\ back\slash")"},
     {{"DPoP", {}, {{"error_description", R"(a "quoted" \ backslash)"}}}}},
    {"commas_inside_quoted_string", {R"(Bearer scope="a,b", error_description="x, DPoP algs=y")"},
     {{"Bearer", {}, {{"scope", "a,b"}, {"error_description", "x, DPoP algs=y"}}}}},
    {"empty_quoted_value", {R"(Bearer realm="")"}, {{"Bearer", {}, {{"realm", ""}}}}},
    {"obs_text_and_tab_in_quoted_string", {"Bearer error_description=\"caf\xC3\xA9\tok\""},
     {{"Bearer", {}, {{"error_description", "caf\xC3\xA9\tok"}}}}},
    {"names_keep_their_case", {R"(dpop ERROR="invalid_token")"},
     {{"dpop", {}, {{"ERROR", "invalid_token"}}}}},
    {"repeated_param_kept", {R"(Bearer realm="a", realm="b")"},
     {{"Bearer", {}, {{"realm", "a"}, {"realm", "b"}}}}},
    {"lone_scheme_between_param_challenges", {R"(A b=c, D, E f="g")"},
     {{"A", {}, {{"b", "c"}}}, {"D", {}, {}}, {"E", {}, {{"f", "g"}}}}},
};

class ParsesChallenges : public testing::TestWithParam<good_case> {};

TEST_P(ParsesChallenges, AsTheRfcTextSays) {
  const auto& c = GetParam();
  auto parsed = parse_www_authenticate(c.values);
  ASSERT_TRUE(parsed.ok()) << parsed.err().message;
  ASSERT_EQ(parsed->size(), c.expected.size());
  for (std::size_t i = 0; i < c.expected.size(); ++i) {
    SCOPED_TRACE("challenge " + std::to_string(i));
    EXPECT_EQ((*parsed)[i].scheme, c.expected[i].scheme);
    EXPECT_EQ((*parsed)[i].token68, c.expected[i].token68);
    EXPECT_EQ((*parsed)[i].params, c.expected[i].p);
  }
}

TEST_P(ParsesChallenges, SurvivesAFormatParseRoundTrip) {
  auto first = parse_www_authenticate(GetParam().values);
  ASSERT_TRUE(first.ok());
  std::string text = format_challenges(*first);
  auto second = parse_www_authenticate(text);
  ASSERT_TRUE(second.ok()) << text << ": " << second.err().message;
  ASSERT_EQ(second->size(), first->size()) << text;
  for (std::size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*second)[i].scheme, (*first)[i].scheme);
    EXPECT_EQ((*second)[i].token68, (*first)[i].token68);
    EXPECT_EQ((*second)[i].params, (*first)[i].params);
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc, ParsesChallenges, testing::ValuesIn(good_cases),
                         [](const auto& info) { return std::string(info.param.name); });

struct bad_case {
  const char* name;
  std::vector<std::string> values;
  const char* code;
  const char* message_part;  // what the error message must name
};

void PrintTo(const bad_case& c, std::ostream* os) { *os << c.name; }

const bad_case bad_cases[] = {
    {"unterminated_quote", {R"(DPoP error="invalid_token)"}, "www_authenticate.syntax",
     "unterminated quoted-string in auth-param 'error' (opened at offset 11)"},
    {"backslash_at_end", {R"(DPoP error="abc\)"}, "www_authenticate.syntax",
     "unterminated quoted-string in auth-param 'error'"},
    {"missing_scheme_quote", {R"("x")"}, "www_authenticate.syntax",
     "expected an auth-scheme, found '\"' at offset 0"},
    {"param_without_scheme", {R"(realm="x")"}, "www_authenticate.syntax",
     "auth-param 'realm' at offset 0 has no auth-scheme before it"},
    {"param_after_token68", {R"(Basic abc=, realm="x")"}, "www_authenticate.syntax",
     "auth-param 'realm' at offset 12 has no auth-scheme before it"},
    {"equals_without_name", {R"(DPoP algs="ES256", ="x")"}, "www_authenticate.syntax",
     "'=' at offset 19 has no auth-param name before it"},
    {"equals_without_name_first", {R"(="x")"}, "www_authenticate.syntax",
     "'=' at offset 0 has no auth-param name before it"},
    {"quoted_string_without_name", {R"(DPoP "x")"}, "www_authenticate.syntax",
     "expected an auth-param name after scheme 'DPoP', found '\"' at offset 5"},
    {"scheme_then_spaced_equals", {R"(DPoP ="x")"}, "www_authenticate.syntax",
     "auth-param 'DPoP' at offset 0 has no auth-scheme before it"},
    {"garbage_bytes", {"\x01\x02\xFF"}, "www_authenticate.syntax",
     "expected an auth-scheme, found byte 0x01 at offset 0"},
    {"newline_in_quoted_string", {"DPoP error=\"a\nb\""}, "www_authenticate.syntax",
     "control byte 0x0A at offset 13 in the quoted-string of auth-param 'error'"},
    {"nul_in_quoted_string", {std::string("DPoP algs=\"ES\0\"", 15)}, "www_authenticate.syntax",
     "control byte 0x00 at offset 13 in the quoted-string of auth-param 'algs'"},
    {"param_without_value_at_end", {R"(DPoP algs="x", error=)"}, "www_authenticate.syntax",
     "auth-param 'error' has no value"},
    {"param_without_value_before_comma", {R"(DPoP algs="x", error=, realm="y")"},
     "www_authenticate.syntax",
     "auth-param 'error' has no value (a token or quoted-string), found ',' at offset 21"},
    {"param_value_not_a_token", {"DPoP error=@x"}, "www_authenticate.syntax",
     "auth-param 'error' has no value (a token or quoted-string), found '@' at offset 11"},
    {"missing_comma_between_params", {R"(DPoP error="a" algs="b")"}, "www_authenticate.syntax",
     "expected ',' after auth-param 'error' of scheme 'DPoP', found 'a' at offset 15"},
    {"name_without_equals", {R"(DPoP abc def)"}, "www_authenticate.syntax",
     "expected '=' after auth-param name 'abc', found 'd' at offset 9"},
    {"scheme_glued_to_quote", {R"(Bearer"x")"}, "www_authenticate.syntax",
     "auth-scheme 'Bearer' must be followed by a space, ',' or the end, found '\"' at offset 6"},
    {"empty_value", {""}, "www_authenticate.empty", "holds no challenge"},
    {"only_commas", {" , ,, "}, "www_authenticate.empty", "holds no challenge"},
    {"no_field", {}, "www_authenticate.empty", "holds no challenge"},
    {"error_in_second_field", {"Bearer", R"(DPoP error="x)"}, "www_authenticate.syntax",
     "WWW-Authenticate field 2 of 2: unterminated quoted-string in auth-param 'error'"},
};

class RejectsChallenges : public testing::TestWithParam<bad_case> {};

TEST_P(RejectsChallenges, NamingWhatWasWrong) {
  const auto& c = GetParam();
  auto parsed = parse_www_authenticate(c.values);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.err().code, c.code);
  EXPECT_NE(parsed.err().message.find(c.message_part), std::string::npos) << parsed.err().message;
}

INSTANTIATE_TEST_SUITE_P(Malformed, RejectsChallenges, testing::ValuesIn(bad_cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Challenge, LooksUpSchemeAndParamsCaseInsensitively) {
  // RFC 9110 11.1: the scheme is case-insensitive; 11.2: so are parameter names.
  auto parsed = parse_www_authenticate(R"(dpop ERROR="invalid_token", Algs="ES256")");
  ASSERT_TRUE(parsed.ok());
  const challenge& c = parsed->front();
  EXPECT_TRUE(c.scheme_is("DPoP"));
  EXPECT_FALSE(c.scheme_is("Bearer"));
  EXPECT_EQ(c.param("error"), "invalid_token");
  EXPECT_EQ(c.param("ALGS"), "ES256");
  EXPECT_FALSE(c.param("realm").has_value());
}

TEST(Challenge, SingleValueOverloadMatchesTheListOne) {
  auto parsed = parse_www_authenticate(std::string_view(R"(Bearer, DPoP algs="ES256 PS256")"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size(), 2u);
}

TEST(FormatChallenge, WritesTheRfc9449Figures) {
  challenge dpop{"DPoP", {}, {{"error", "invalid_token"},
                              {"error_description", "Invalid DPoP key binding"},
                              {"algs", "ES256"}}};
  // RFC 9449 7.1, second figure.
  EXPECT_EQ(format_challenge(dpop),
            R"(DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256")");
  // RFC 9449 7.2, first figure.
  EXPECT_EQ(format_challenges({challenge{"Bearer", {}, {}},
                               challenge{"DPoP", {}, {{"algs", "ES256 PS256"}}}}),
            R"(Bearer, DPoP algs="ES256 PS256")");
}

TEST(FormatChallenge, QuotesEveryValueAndEscapesQuoteAndBackslash) {
  // RFC 6750 3: the params use quoted-string; RFC 9110 5.6.4: '"' and '\' need a backslash.
  challenge c{"Bearer", {}, {{"realm", "a\"b\\c"}, {"scope", "openid"}}};
  EXPECT_EQ(format_challenge(c), R"(Bearer realm="a\"b\\c", scope="openid")");
}

TEST(FormatChallenge, WritesAToken68AsItIs) {
  EXPECT_EQ(format_challenge(challenge{"Basic", std::string("dXNlcg=="), {}}), "Basic dXNlcg==");
  EXPECT_EQ(format_challenges({}), "");
}

}  // namespace
}  // namespace tether::http
