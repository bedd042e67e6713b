// Expectations files (runner/expectations.hpp): the loader's rules, and how results compare
// with known divergences, one case per rule of the file's contract.

#include <gtest/gtest.h>

#include "runner/expectations.hpp"
#include "runner/report_builder.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;

std::string message_at(const problem_list& p, const std::string& pointer) {
  for (const auto& x : p.items())
    if (x.pointer == pointer) return x.message;
  ADD_FAILURE() << "no problem at " << pointer << "; problems:\n" << p.to_text();
  return "";
}

expectation_set parse(const json& doc, problem_list& p) { return read_expectations(doc, "exp.json", p); }

TEST(Expectations, FileRules) {
  problem_list p;
  expectation_set s = parse(json::parse(R"J({
    "schema": "tether-expectations/1", "target": "x 1.0",
    "expectations": {
      "a/b": { "verdict": "warn", "reason": "returns 400 where 401 is due" },
      "a/c": { "verdict": ["fail", "error"], "reason": "flaky on CI" }
    } })J"), p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  ASSERT_EQ(s.by_id.size(), 2u);
  EXPECT_EQ(s.by_id["a/c"].verdicts, (std::vector<std::string>{"fail", "error"}));
  EXPECT_EQ(s.target, "x 1.0");
}

TEST(Expectations, EveryProblemIsNamedByPointer) {
  problem_list p;
  (void)parse(json::parse(R"J({
    "schema": "tether-expectations/1",
    "expectations": {
      "a/b": { "verdict": "passed", "reason": "x" },
      "a/c": { "verdict": "warn" },
      "a/d": { "verdict": "warn", "reason": "", "because": "typo" },
      "a/e": { "verdict": [], "reason": "x" }
    } })J"), p);
  EXPECT_NE(message_at(p, "/expectations/a~1b/verdict").find("one of pass"), std::string::npos);
  EXPECT_NE(message_at(p, "/expectations/a~1c").find("missing required member \"reason\""), std::string::npos);
  EXPECT_NE(message_at(p, "/expectations/a~1d/reason").find("non-empty"), std::string::npos);
  EXPECT_NE(message_at(p, "/expectations/a~1d/because").find("unknown field"), std::string::npos);
  EXPECT_NE(message_at(p, "/expectations/a~1e/verdict").find("non-empty"), std::string::npos);
}

TEST(Expectations, ForeignSchemaIsRefused) {
  problem_list p;
  (void)parse(json{{"schema", "tether-target/1"}, {"expectations", json::object()}}, p);
  EXPECT_NE(message_at(p, "/schema").find("tether-expectations/1"), std::string::npos);
}

struct results_fixture {
  std::vector<scenario> scenarios;
  std::vector<scenario_result> results;
  explicit results_fixture(const std::vector<std::pair<std::string, std::string>>& id_verdicts) {
    scenarios.reserve(id_verdicts.size());
    for (const auto& [id, v] : id_verdicts) {
      scenario sc;
      sc.id = id;
      scenarios.push_back(sc);
    }
    for (std::size_t i = 0; i < id_verdicts.size(); ++i) {
      scenario_result r;
      r.sc = &scenarios[i];
      r.verdict = id_verdicts[i].second;
      r.reason = r.verdict == "pass" ? "" : "because";
      results.push_back(r);
    }
  }
};

expectation_set set_of(const std::map<std::string, std::vector<std::string>>& entries) {
  expectation_set s;
  s.file = "exp.json";
  for (const auto& [id, v] : entries) s.by_id[id] = {v, "known: " + id, nullptr};
  return s;
}

expectation_match match_of(const expectations_outcome& o, const std::string& id) {
  auto it = o.by_id.find(id);
  return it == o.by_id.end() ? expectation_match::none : it->second.match;
}

TEST(Expectations, ExpectedDivergencesAndPassesAreFine) {
  results_fixture f({{"a", "pass"}, {"b", "warn"}, {"c", "fail"}, {"d", "info"}, {"e", "skip"}, {"g", "error"}});
  expectation_set s = set_of({{"b", {"warn"}}, {"c", {"fail"}}, {"g", {"fail", "error"}}});
  expectations_outcome o = compare_with_expectations(f.results, s, {"a", "b", "c", "d", "e", "g"});
  EXPECT_TRUE(o.ok()) << (o.problems.empty() ? "" : o.problems[0].message);
  EXPECT_EQ(o.expected, 3);
  EXPECT_EQ(match_of(o, "b"), expectation_match::expected);
  EXPECT_EQ(match_of(o, "a"), expectation_match::none);
}

TEST(Expectations, EveryChangeIsNamed) {
  results_fixture f({{"new-fail", "fail"}, {"new-warn", "warn"}, {"worse", "fail"}, {"fixed", "pass"},
                     {"now-skipped", "skip"}});
  expectation_set s = set_of({{"worse", {"warn"}}, {"fixed", {"warn"}}, {"now-skipped", {"fail"}},
                              {"not-selected", {"warn"}}, {"no-such-id", {"fail"}}});
  expectations_outcome o = compare_with_expectations(f.results, s,
                                                     {"new-fail", "new-warn", "worse", "fixed", "now-skipped", "not-selected"});
  EXPECT_FALSE(o.ok());
  EXPECT_EQ(match_of(o, "new-fail"), expectation_match::unexpected);
  EXPECT_EQ(match_of(o, "new-warn"), expectation_match::unexpected);
  EXPECT_EQ(match_of(o, "worse"), expectation_match::changed);
  EXPECT_EQ(match_of(o, "fixed"), expectation_match::stale);
  EXPECT_EQ(match_of(o, "now-skipped"), expectation_match::stale);
  std::map<std::string, std::string> messages;
  for (const auto& p : o.problems) messages[p.id] = p.message;
  EXPECT_EQ(messages.size(), 6u);  // not-selected is not judged: --only left it out
  EXPECT_FALSE(messages.count("not-selected"));
  EXPECT_NE(messages["fixed"].find("no longer happens"), std::string::npos) << messages["fixed"];
  EXPECT_NE(messages["worse"].find("expected warn (known: worse), now fail"), std::string::npos) << messages["worse"];
  EXPECT_NE(messages["no-such-id"].find("no scenario has this ID"), std::string::npos) << messages["no-such-id"];
}

TEST(Expectations, ObservedPinsOnlyStableMembers) {
  problem_list p;
  expectation_set s = parse(json::parse(R"J({
    "schema": "tether-expectations/1",
    "expectations": {
      "a/b": { "verdict": "info", "reason": "x", "observed": { "status": 400, "error": "invalid_grant" } },
      "a/c": { "verdict": "info", "reason": "x", "observed": { "error_description": "grant request is invalid" } },
      "a/d": { "verdict": "info", "reason": "x", "observed": { "status": [400] } }
    } })J"), p);
  EXPECT_EQ(s.by_id["a/b"].observed["error"], "invalid_grant");
  EXPECT_NE(message_at(p, "/expectations/a~1c/observed/error_description").find("unknown member"), std::string::npos);
  EXPECT_NE(message_at(p, "/expectations/a~1d/observed/status").find("a string, an integer or null"), std::string::npos);
  EXPECT_EQ(p.size(), 2u) << p.to_text();
}

// An info result records an answer the RFCs leave open; pinning it makes a change of that
// answer a change of the run, as a moved verdict is.
TEST(Expectations, AnInfoAnswerThatMovesIsAChange) {
  step probe_step;
  probe_step.kind = step_kind::probe;
  auto answered = [&](int status, const char* error) {
    step_record rec;
    rec.st = &probe_step;
    rec.observation = {{"summary", {{"outcome", "reject"}, {"status", status}, {"error", error}}}};
    return rec;
  };
  results_fixture f({{"same", "info"}, {"moved", "info"}});
  f.results[0].steps.push_back(answered(400, "invalid_grant"));
  f.results[1].steps.push_back(answered(400, "invalid_request"));
  expectation_set s = set_of({{"same", {"info"}}, {"moved", {"info"}}});
  for (auto& [id, e] : s.by_id) e.observed = {{"status", 400}, {"error", "invalid_grant"}};
  expectations_outcome o = compare_with_expectations(f.results, s, {"same", "moved"});
  EXPECT_EQ(match_of(o, "same"), expectation_match::expected);
  EXPECT_EQ(match_of(o, "moved"), expectation_match::changed);
  ASSERT_EQ(o.problems.size(), 1u);
  EXPECT_NE(o.problems[0].message.find("error \"invalid_request\" instead of \"invalid_grant\""), std::string::npos)
      << o.problems[0].message;
}

TEST(Expectations, TheReportSaysWhichResultsWereExpected) {
  results_fixture f({{"b", "warn"}, {"c", "fail"}});
  for (auto& sc : f.scenarios) {
    sc.title = "t";
    sc.spec = "RFC 9449";
    sc.section = "7";
  }
  expectation_set s = set_of({{"b", {"warn"}}});
  expectations_outcome o = compare_with_expectations(f.results, s, {"b", "c"});
  target t;
  t.name = "x";
  run_totals totals;
  totals.results = f.results;
  report_inputs in;
  in.tgt = &t;
  in.expectations = &o;
  in.generated_at = "2026-01-01T00:00:00Z";
  json doc = build_report(totals, in);
  EXPECT_EQ(doc["expectations"]["expected"], 1);
  EXPECT_EQ(doc["expectations"]["ok"], false);
  ASSERT_EQ(doc["expectations"]["problems"].size(), 1u);
  EXPECT_EQ(doc["expectations"]["problems"][0]["id"], "c");
  EXPECT_EQ(doc["results"][0]["expectation"]["match"], "expected");
  EXPECT_EQ(doc["results"][0]["expectation"]["reason"], "known: b");
  // Every format prints the reason, so the expectation is said there.
  EXPECT_NE(doc["results"][0]["reason"].get<std::string>().find("[expected: known: b]"), std::string::npos);
  EXPECT_NE(doc["results"][1]["reason"].get<std::string>().find("UNEXPECTED"), std::string::npos);
}

}  // namespace
}  // namespace tether::runner
