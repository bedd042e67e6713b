#pragma once
// The matrix: several reports side by side, scenarios down and implementations across, each
// cell the verdict and the observed answer ("401 invalid_token Bearer"). This is the table the
// working group cites when it argues about what the RFCs should say, so the open questions
// (Q1..Qn) come first, and rows where the implementations answered differently are marked.

#include <string>
#include <vector>

#include "reports/report_model.hpp"

namespace tether::reports {

struct matrix_cell {
  bool present = false;  // false: the scenario is not in this report ("-")
  verdict outcome = verdict::pass;
  std::string answer;
  std::string reason;
  std::string error_description;
};

struct matrix_row {
  std::string id;
  std::string title;
  std::string section;
  std::string question;
  std::vector<matrix_cell> cells;  // one per report, in argument order
  bool differs = false;            // the reports that ran it (not skipped) gave different verdicts or answers
};

struct matrix_group {
  std::string name;  // "Open questions" or a section
  bool questions = false;
  std::vector<matrix_row> rows;
};

struct matrix_view {
  std::vector<const report_document*> columns;
  std::vector<matrix_group> groups;
  std::size_t scenarios = 0;
};

// Rows take their title and section from the first report (in argument order) that has the id.
matrix_view build_matrix(const std::vector<report_document>& reports);

// "<name> <version>" as a column is headed.
std::string column_name(const report_document& report);

std::string render_matrix_markdown(const std::vector<report_document>& reports);
std::string render_matrix_html(const std::vector<report_document>& reports);

}  // namespace tether::reports
