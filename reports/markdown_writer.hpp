#pragma once
// report.md, for people reading a pull request, a CI summary page or a mailing-list post: the
// counts, what needs attention, the open questions with what the target answered, then every
// result grouped by RFC section with the observed status, error and scheme. Every string from
// the report goes through md_text / md_code, so a `|` or a backtick in a server's answer cannot
// break a table.

#include <string>

#include "reports/report_model.hpp"

namespace tether::reports {

std::string render_markdown(const report_document& report);

}  // namespace tether::reports
