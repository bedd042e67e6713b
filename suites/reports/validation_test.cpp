// The reader refuses a document that does not have the documented shape, and says where: the
// error starts with the JSON pointer of the first problem. The table of broken documents is
// shared with the JSON Schema check (testdata/invalid-cases.json, check_schema.py), so the C++
// rules and reports/schema/report-v1.schema.json cannot drift apart unnoticed.

#include <gtest/gtest.h>

#include <fstream>

#include "reports/report_model.hpp"
#include "reports/report_writers.hpp"
#include "report_test_support.hpp"

namespace tether::reports::test {
namespace {

using nlohmann::json;

json mutate(const json& c) {
  json doc = fixture();
  if (c.contains("set")) {
    doc[json::json_pointer(c["set"].get<std::string>())] = c["value"];
  } else {
    const json::json_pointer p(c["remove"].get<std::string>());
    doc[p.parent_pointer()].erase(p.back());
  }
  return doc;
}

TEST(validation, the_fixtures_are_valid) {
  for (const char* name : {"report-fixture.json", "matrix-b.json", "matrix-c.json"}) {
    auto doc = read_report(load_json(name));
    EXPECT_TRUE(doc.ok()) << name << ": " << (doc.ok() ? "" : doc.err().message);
  }
}

TEST(validation, every_broken_document_is_refused_with_its_pointer) {
  const json table = load_json("invalid-cases.json");
  ASSERT_GE(table["cases"].size(), 20u);
  for (const auto& c : table["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto doc = read_report(mutate(c), "report.json");
    ASSERT_FALSE(doc.ok());
    const std::string prefix = "report.json " + c["error"].get<std::string>() + ": ";
    EXPECT_EQ(doc.err().message.rfind(prefix, 0), 0u) << doc.err().message;
    EXPECT_EQ(doc.err().code, c.value("code", std::string("report.invalid")));
  }
}

TEST(validation, messages_say_what_was_wrong) {
  json doc = fixture();
  doc["results"][0]["verdict"] = "passed";
  auto r = read_report(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().message.substr(0, r.err().message.find(" (and")),
            "report document /results/0/verdict: expected one of pass, fail, warn, info, skip, error; "
            "got a string (\"passed\")");

  doc = fixture();
  doc["summary"]["fail"] = 2;
  r = read_report(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().message, "report document /summary/fail: says 2, but /results holds 1 with verdict fail");

  doc = fixture();
  doc["results"][2]["steps"][0]["status"] = 200.5;
  r = read_report(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().message, "report document /results/2/steps/0/status: expected an integer or null, got a number (200.5)");
}

TEST(validation, further_problems_are_counted) {
  json doc = fixture();
  doc["results"][0]["verdict"] = 1;
  doc["results"][1]["level"] = "must";
  doc.erase("tether_version");
  auto r = read_report(doc);
  ASSERT_FALSE(r.ok());
  // The first in document order: the header is read before the results.
  EXPECT_EQ(r.err().message.rfind("report document /tether_version: missing (required) (and ", 0), 0u) << r.err().message;
}

TEST(validation, a_foreign_document_is_called_foreign) {
  auto r = read_report(json::array({1, 2}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, "report.schema");
  EXPECT_EQ(r.err().message, "report document /: expected a tether-report/1 document (a JSON object), got an array");
}

TEST(validation, unknown_members_are_ignored) {
  json doc = fixture();
  doc["produced_by"] = "a later runner";
  doc["results"][0]["transcript"] = "runs/r1/coexist.log";
  doc["results"][0]["steps"][0]["attempts"] = json::array();
  EXPECT_TRUE(read_report(doc).ok());
}

TEST(validation, nothing_is_written_for_an_invalid_document) {
  temp_dir dir;
  json doc = fixture();
  doc["results"][3]["refs"] = "not-a-list";
  auto st = write_reports(doc, dir / "out");
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(is_input_error(st.err()));
  EXPECT_NE(st.err().message.find("/results/3/refs"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(validation, matrix_errors_name_the_file_and_the_pointer) {
  temp_dir dir;
  json doc = load_json("matrix-b.json");
  doc["results"][4]["observed"]["status"] = "401";
  std::ofstream(dir / "broken.json") << doc.dump();
  std::ofstream(dir / "foreign.json") << R"({"schema": "tether-scenarios/1", "scenarios": []})";
  std::ofstream(dir / "truncated.json") << R"({"schema": "tether-report/1", "results": [)";
  const std::string good = testdata("report-fixture.json").string();

  auto st = write_matrix({good, dir / "broken.json"}, dir / "m");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.err().message.rfind(dir / "broken.json /results/4/observed/status: ", 0), 0u) << st.err().message;
  EXPECT_TRUE(is_input_error(st.err()));

  st = write_matrix({good, dir / "foreign.json"}, dir / "m");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.err().code, "report.schema");
  EXPECT_EQ(st.err().message, dir / "foreign.json" +
                                  " /schema: expected \"tether-report/1\", got a string (\"tether-scenarios/1\"): "
                                  "not a report this version reads");

  st = write_matrix({dir / "truncated.json"}, dir / "m");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.err().code, "report.parse");
  EXPECT_EQ(st.err().message.rfind(dir / "truncated.json: not valid JSON (", 0), 0u) << st.err().message;

  st = write_matrix({dir / "missing.json"}, dir / "m");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.err().code, "report.read");
  EXPECT_EQ(st.err().message, dir / "missing.json" + ": cannot open the file");

  EXPECT_FALSE(std::filesystem::exists(dir.path() / "m")) << "nothing written for bad input";
}

}  // namespace
}  // namespace tether::reports::test
