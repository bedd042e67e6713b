// report.md and matrix.md stay valid tables whatever the server answered: every row has as
// many cell separators as its header, once escaped pipes are discounted.

#include <gtest/gtest.h>

#include <sstream>

#include "reports/markdown_writer.hpp"
#include "reports/matrix_writer.hpp"
#include "reports/report_model.hpp"
#include "report_test_support.hpp"

namespace tether::reports::test {
namespace {

std::size_t separators(const std::string& line) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;  // an escaped character, a pipe included
    } else if (line[i] == '|') {
      ++n;
    }
  }
  return n;
}

void expect_tables_intact(const std::string& markdown) {
  std::istringstream in(markdown);
  std::string line;
  std::size_t header = 0;
  int tables = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '|') {
      header = 0;
      continue;
    }
    if (header == 0) {
      header = separators(line);
      ++tables;
      continue;
    }
    EXPECT_EQ(separators(line), header) << line;
  }
  EXPECT_GT(tables, 0);
}

report_document model() {
  auto doc = read_report(fixture());
  EXPECT_TRUE(doc.ok());
  return doc.ok() ? std::move(*doc) : report_document{};
}

TEST(markdown, tables_survive_hostile_strings) {
  expect_tables_intact(render_markdown(model()));
  std::vector<report_document> reports;
  for (const char* name : {"report-fixture.json", "matrix-b.json", "matrix-c.json"}) {
    auto doc = load_report_file(testdata(name).string());
    ASSERT_TRUE(doc.ok());
    reports.push_back(std::move(*doc));
  }
  expect_tables_intact(render_matrix_markdown(reports));
}

TEST(markdown, processes_the_runner_had_to_kill_are_said_under_the_title) {
  // run.killed_processes (docs/report-format.md) is optional: absent, nothing is said.
  EXPECT_EQ(render_markdown(model()).find("Killed "), std::string::npos);
  nlohmann::json doc = fixture();
  doc["run"]["killed_processes"] = nlohmann::json::parse(
      R"([{"from":"client under test","name":"sleep","count":9,"pids":[1,2]},{"from":"orphan","name":"daemon","count":1}])");
  auto read = read_report(doc);
  ASSERT_TRUE(read.ok()) << read.err().message;
  ASSERT_EQ(read->run.killed_processes.size(), 2u);
  EXPECT_EQ(read->run.killed_processes[0].count, 9);
  EXPECT_NE(render_markdown(*read).find("Killed 10 processes left running: 9 `sleep` (client under test), 1 `daemon` (orphan)."),
            std::string::npos)
      << render_markdown(*read);
  doc["run"]["killed_processes"][0].erase("name");
  auto broken = read_report(doc);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.err().message.find("/run/killed_processes/0/name"), std::string::npos) << broken.err().message;
}

TEST(markdown, hostile_title_is_escaped_in_a_table_cell) {
  const std::string md = render_markdown(model());
  EXPECT_NE(md.find("| `rfc9449/7.1/rs-dpop-scheme-without-proof`<br>RS answers \\<script\\>document.documentElement"
                    ".setAttribute('data-pwned','title')\\</script\\> \\| \\`DPoP\\` & \"no proof\" |"),
            std::string::npos);
  // The only raw HTML is the writer's own <br>; every other '<' is escaped.
  for (auto at = md.find('<'); at != std::string::npos; at = md.find('<', at + 1)) {
    EXPECT_TRUE(md.compare(at, 4, "<br>") == 0 || (at > 0 && md[at - 1] == '\\')) << md.substr(at, 40);
  }
}

TEST(markdown, every_reject_and_info_shows_the_observed_answer) {
  const std::string md = render_markdown(model());
  EXPECT_NE(md.find("| `401 invalid_dpop_proof DPoP`<br>error_description: ath does not match the access token |"),
            std::string::npos);
  EXPECT_NE(md.find("| `reject (TLS)`<br>TLS handshake: tlsv1 alert certificate expired |"), std::string::npos);
  EXPECT_NE(md.find("| `accept DPoP cnf jkt+x5t#S256` |"), std::string::npos);
  EXPECT_NE(md.find("| `400 invalid_token Bearer`<br>error_description: The access token expired |"),
            std::string::npos);
}

TEST(markdown, sections_in_natural_order_and_questions_listed) {
  const std::string md = render_markdown(model());
  std::size_t last = 0;
  for (const char* s : {"## Open questions", "| Q1 |", "| Q2 |", "| Q4 |", "## Results by section",
                        "### RFC 6750 3.1", "### RFC 8705 3\n", "### RFC 8705 3.1", "### RFC 9449 4.3",
                        "### RFC 9449 7.1", "### RFC 9449 8", "### coexistence", "## Disabled by the target profile"}) {
    const auto at = md.find(s);
    ASSERT_NE(at, std::string::npos) << s;
    EXPECT_GT(at, last) << s;
    last = at;
  }
}

}  // namespace
}  // namespace tether::reports::test
