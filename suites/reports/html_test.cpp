// report.html and matrix.html: self-contained, escaped, readable without scripts, and with a
// Content-Security-Policy that allows exactly the page's own style and script.

#include <gtest/gtest.h>

#include <set>

#include "reports/html_page.hpp"
#include "reports/html_writer.hpp"
#include "reports/matrix_writer.hpp"
#include "reports/report_model.hpp"
#include "report_test_support.hpp"

namespace tether::reports::test {
namespace {

std::string report_html() {
  auto model = read_report(fixture());
  EXPECT_TRUE(model.ok());
  return model.ok() ? render_html(*model) : std::string();
}

std::string matrix_html() {
  std::vector<report_document> reports;
  for (const char* name : {"report-fixture.json", "matrix-b.json", "matrix-c.json"}) {
    auto doc = load_report_file(testdata(name).string());
    EXPECT_TRUE(doc.ok());
    if (doc.ok()) reports.push_back(std::move(*doc));
  }
  return render_matrix_html(reports);
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto a = text.find(open);
  if (a == std::string::npos) return {};
  const auto b = text.find(close, a + open.size());
  return text.substr(a + open.size(), b - a - open.size());
}

// The example of CSP Level 3, section 8.3: the hash source of alert('Hello, world.');
TEST(html_page, csp_hash_known_answer) {
  EXPECT_EQ(csp_hash_source("alert('Hello, world.');"), "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
}

TEST(html_page, the_policy_allows_exactly_the_inline_style_and_script) {
  for (const std::string& page : {report_html(), matrix_html()}) {
    const std::string policy = between(page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
    const std::string style = between(page, "<style>", "</style>");
    const std::string script = between(page, "<script>", "</script>");
    ASSERT_FALSE(script.empty());
    EXPECT_EQ(style, html_style_sheet());
    EXPECT_EQ(policy, "default-src 'none'; style-src " + csp_hash_source(style) + "; script-src " +
                          csp_hash_source(script) + "; base-uri 'none'; form-action 'none'");
  }
}

// The attributes of a start tag ("a href=\"#x\" class=\"y\" hidden"); values are quoted by the writers.
std::vector<std::pair<std::string, std::string>> attributes(const std::string& tag) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = tag.find_first_of(" \n");
  while (i != std::string::npos && i < tag.size()) {
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\n' || tag[i] == '/')) ++i;
    if (i >= tag.size()) break;
    const std::size_t name_end = tag.find_first_of("= \n", i);
    std::string name = tag.substr(i, name_end - i);
    std::string value;
    i = name_end;
    if (i != std::string::npos && tag[i] == '=' && i + 1 < tag.size() && tag[i + 1] == '"') {
      const std::size_t close = tag.find('"', i + 2);
      value = tag.substr(i + 2, close - i - 2);
      i = close == std::string::npos ? close : close + 1;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

// Every raw '<' in the page starts one of the page's own tags (text is escaped), none of them
// loads anything, and every link stays inside the page.
TEST(html_page, loads_nothing) {
  static const std::set<std::string> allowed{
      "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h4", "div", "span", "main",
      "p", "em", "strong", "table", "thead", "tbody", "tr", "th", "td", "code", "a", "ul", "li", "details", "summary",
      "dl", "dt", "dd", "svg", "rect", "select", "option", "input", "label", "br", "pre", "footer", "script"};
  for (const std::string& page : {report_html(), matrix_html()}) {
    std::size_t scripts = 0;
    for (auto at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
      if (page.compare(at, 2, "</") == 0) continue;
      const auto end = page.find('>', at);
      ASSERT_NE(end, std::string::npos);
      const std::string tag = page.substr(at + 1, end - at - 1);
      const std::string name = tag.substr(0, tag.find_first_of(" \n/"));
      EXPECT_EQ(allowed.count(name), 1u) << "<" << tag << ">";
      for (const auto& [attr, value] : attributes(tag)) {
        EXPECT_NE(attr, "src") << tag;
        if (attr == "href") {
          EXPECT_EQ(value.substr(0, 1), "#") << tag;
        }
      }
      if (name == "script") ++scripts;
      // Style and script content is the page's own; skip over it.
      if (name == "style" || name == "script") at = page.find("</" + name + ">", end);
    }
    EXPECT_EQ(scripts, 1u);
    EXPECT_EQ(count(page, "url("), 0u);
    EXPECT_EQ(count(page, "@import"), 0u);
  }
}

TEST(report_html, hostile_strings_are_text) {
  const std::string page = report_html();
  EXPECT_EQ(count(page, "<script>document"), 0u);
  EXPECT_EQ(count(page, "<img"), 0u);
  EXPECT_NE(count(page, "RS answers &lt;script&gt;document.documentElement.setAttribute(&#39;data-pwned&#39;,&#39;title&#39;)"
                        "&lt;/script&gt; | `DPoP` &amp; &quot;no proof&quot;"), 0u);
  EXPECT_NE(count(page, "&lt;img src=x onerror=&quot;document"), 0u);
  EXPECT_NE(count(page, "]]&gt; \xE2\x90\x81\xE2\x90\x9B[31m&#13;\nline two"), 0u);
}

TEST(report_html, every_result_is_shown_without_scripts) {
  const std::string page = report_html();
  EXPECT_EQ(count(page, "<tbody class=\"result "), 10u);
  EXPECT_EQ(count(page, "<tbody class=\"section-head\""), 7u);
  EXPECT_EQ(count(page, " hidden"), 1u) << "only the filter bar, which is useless without the script";
  EXPECT_NE(count(page, "<div id=\"_filters\" class=\"filters\" hidden>"), 0u);
  // Named: `fixture()["results"]` in the range would refer into a temporary destroyed before the
  // loop runs (C++17 [class.temporary]: only the range expression's own temporary is extended).
  const nlohmann::json doc = fixture();
  for (const auto& r : doc["results"]) {
    const std::string id = r["id"].get<std::string>();
    EXPECT_EQ(count(page, " id=\"" + id + "\" data-verdict=\"" + r["verdict"].get<std::string>() + "\""), 1u) << id;
  }
  EXPECT_EQ(count(page, "<details>"), 10u + 6u) << "one per result, one per mock event";
}

TEST(report_html, sections_and_questions_in_order) {
  const std::string page = report_html();
  std::size_t last = 0;
  for (const char* s : {"RFC 6750 3.1", "RFC 8705 3", "RFC 8705 3.1", "RFC 9449 4.3", "RFC 9449 7.1", "RFC 9449 8",
                        "coexistence"}) {
    const auto at = page.find("<tbody class=\"section-head\" data-section=\"" + std::string(s) + "\"");
    ASSERT_NE(at, std::string::npos) << s;
    EXPECT_GT(at, last) << s;
    last = at;
  }
  const std::string questions = between(page, "<h2>Open questions</h2>", "</table>");
  EXPECT_LT(questions.find(">Q1<"), questions.find(">Q2<"));
  EXPECT_LT(questions.find(">Q2<"), questions.find(">Q4<"));
}

TEST(matrix_html, hostile_target_name_is_text) {
  const std::string page = matrix_html();
  EXPECT_EQ(count(page, "<b>RS"), 0u);
  EXPECT_NE(count(page, "Gateway &lt;b&gt;RS&lt;/b&gt; &amp; &quot;co&quot; | x"), 0u);
  EXPECT_EQ(count(page, "<tr class=\"row"), 11u);
  EXPECT_EQ(count(page, "<tr class=\"row differs\""), 4u);
  EXPECT_EQ(count(page, "<td class=\"absent\""), 11u);
}

}  // namespace
}  // namespace tether::reports::test
