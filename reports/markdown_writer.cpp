#include "reports/markdown_writer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "reports/report_view.hpp"
#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

std::string verdict_cell(verdict v) {
  // fail and error are what a reader scans for; bold makes them stand out in a long table.
  const std::string_view name = verdict_name(v);
  return v == verdict::fail || v == verdict::error ? fmt::format("**{}**", name) : std::string(name);
}

std::string scenario_cell(const scenario_result& r) {
  return fmt::format("{}<br>{}", md_code(r.id), md_text(r.title));
}

std::string refs_cell(const scenario_result& r) {
  std::string out;
  for (const auto& ref : r.refs) out += (out.empty() ? "" : " ") + md_code(ref);
  return out;
}

// The observed answer, then the server's own words: error_description is recorded for every
// answer that carries one (never graded, but it is what makes a rejection diagnosable).
std::string observed_cell(const observed_answer& a) {
  if (!a.present) return {};
  std::string out = md_code(format_answer(a));
  if (!a.error_description.empty()) out += fmt::format("<br>error_description: {}", md_text(a.error_description));
  if (a.outcome == "tls_reject" && !(a.tls_stage.empty() && a.tls_error.empty())) {
    out += fmt::format("<br>TLS {}: {}", md_text(a.tls_stage), md_text(a.tls_error));
  }
  return out;
}

void header(std::string& out, const report_document& r) {
  out += fmt::format("# Tether report: {}{}\n\n", md_text(r.target.name),
                     r.target.version.empty() ? "" : " " + md_text(r.target.version));
  out += fmt::format("Generated {} by tether {}. Target roles: {}", md_text(r.generated_at),
                     md_text(r.tether_version), md_code(r.target.role, md_place::prose));
  if (!r.target.file.empty()) out += fmt::format(", profile {}", md_code(r.target.file, md_place::prose));
  out += ".";
  if (r.run.present) {
    out += fmt::format(" {} scenario{}", r.summary.total, r.summary.total == 1 ? "" : "s");
    if (r.run.duration_ms) out += fmt::format(" in {}", format_duration_ms(*r.run.duration_ms));
    if (r.run.jobs) out += fmt::format(", {} job{}", *r.run.jobs, *r.run.jobs == 1 ? "" : "s");
    if (r.run.strict) out += *r.run.strict ? ", strict (SHOULD counts as MUST)" : ", not strict";
    out += ".";
    if (!r.run.killed_processes.empty()) {
      std::int64_t total = 0;
      std::string parts;
      for (const auto& k : r.run.killed_processes) {
        total += k.count;
        parts += fmt::format("{}{} {} ({})", parts.empty() ? "" : ", ", k.count, md_code(k.name, md_place::prose),
                             md_text(k.from));
      }
      out += fmt::format(" Killed {} process{} left running: {}.", total, total == 1 ? "" : "es", parts);
    }
  }
  out += "\n\n## Summary\n\n| verdict | count | meaning |\n| --- | ---: | --- |\n";
  for (verdict v : all_verdicts) {
    const std::string name = r.summary.of(v) > 0 ? verdict_cell(v) : std::string(verdict_name(v));
    out += fmt::format("| {} | {} | {} |\n", name, r.summary.of(v), verdict_meaning(v));
  }
  out += fmt::format("| total | {} | |\n\n", r.summary.total);
}

void needs_attention(std::string& out, const report_document& r) {
  std::string body;
  for (verdict v : {verdict::fail, verdict::error, verdict::warn}) {
    for (const auto& res : r.results) {
      if (res.outcome != v) continue;
      body += fmt::format("- {} {}: {}\n", verdict_cell(v), md_code(res.id, md_place::prose), md_text(res.title));
      const auto unmet = unmet_expectations(res);
      // The reason of a fail is usually its first unmet expectation: say it once.
      if (!res.reason.empty() && std::find(unmet.begin(), unmet.end(), res.reason) == unmet.end()) {
        body += fmt::format("  - reason: {}\n", md_text(res.reason));
      }
      for (const auto& line : unmet) body += fmt::format("  - unmet: {}\n", md_text(line));
      if (res.observed.present) {
        body += fmt::format("  - observed: {}\n", md_code(format_answer(res.observed), md_place::prose));
      }
    }
  }
  if (body.empty()) return;
  out += "## Needs attention\n\n" + body + "\n";
}

void open_questions(std::string& out, const report_document& r) {
  const auto rows = question_results(r.results);
  if (rows.empty()) return;
  out += "## Open questions\n\n";
  out += "Where the RFCs leave the answer open, the verdict is at most `info` and the answer is recorded as given.\n\n";
  out += "| question | scenario | verdict | answer |\n| --- | --- | --- | --- |\n";
  for (const auto* res : rows) {
    std::string answer = observed_cell(res->observed);
    if (answer.empty() && !res->reason.empty()) answer = md_text(res->reason);
    out += fmt::format("| {} | {} | {} | {} |\n", md_text(res->question), scenario_cell(*res),
                       verdict_cell(res->outcome), answer);
  }
  out += "\n";
}

void results(std::string& out, const report_document& r) {
  out += "## Results by section\n\n";
  if (r.results.empty()) out += "No scenario ran.\n\n";
  for (const auto& [section, rows] : group_by_section(r.results)) {
    out += fmt::format("### {}\n\n", md_text(section));
    out += "| verdict | scenario | level | refs | observed | note |\n| --- | --- | --- | --- | --- | --- |\n";
    for (const auto* res : rows) {
      std::string note = md_text(res->reason);
      if (!res->question.empty() && res->reason.find(res->question) == std::string::npos) {
        note = md_text(res->question) + (note.empty() ? "" : ": " + note);
      }
      out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", verdict_cell(res->outcome), scenario_cell(*res),
                         md_text(res->level), refs_cell(*res), observed_cell(res->observed), note);
    }
    out += "\n";
  }
}

void disabled(std::string& out, const report_document& r) {
  if (r.disabled.empty()) return;
  out += "## Disabled by the target profile\n\n| pattern | reason | scenarios |\n| --- | --- | --- |\n";
  for (const auto& d : r.disabled) {
    std::string ids;
    for (const auto& id : d.ids) ids += (ids.empty() ? "" : "<br>") + md_code(id);
    out += fmt::format("| {} | {} | {} |\n", md_code(d.pattern), md_text(d.reason), ids);
  }
  out += "\n";
}

}  // namespace

std::string render_markdown(const report_document& report) {
  std::string out;
  header(out, report);
  needs_attention(out, report);
  open_questions(out, report);
  results(out, report);
  disabled(out, report);
  while (out.size() > 1 && out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace tether::reports
