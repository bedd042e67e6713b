#include "reports/matrix_writer.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "reports/report_view.hpp"
#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

struct row_source {
  const scenario_result* first = nullptr;
  std::string question;
};

matrix_row make_row(const std::string& id, const row_source& src, const std::vector<report_document>& reports) {
  matrix_row row;
  row.id = id;
  row.title = src.first->title;
  row.section = src.first->section;
  row.question = src.question;
  std::set<std::string> distinct;
  for (const auto& report : reports) {
    matrix_cell& cell = row.cells.emplace_back();
    // Results are sorted by id, so each lookup is a binary search.
    auto it = std::lower_bound(report.results.begin(), report.results.end(), id,
                               [](const scenario_result& r, const std::string& key) { return r.id < key; });
    if (it == report.results.end() || it->id != id) continue;
    cell.present = true;
    cell.outcome = it->outcome;
    cell.answer = format_answer(it->observed);
    cell.reason = it->reason;
    cell.error_description = it->observed.error_description;
    // A skip is no answer: it does not make a row "differ".
    if (cell.outcome != verdict::skip) distinct.insert(fmt::format("{}\n{}", verdict_name(cell.outcome), cell.answer));
  }
  row.differs = distinct.size() > 1;
  return row;
}

std::string md_verdict(verdict v) {
  const std::string_view name = verdict_name(v);
  return v == verdict::fail || v == verdict::error ? fmt::format("**{}**", name) : std::string(name);
}

std::string md_cell(const matrix_cell& c) {
  if (!c.present) return "-";
  if (c.answer.empty()) return md_verdict(c.outcome);
  return fmt::format("{} {}", md_verdict(c.outcome), md_code(c.answer));
}

}  // namespace

std::string column_name(const report_document& report) {
  return report.target.version.empty() ? report.target.name : report.target.name + " " + report.target.version;
}

matrix_view build_matrix(const std::vector<report_document>& reports) {
  matrix_view view;
  std::map<std::string, row_source> ids;
  for (const auto& report : reports) {
    view.columns.push_back(&report);
    for (const auto& r : report.results) {
      row_source& src = ids[r.id];
      if (src.first == nullptr) src.first = &r;
      if (src.question.empty()) src.question = r.question;
    }
  }
  view.scenarios = ids.size();

  matrix_group questions{"Open questions", true, {}};
  std::map<std::string, matrix_group, bool (*)(std::string_view, std::string_view)> sections(natural_less);
  for (const auto& [id, src] : ids) {
    matrix_row row = make_row(id, src, reports);
    if (!row.question.empty()) {
      questions.rows.push_back(std::move(row));
    } else {
      matrix_group& g = sections[row.section];
      g.name = row.section;
      g.rows.push_back(std::move(row));
    }
  }
  std::stable_sort(questions.rows.begin(), questions.rows.end(), [](const matrix_row& a, const matrix_row& b) {
    return a.question != b.question ? natural_less(a.question, b.question) : a.id < b.id;
  });
  if (!questions.rows.empty()) view.groups.push_back(std::move(questions));
  for (auto& [name, group] : sections) view.groups.push_back(std::move(group));
  return view;
}

std::string render_matrix_markdown(const std::vector<report_document>& reports) {
  const matrix_view view = build_matrix(reports);
  std::string out = "# Tether matrix\n\n";
  out += fmt::format("{} report{}, {} scenario{}: scenarios down, implementations across. Each cell is the verdict "
                     "and the answer the implementation gave; open questions come first.\n\n",
                     reports.size(), reports.size() == 1 ? "" : "s", view.scenarios, view.scenarios == 1 ? "" : "s");

  out += "## Reports\n\n| target | version | report date | tether |";
  for (verdict v : all_verdicts) out += fmt::format(" {} |", verdict_name(v));
  out += "\n| --- | --- | --- | --- |";
  for (std::size_t i = 0; i < all_verdicts.size(); ++i) out += " ---: |";
  out += "\n";
  for (const auto* r : view.columns) {
    out += fmt::format("| {} | {} | {} | {} |", md_text(r->target.name), md_text(r->target.version),
                       md_text(report_date(*r)), md_text(r->tether_version));
    for (verdict v : all_verdicts) out += fmt::format(" {} |", r->summary.of(v));
    out += "\n";
  }

  out += "\n## Legend\n\n";
  for (verdict v : all_verdicts) out += fmt::format("- {}: {}\n", md_verdict(v), verdict_meaning(v));
  out += "- `401 invalid_token Bearer`: the HTTP status, the error code and the challenge scheme of a rejection\n"
         "- `reject (TLS)`: refused during the TLS handshake\n"
         "- `accept DPoP cnf jkt`: accepted; for a token response, the token type and the members of its cnf\n"
         "- `-`: the scenario is not in that report\n"
         "- \u2260: the implementations that ran the scenario gave different verdicts or answers\n\n";

  std::string head;
  std::string rule;
  for (const auto* r : view.columns) {
    head += fmt::format(" {}<br>{} |", md_text(column_name(*r)), md_text(report_date(*r)));
    rule += " --- |";
  }
  for (const auto& g : view.groups) {
    out += fmt::format("## {}\n\n", md_text(g.name));
    out += g.questions ? "| question | scenario |" + head + "\n| --- | --- |" + rule + "\n"
                       : "| scenario |" + head + "\n| --- |" + rule + "\n";
    for (const auto& row : g.rows) {
      out += "|";
      if (g.questions) out += fmt::format(" {} |", md_text(row.question));
      out += fmt::format(" {}<br>{}{} |", md_code(row.id), md_text(row.title), row.differs ? " \u2260" : "");
      for (const auto& c : row.cells) out += fmt::format(" {} |", md_cell(c));
      out += "\n";
    }
    out += "\n";
  }
  while (out.size() > 1 && out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace tether::reports
