// The report.json document: shape of docs/report-format.md, sorted results, counts, no secrets;
// and that the report writers accept it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "reports/report_writers.hpp"
#include "runner/event_reader.hpp"
#include "runner/observation_summary.hpp"
#include "runner/progress.hpp"
#include "runner/report_builder.hpp"
#include "runner/scenario_loader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;

struct fixture {
  scenario_file file;
  target tgt;
  run_totals totals;

  fixture() {
    json doc = {{"schema", "tether-scenarios/1"}, {"spec", "RFC 9449"}, {"section", "4.3"}, {"title", "t"},
                {"scenarios", {{{"id", "b/second"}, {"title", "B"}, {"role", "rs"}, {"refs", {"9449-4.3-12a-ath"}},
                                {"level", "MUST"}, {"requirement", "r"},
                                {"steps", {{{"name", "probe"}, {"action", "resource"},
                                            {"expect", {{"outcome", "either"}, {"status", {401}}}}}}}},
                               {{"id", "a/first"}, {"title", "A"}, {"role", "as"}, {"refs", {"x"}}, {"level", "SHOULD"},
                                {"requirement", "r"}, {"question", "Q3"},
                                {"steps", {{{"name", "tok"}, {"action", "token"}, {"client", "secret-basic"},
                                            {"expect", {{"outcome", "accept"}}}}}}}}}};
    problem_list p;
    file = read_scenario_file(doc, "scenarios/x.json", knob_catalog(), p);
    EXPECT_TRUE(p.empty()) << p.to_text();
    tgt.name = "tether mocks";
    tgt.version = "builtin";
    tgt.roles = {role::as, role::rs};
    tgt.path = "targets/builtin.json";
    tgt.disabled = {{"c/*", "not implemented"}};

    scenario_result b;
    b.sc = &file.scenarios[0];
    b.verdict = "pass";
    b.duration_ms = 12.34;
    step_record probe;
    probe.st = &file.scenarios[0].steps[0];
    probe.observation = {
        {"request", {{"method", "GET"}, {"url", "https://127.0.0.1:1/resource"},
                     {"headers", {{"Authorization", "Basic c2VjcmV0"}}}}},
        {"tls", {{"ok", true}, {"stage", ""}, {"error", ""}, {"handshake_ms", 2.5}}},
        {"response", {{"status", 401},
                      {"challenges", {{{"scheme", "DPoP"}, {"params", {{"error", "invalid_dpop_proof"}, {"algs", "ES256"}}}}}}}}};
    probe.observation["summary"] = summarize_observation(probe.observation);
    probe.observation["events"] = group_events({{{"server", "rs"}, {"endpoint", "resource"}, {"reason", "ath mismatch"},
                                                 {"client_secret", "s3cret"}}}, "");
    probe.expectations.push_back({"outcome", level::must, "reject", "reject", true, false, false, "", ""});
    b.steps.push_back(probe);
    b.tls_handshake_ms = 2.5;

    scenario_result a;
    a.sc = &file.scenarios[1];
    a.verdict = "info";
    a.reason = "question Q3: observed 200";
    scenario_result c = a;
    c.verdict = "skip";
    c.reason = "disabled by the target (c/*): not implemented";
    c.disabled_pattern = "c/*";
    totals.results = {a, b};  // as run_plan sorts them
    totals.duration_ms = 100;
    totals.tls_handshake_ms = 2.5;
  }
};

TEST(ReportBuilder, ShapeOfReportFormat) {
  fixture f;
  report_inputs in;
  in.tgt = &f.tgt;
  in.jobs = 2;
  in.generated_at = "2026-11-27T10:00:00Z";
  json r = build_report(f.totals, in);
  EXPECT_EQ(r["schema"], "tether-report/1");
  EXPECT_EQ(r["target"], json({{"name", "tether mocks"}, {"role", "as,rs"}, {"version", "builtin"}, {"file", "targets/builtin.json"}}));
  EXPECT_EQ(r["summary"], json({{"total", 2}, {"pass", 1}, {"fail", 0}, {"warn", 0}, {"info", 1}, {"skip", 0}, {"error", 0}}));
  EXPECT_EQ(r["run"]["jobs"], 2);
  EXPECT_EQ(r["run"]["tls_handshake_ms"], 2.5);
  ASSERT_EQ(r["results"].size(), 2u);
  EXPECT_EQ(r["results"][0]["id"], "a/first");
  EXPECT_EQ(r["results"][0]["question"], "Q3");
  const json& b = r["results"][1];
  EXPECT_EQ(b["section"], "RFC 9449 4.3");
  EXPECT_EQ(b["role"], "rs");
  EXPECT_EQ(b["duration_ms"], 12.3);
  EXPECT_EQ(b["observed"]["status"], 401);
  EXPECT_EQ(b["observed"]["error"], "invalid_dpop_proof");
  EXPECT_EQ(b["observed"]["scheme"], "DPoP");
  const json& step = b["steps"][0];
  EXPECT_EQ(step["name"], "probe");
  EXPECT_EQ(step["kind"], "probe");
  EXPECT_EQ(step["outcome"], "reject");
  EXPECT_EQ(step["www_authenticate"]["scheme"], "DPoP");
  EXPECT_EQ(step["www_authenticate"]["error"], "invalid_dpop_proof");
  EXPECT_EQ(step["www_authenticate"]["algs"], "ES256");
  EXPECT_EQ(step["expectations"][0]["what"], "outcome");
  EXPECT_EQ(step["events"][0]["reason"], "ath mismatch");
  EXPECT_EQ(step["events"][0]["server"], "rs");
}

TEST(ReportBuilder, NoSecrets) {
  fixture f;
  report_inputs in;
  in.tgt = &f.tgt;
  std::string text = build_report(f.totals, in).dump();
  EXPECT_EQ(text.find("s3cret"), std::string::npos);
  EXPECT_EQ(text.find("c2VjcmV0"), std::string::npos);
  EXPECT_EQ(scrub_secrets(json{{"kty", "EC"}, {"d", "private"}, {"x", "public"}}), json({{"kty", "EC"}, {"x", "public"}}));
  EXPECT_EQ(scrub_secrets(json("grant_type=x&client_secret=abc&scope=y")), "grant_type=x&client_secret=(redacted)&scope=y");
}

TEST(ReportBuilder, DisabledListsIdsByPattern) {
  fixture f;
  scenario_result c = f.totals.results[0];
  c.verdict = "skip";
  c.disabled_pattern = "c/*";
  f.totals.results.push_back(c);
  report_inputs in;
  in.tgt = &f.tgt;
  json r = build_report(f.totals, in);
  ASSERT_EQ(r["disabled"].size(), 1u);
  EXPECT_EQ(r["disabled"][0]["pattern"], "c/*");
  EXPECT_EQ(r["disabled"][0]["reason"], "not implemented");
  EXPECT_EQ(r["disabled"][0]["ids"], json({"a/first"}));
}

TEST(ReportBuilder, TheReportWritersAcceptTheDocument) {
  fixture f;
  f.tgt.disabled.clear();
  report_inputs in;
  in.tgt = &f.tgt;
  auto dir = std::filesystem::temp_directory_path() / ("tether-report-" + std::to_string(::getpid()));
  json doc = build_report(f.totals, in);
  if (const char* dump = std::getenv("TETHER_DUMP_REPORT")) std::ofstream(dump) << doc.dump(2);
  status s = reports::write_reports(doc, dir.string());
  EXPECT_TRUE(s.ok()) << s.err().message;
  for (const char* name : {"report.json", "junit.xml", "report.md", "report.html"})
    EXPECT_TRUE(std::filesystem::exists(dir / name)) << name;
  std::filesystem::remove_all(dir);
}

TEST(Progress, SummaryLine) {
  fixture f;
  EXPECT_EQ(summary_line(f.totals.results, 4100),
            "2 scenarios: 1 pass, 0 warn, 1 info, 0 skip, 0 fail, 0 error in 4.1 s (0.5 scenarios/s)");
}

}  // namespace
}  // namespace tether::runner
