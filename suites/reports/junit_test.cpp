// The JUnit mapping, checked case by case: h2spec's reporter turned assertion failures into
// <error> because nothing tested it. (check_junit.py parses the same output with a real XML
// parser.)

#include <gtest/gtest.h>

#include "reports/junit_writer.hpp"
#include "reports/report_model.hpp"
#include "reports/text_escape.hpp"
#include "report_test_support.hpp"

namespace tether::reports::test {
namespace {

std::string junit_of(const nlohmann::json& doc) {
  auto model = read_report(doc);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.err().message);
  return model.ok() ? render_junit(*model) : std::string();
}

// The text of the <testcase> element whose name is `id`.
std::string testcase(const std::string& xml, const std::string& id) {
  const auto start = xml.find("name=\"" + id + "\"");
  if (start == std::string::npos) return {};
  const auto end = xml.find("</testcase>", start);
  return xml.substr(start, end - start);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(junit, each_verdict_maps_to_its_junit_outcome) {
  const std::string xml = junit_of(fixture());
  const std::string fail = testcase(xml, "rfc8705/3/rs-rejects-mismatched-cert");
  EXPECT_TRUE(has(fail, "<failure message=\"probe: outcome (MUST) expected reject, observed accept\""));
  EXPECT_FALSE(has(fail, "<error"));

  const std::string error = testcase(xml, "rfc9449/4.3/rs-rejects-stale-iat");
  EXPECT_TRUE(has(error, "<error message=\"control step 'control' expected accept, observed 500 (body: "
                         "&lt;html&gt;&lt;b&gt;Internal error&lt;/b&gt;&lt;/html&gt;)\""));
  EXPECT_FALSE(has(error, "<failure"));

  const std::string skip = testcase(xml, "rfc9449/8/rs-requires-nonce");
  EXPECT_TRUE(has(skip, "<skipped message=\"disabled by the target profile: server nonces not implemented "
                        "(tracking: ISSUE-12)\"/>"));

  for (const char* passing : {"rfc6750/3.1/rs-expired-token-status", "rfc8705/3/rs-no-client-cert-optional-mode",
                              "coexist/as-token-request-with-cert-and-proof"}) {
    const std::string tc = testcase(xml, passing);
    EXPECT_TRUE(has(tc, "<system-out>")) << passing;
    EXPECT_FALSE(has(tc, "<failure") || has(tc, "<error") || has(tc, "<skipped")) << passing;
  }
  const std::string pass = testcase(xml, "rfc9449/4.3/rs-rejects-ath-mismatch");
  EXPECT_FALSE(has(pass, "<failure") || has(pass, "<error") || has(pass, "<skipped") || has(pass, "<system-out"));
}

TEST(junit, failures_carry_the_unmet_expectations_and_the_observed_answer) {
  const std::string fail = testcase(junit_of(fixture()), "rfc8705/3/rs-rejects-mismatched-cert");
  EXPECT_TRUE(has(fail, "  probe: status (SHOULD) expected [401], observed 200\n"));
  EXPECT_TRUE(has(fail, "observed: accept\n"));
  const std::string warn = testcase(junit_of(fixture()), "rfc6750/3.1/rs-expired-token-status");
  EXPECT_TRUE(has(warn, "observed: 400 invalid_token Bearer\nerror_description: The access token expired\n"));
}

TEST(junit, counts_and_properties) {
  const std::string xml = junit_of(fixture());
  EXPECT_TRUE(has(xml, "<testsuite name=\"tether mocks\" tests=\"10\" failures=\"1\" errors=\"1\" skipped=\"1\" "
                       "time=\"4.100\" timestamp=\"2026-11-27T10:00:00\">"));
  const std::string q1 = testcase(xml, "rfc8705/3/rs-no-client-cert-optional-mode");
  EXPECT_TRUE(has(q1, "<property name=\"refs\" value=\"8705-3-RS-missing-cert\"/>"));
  EXPECT_TRUE(has(q1, "<property name=\"level\" value=\"MUST\"/>"));
  EXPECT_TRUE(has(q1, "<property name=\"verdict\" value=\"info\"/>"));
  EXPECT_TRUE(has(q1, "<property name=\"question\" value=\"Q1\"/>"));
  EXPECT_TRUE(has(xml, "<testcase classname=\"RFC 8705 3\" name=\"rfc8705/3/rs-no-client-cert-optional-mode\" "
                       "time=\"0.020\">"));
}

TEST(junit, hostile_strings_stay_text) {
  const std::string q2 = testcase(junit_of(fixture()), "rfc9449/7.1/rs-dpop-scheme-without-proof");
  EXPECT_TRUE(has(q2, "value=\"RS answers &lt;script&gt;document.documentElement.setAttribute('data-pwned','title')"
                      "&lt;/script&gt; | `DPoP` &amp; &quot;no proof&quot;\""));
  // \u0001 and ESC become U+2401 and U+241B; CR is kept as a reference.
  EXPECT_TRUE(has(q2, "]]&gt; \xE2\x90\x81\xE2\x90\x9B[31m&#13;\nline two"));
}

TEST(junit, bytes_that_are_not_utf8_give_well_formed_xml) {
  nlohmann::json doc = fixture();
  doc["target"]["name"] = "rs \xFF\xFE";
  doc["results"][5]["reason"] = "expected reject \xC0\xAF observed \x01 accept \xED\xA0\x80";
  doc["results"][5]["observed"]["error_description"] = "\xE2\x82";
  const std::string xml = junit_of(doc);
  ASSERT_FALSE(xml.empty());
  EXPECT_EQ(sanitize_utf8(xml), xml) << "not well-formed UTF-8";
  for (unsigned char c : xml) EXPECT_TRUE(c >= 0x20 || c == '\n' || c == '\t') << int(c);
  EXPECT_TRUE(has(xml, "<testsuite name=\"rs \xEF\xBF\xBD\xEF\xBF\xBD\""));
}

}  // namespace
}  // namespace tether::reports::test
