#include "reports/junit_writer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "reports/report_view.hpp"
#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

std::string seconds(double ms) { return fmt::format("{:.3f}", ms / 1000.0); }

void property(std::string& out, std::string_view indent, std::string_view name, std::string_view value) {
  out += fmt::format("{}<property name=\"{}\" value=\"{}\"/>\n", indent, xml_attr(name), xml_attr(value));
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

// The text a CI reader sees under the test case: what was required, what was not met, and
// what the target answered, so that nobody has to open the HTML report to triage.
std::string details(const scenario_result& r) {
  std::string out = r.title + "\n";
  if (!r.requirement.empty()) out += fmt::format("requirement: {}\n", r.requirement);
  if (!r.question.empty()) out += fmt::format("question: {}\n", r.question);
  const auto unmet = unmet_expectations(r);
  // The reason of a fail is usually its first unmet expectation: say it once.
  if (!r.reason.empty() && std::find(unmet.begin(), unmet.end(), r.reason) == unmet.end()) {
    out += fmt::format("reason: {}\n", r.reason);
  }
  if (!unmet.empty()) {
    out += "unmet expectations:\n";
    for (const auto& line : unmet) out += fmt::format("  {}\n", line);
  }
  if (r.observed.present) {
    out += fmt::format("observed: {}\n", format_answer(r.observed));
    if (!r.observed.error_description.empty()) {
      out += fmt::format("error_description: {}\n", r.observed.error_description);
    }
    if (!r.observed.tls_error.empty()) {
      out += fmt::format("tls: {} {}\n", r.observed.tls_stage, r.observed.tls_error);
    }
  }
  return out;
}

void testcase(std::string& out, const scenario_result& r) {
  out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\">\n", xml_attr(r.section), xml_attr(r.id),
                     seconds(r.duration_ms));
  out += "      <properties>\n";
  property(out, "        ", "title", r.title);
  property(out, "        ", "refs", join(r.refs, ", "));
  property(out, "        ", "level", r.level);
  property(out, "        ", "verdict", verdict_name(r.outcome));
  if (!r.question.empty()) property(out, "        ", "question", r.question);
  out += "      </properties>\n";
  switch (r.outcome) {
    case verdict::pass:
      break;
    case verdict::fail:
      out += fmt::format("      <failure message=\"{}\" type=\"fail\">{}</failure>\n", xml_attr(r.reason),
                         xml_text(details(r)));
      break;
    case verdict::error:
      out += fmt::format("      <error message=\"{}\" type=\"error\">{}</error>\n", xml_attr(r.reason),
                         xml_text(details(r)));
      break;
    case verdict::skip:
      out += fmt::format("      <skipped message=\"{}\"/>\n", xml_attr(r.reason));
      break;
    case verdict::warn:
    case verdict::info:
      out += fmt::format("      <system-out>{}: {}\n{}</system-out>\n", verdict_name(r.outcome),
                         xml_text(verdict_meaning(r.outcome)), xml_text(details(r)));
      break;
  }
  out += "    </testcase>\n";
}

}  // namespace

std::string render_junit(const report_document& report) {
  const verdict_counts& n = report.summary;
  double total_ms = 0;
  for (const auto& r : report.results) total_ms += r.duration_ms;
  if (report.run.duration_ms) total_ms = *report.run.duration_ms;
  const std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
                                         n.total, n.of(verdict::fail), n.of(verdict::error), n.of(verdict::skip),
                                         seconds(total_ms));

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"tether\" {}>\n", counts);
  // JUnit's timestamp has no zone designator; generated_at is UTC, so its first 19 characters
  // are the same instant.
  out += fmt::format("  <testsuite name=\"{}\" {} timestamp=\"{}\">\n", xml_attr(report.target.name), counts,
                     xml_attr(report.generated_at.substr(0, 19)));
  out += "    <properties>\n";
  property(out, "      ", "schema", report_schema_id);
  property(out, "      ", "tether_version", report.tether_version);
  property(out, "      ", "generated_at", report.generated_at);
  property(out, "      ", "target.role", report.target.role);
  property(out, "      ", "target.version", report.target.version);
  if (!report.target.file.empty()) property(out, "      ", "target.file", report.target.file);
  // JUnit has no warn or info: the counts keep them visible to whoever reads the properties.
  for (verdict v : all_verdicts) {
    property(out, "      ", fmt::format("summary.{}", verdict_name(v)), std::to_string(n.of(v)));
  }
  out += "    </properties>\n";
  for (const auto& r : report.results) testcase(out, r);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace tether::reports
