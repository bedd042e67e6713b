// Escaping, with answers worked out by hand from RFC 3629 (UTF-8), XML 1.0 sections 2.2 and
// 3.3.3, HTML's five special characters and CommonMark 0.30 / GFM 0.29 (backslash escapes,
// code spans, table cells).

#include <gtest/gtest.h>

#include <cstdint>

#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

const std::string fffd = "\xEF\xBF\xBD";

TEST(sanitize_utf8, keeps_well_formed_text) {
  EXPECT_EQ(sanitize_utf8("abc"), "abc");
  EXPECT_EQ(sanitize_utf8("\xE2\x82\xAC"), "\xE2\x82\xAC");            // U+20AC, 3 bytes
  EXPECT_EQ(sanitize_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");    // U+1F600, 4 bytes
  EXPECT_EQ(sanitize_utf8("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");    // U+10FFFF, the last
}

TEST(sanitize_utf8, replaces_each_bad_byte) {
  EXPECT_EQ(sanitize_utf8("\xFF"), fffd);
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), fffd + fffd);                   // overlong "/"
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), fffd + fffd + fffd);        // surrogate U+D800
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
  EXPECT_EQ(sanitize_utf8("\xE2\x82"), fffd + fffd);                   // truncated
  EXPECT_EQ(sanitize_utf8("\xE2\x82" "b"), fffd + fffd + "b");         // the next character survives
  EXPECT_EQ(sanitize_utf8("\x80x"), fffd + "x");                       // lone continuation byte
}

TEST(xml_text, escapes_markup_and_keeps_line_structure) {
  EXPECT_EQ(xml_text("a<b>&\"'"), "a&lt;b&gt;&amp;\"'");
  EXPECT_EQ(xml_text("]]>"), "]]&gt;");
  EXPECT_EQ(xml_text("a\tb\nc"), "a\tb\nc");
  EXPECT_EQ(xml_text("a\r\nb"), "a&#13;\nb");
}

TEST(xml_text, control_characters_become_control_pictures) {
  EXPECT_EQ(xml_text(std::string_view("\x00", 1)), "\xE2\x90\x80");  // U+2400
  EXPECT_EQ(xml_text("\x01"), "\xE2\x90\x81");                       // U+2401
  EXPECT_EQ(xml_text("\x1B"), "\xE2\x90\x9B");                       // U+241B
  EXPECT_EQ(xml_text("\x7F"), "\xE2\x90\xA1");                       // U+2421
  EXPECT_EQ(xml_text("\xEF\xBF\xBE"), fffd);                          // U+FFFE is no XML character
  EXPECT_EQ(xml_text("\xFF<"), fffd + "&lt;");
}

TEST(xml_attr, survives_attribute_value_normalisation) {
  EXPECT_EQ(xml_attr("a\"b\tc\nd\re<&>"), "a&quot;b&#9;c&#10;d&#13;e&lt;&amp;&gt;");
}

TEST(html_text, escapes_the_five_characters) {
  EXPECT_EQ(html_text("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(html_text("a=\"b\" & c"), "a=&quot;b&quot; &amp; c");
  EXPECT_EQ(html_text(std::string_view("\x00", 1)), "\xE2\x90\x80");
}

TEST(md_text, escapes_what_could_start_markup) {
  EXPECT_EQ(md_text("a|b"), "a\\|b");
  EXPECT_EQ(md_text("`x`"), "\\`x\\`");
  EXPECT_EQ(md_text("[link](u)"), "\\[link\\](u)");
  EXPECT_EQ(md_text("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
  EXPECT_EQ(md_text("a\\b ~~c~~"), "a\\\\b \\~\\~c\\~\\~");
  EXPECT_EQ(md_text("a\nb\tc\rd"), "a b c d");
}

TEST(md_text, leaves_intraword_underscores_and_plain_ampersands) {
  EXPECT_EQ(md_text("invalid_dpop_proof"), "invalid_dpop_proof");
  EXPECT_EQ(md_text("_x_"), "\\_x\\_");
  EXPECT_EQ(md_text("A & B"), "A & B");
  EXPECT_EQ(md_text("&amp; &#60;"), "\\&amp; \\&#60;");
}

TEST(md_code, picks_a_fence_longer_than_any_backtick_run) {
  EXPECT_EQ(md_code("401 invalid_token Bearer"), "`401 invalid_token Bearer`");
  EXPECT_EQ(md_code("a`b"), "``a`b``");
  EXPECT_EQ(md_code("a``b`c"), "```a``b`c```");
  EXPECT_EQ(md_code("`a"), "`` `a ``");
  EXPECT_EQ(md_code(""), "");
}

TEST(md_code, pipes_are_escaped_only_inside_tables) {
  EXPECT_EQ(md_code("a|b"), "`a\\|b`");
  EXPECT_EQ(md_code("a|b", md_place::prose), "`a|b`");
  EXPECT_EQ(md_code("a\nb"), "`a b`");
}

bool well_formed_utf8(const std::string& s) { return sanitize_utf8(s) == s; }

bool has_xml_forbidden_control(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && c != '\n') return true;
  }
  return false;
}

// Any bytes at all: the output is well-formed UTF-8 without characters XML 1.0 forbids, and
// the markup characters never appear raw.
TEST(escaping, arbitrary_bytes_give_safe_output) {
  std::uint32_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string input;
    const int len = round % 40;
    for (int i = 0; i < len; ++i) {
      state = state * 1103515245u + 12345u;
      input += static_cast<char>(state >> 24);
    }
    const std::string x = xml_attr(input);
    EXPECT_TRUE(well_formed_utf8(x));
    EXPECT_FALSE(has_xml_forbidden_control(x));
    EXPECT_EQ(x.find_first_of("<>\"\t\n\r"), std::string::npos);
    const std::string h = html_text(input);
    EXPECT_TRUE(well_formed_utf8(h));
    EXPECT_EQ(h.find_first_of("<>\"'"), std::string::npos);
    EXPECT_TRUE(well_formed_utf8(md_text(input)));
    EXPECT_TRUE(well_formed_utf8(md_code(input)));
  }
}

}  // namespace
}  // namespace tether::reports
