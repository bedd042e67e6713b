// The matrix model: questions first, sections in natural order, "-" for a scenario a report
// does not have, and rows marked where the implementations that ran a scenario disagree.

#include <gtest/gtest.h>

#include "reports/matrix_writer.hpp"
#include "reports/report_model.hpp"
#include "reports/report_view.hpp"
#include "report_test_support.hpp"

namespace tether::reports::test {
namespace {

std::vector<report_document> three_reports() {
  std::vector<report_document> out;
  for (const char* name : {"report-fixture.json", "matrix-b.json", "matrix-c.json"}) {
    auto doc = load_report_file(testdata(name).string());
    EXPECT_TRUE(doc.ok());
    if (doc.ok()) out.push_back(std::move(*doc));
  }
  return out;
}

const matrix_row* find_row(const matrix_view& view, const std::string& id) {
  for (const auto& g : view.groups) {
    for (const auto& r : g.rows) {
      if (r.id == id) return &r;
    }
  }
  return nullptr;
}

TEST(matrix, groups_questions_first_then_sections) {
  const auto reports = three_reports();
  const matrix_view view = build_matrix(reports);
  EXPECT_EQ(view.columns.size(), 3u);
  EXPECT_EQ(view.scenarios, 11u);
  std::vector<std::string> names;
  for (const auto& g : view.groups) names.push_back(g.name);
  // RFC 9449 7.1 and coexistence hold only question scenarios, which moved to the top.
  EXPECT_EQ(names, (std::vector<std::string>{"Open questions", "RFC 6750 3.1", "RFC 8705 3", "RFC 8705 3.1",
                                             "RFC 9449 4.3", "RFC 9449 8"}));
  std::vector<std::string> questions;
  for (const auto& r : view.groups[0].rows) questions.push_back(r.question);
  EXPECT_EQ(questions, (std::vector<std::string>{"Q1", "Q2", "Q4"}));
}

TEST(matrix, cells_hold_verdict_and_answer_or_nothing) {
  const auto reports = three_reports();
  const matrix_view view = build_matrix(reports);
  const matrix_row* q1 = find_row(view, "rfc8705/3/rs-no-client-cert-optional-mode");
  ASSERT_NE(q1, nullptr);
  EXPECT_EQ(q1->cells[0].answer, "401 invalid_token Bearer");
  EXPECT_EQ(q1->cells[1].answer, "400 invalid_request Bearer");
  EXPECT_EQ(q1->cells[2].answer, "reject (TLS)");
  EXPECT_TRUE(q1->differs);

  const matrix_row* htu = find_row(view, "rfc9449/4.3/rs-rejects-htu-mismatch");
  ASSERT_NE(htu, nullptr);
  EXPECT_FALSE(htu->cells[0].present);
  EXPECT_FALSE(htu->cells[1].present);
  EXPECT_EQ(htu->cells[2].answer, "401 invalid_dpop_proof DPoP+Bearer");
  EXPECT_FALSE(htu->differs);

  const matrix_row* q4 = find_row(view, "coexist/as-token-request-with-cert-and-proof");
  ASSERT_NE(q4, nullptr);
  EXPECT_EQ(q4->cells[1].outcome, verdict::skip);
  EXPECT_FALSE(q4->differs) << "a skip is no answer";

  const matrix_row* tls = find_row(view, "rfc8705/3/rs-expired-client-cert");
  ASSERT_NE(tls, nullptr);
  EXPECT_FALSE(tls->differs) << "same answer, one report without it";
}

TEST(matrix, markdown_shows_absent_scenarios_as_a_dash) {
  const std::string md = render_matrix_markdown(three_reports());
  EXPECT_NE(md.find("| `rfc9449/4.3/rs-rejects-htu-mismatch`<br>RS rejects a proof whose htu names another resource"
                    " | - | - | pass `401 invalid_dpop_proof DPoP+Bearer` |"),
            std::string::npos);
  EXPECT_NE(md.find(" Gateway \\<b\\>RS\\</b\\> & \"co\" \\| x \\`9\\`<br>2026-11-25 |"), std::string::npos);
}

TEST(matrix, one_report_is_a_matrix_too) {
  auto doc = load_report_file(testdata("matrix-b.json").string());
  ASSERT_TRUE(doc.ok());
  const std::vector<report_document> one{std::move(*doc)};
  const matrix_view view = build_matrix(one);
  EXPECT_EQ(view.scenarios, 8u);
  for (const auto& g : view.groups) {
    for (const auto& r : g.rows) EXPECT_FALSE(r.differs) << r.id;
  }
}

TEST(report_view, answers_read_as_the_matrix_shows_them) {
  observed_answer a;
  a.present = true;
  a.outcome = "reject";
  a.status = 401;
  a.error = "invalid_token";
  a.scheme = "Bearer";
  EXPECT_EQ(format_answer(a), "401 invalid_token Bearer");
  a.error.clear();
  EXPECT_EQ(format_answer(a), "401 Bearer");
  a.outcome = "tls_reject";
  EXPECT_EQ(format_answer(a), "reject (TLS)");
  a = observed_answer{};
  a.present = true;
  a.outcome = "accept";
  a.status = 200;
  EXPECT_EQ(format_answer(a), "accept");
  a.token_type = "DPoP";
  a.cnf = {"jkt"};
  EXPECT_EQ(format_answer(a), "accept DPoP cnf jkt");
  a = observed_answer{};
  a.present = true;
  a.outcome = "unexpected";
  a.status = 500;
  EXPECT_EQ(format_answer(a), "unexpected 500");
  a.outcome = "timeout";
  EXPECT_EQ(format_answer(a), "timeout");
  EXPECT_EQ(format_answer(observed_answer{}), "");
}

TEST(report_view, natural_order_reads_numbers_as_numbers) {
  EXPECT_TRUE(natural_less("RFC 9449 4.3", "RFC 9449 4.10"));
  EXPECT_FALSE(natural_less("RFC 9449 4.10", "RFC 9449 4.3"));
  EXPECT_TRUE(natural_less("RFC 8705 3", "RFC 8705 3.1"));
  EXPECT_TRUE(natural_less("Q2", "Q10"));
  EXPECT_TRUE(natural_less("RFC 9449 8", "coexistence"));
  // Equal as numbers but different text: still ordered, never "equal" (a strict weak order).
  EXPECT_NE(natural_less("a01", "a1"), natural_less("a1", "a01"));
  EXPECT_FALSE(natural_less("a1", "a1"));
}

}  // namespace
}  // namespace tether::reports::test
