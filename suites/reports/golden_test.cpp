// Each writer's output for the hand-written fixtures, byte for byte. The golden files were
// reviewed by eye against the fixture (testdata/README.md says what to look for); any change
// in the output shows up here as a diff to review.

#include <gtest/gtest.h>

#include "reports/html_writer.hpp"
#include "reports/junit_writer.hpp"
#include "reports/markdown_writer.hpp"
#include "reports/matrix_writer.hpp"
#include "reports/report_model.hpp"
#include "reports/report_writers.hpp"
#include "report_test_support.hpp"

namespace tether::reports::test {
namespace {

report_document model() {
  auto doc = read_report(fixture());
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.err().message);
  return doc.ok() ? std::move(*doc) : report_document{};
}

std::vector<report_document> matrix_inputs() {
  std::vector<report_document> out;
  for (const char* name : {"report-fixture.json", "matrix-b.json", "matrix-c.json"}) {
    auto doc = load_report_file(testdata(name).string());
    EXPECT_TRUE(doc.ok()) << name << ": " << (doc.ok() ? "" : doc.err().message);
    if (doc.ok()) out.push_back(std::move(*doc));
  }
  return out;
}

TEST(golden, junit_xml) { expect_golden("junit.xml", render_junit(model())); }
TEST(golden, report_md) { expect_golden("report.md", render_markdown(model())); }
TEST(golden, report_html) { expect_golden("report.html", render_html(model())); }
TEST(golden, matrix_md) { expect_golden("matrix.md", render_matrix_markdown(matrix_inputs())); }
TEST(golden, matrix_html) { expect_golden("matrix.html", render_matrix_html(matrix_inputs())); }

// report.json is the runner's document written back unchanged (keys in nlohmann's order).
TEST(golden, report_json) {
  temp_dir dir;
  ASSERT_TRUE(write_reports(fixture(), dir.path().string()).ok());
  expect_golden("report.json", read_file(dir / "report.json"));
}

// Through the public API the files are the goldens too, and writing twice gives the same bytes:
// nothing depends on the clock, the directory or the order of a hash table.
TEST(golden, write_reports_is_deterministic_and_matches_the_goldens) {
  temp_dir dir;
  ASSERT_TRUE(write_reports(fixture(), dir / "a").ok());
  ASSERT_TRUE(write_reports(fixture(), dir / "b").ok());
  for (const char* name : {"report.json", "junit.xml", "report.md", "report.html"}) {
    const std::string a = read_file(dir.path() / "a" / name);
    EXPECT_TRUE(a == read_file(dir.path() / "b" / name)) << name << " differs between two runs";
    EXPECT_TRUE(a == read_file(testdata(std::string(name) + ".golden"))) << name << " differs from its golden file";
  }
}

TEST(golden, write_matrix_is_deterministic_and_matches_the_goldens) {
  temp_dir dir;
  const std::vector<std::string> files{testdata("report-fixture.json").string(), testdata("matrix-b.json").string(),
                                       testdata("matrix-c.json").string()};
  ASSERT_TRUE(write_matrix(files, dir / "a").ok());
  ASSERT_TRUE(write_matrix(files, dir / "b").ok());
  for (const char* name : {"matrix.md", "matrix.html"}) {
    const std::string a = read_file(dir.path() / "a" / name);
    EXPECT_TRUE(a == read_file(dir.path() / "b" / name)) << name << " differs between two runs";
    EXPECT_TRUE(a == read_file(testdata(std::string(name) + ".golden"))) << name << " differs from its golden file";
  }
}

// The order of results in the input does not matter: the document says they are sorted by id,
// and the writers sort again rather than trust it.
TEST(golden, result_order_in_the_input_does_not_change_the_output) {
  nlohmann::json doc = fixture();
  auto& results = doc["results"];
  std::reverse(results.begin(), results.end());
  auto shuffled = read_report(doc);
  ASSERT_TRUE(shuffled.ok()) << shuffled.err().message;
  EXPECT_TRUE(render_markdown(*shuffled) == render_markdown(model()));
  EXPECT_TRUE(render_html(*shuffled) == render_html(model()));
  EXPECT_TRUE(render_junit(*shuffled) == render_junit(model()));
}

// A run where every scenario was filtered out still gives four readable files.
TEST(golden, an_empty_run_still_gives_four_files) {
  temp_dir dir;
  nlohmann::json doc = fixture();
  doc["results"] = nlohmann::json::array();
  doc["disabled"] = nlohmann::json::array();
  for (auto& [key, value] : doc["summary"].items()) value = 0;
  ASSERT_TRUE(write_reports(doc, dir.path().string()).ok());
  EXPECT_NE(read_file(dir / "junit.xml").find("tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\""),
            std::string::npos);
  EXPECT_NE(read_file(dir / "report.md").find("No scenario ran."), std::string::npos);
  EXPECT_NE(read_file(dir / "report.html").find("<h2 id=\"_results\">Results</h2>"), std::string::npos);
}

}  // namespace
}  // namespace tether::reports::test
