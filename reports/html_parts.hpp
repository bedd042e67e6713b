#pragma once
// Pieces of HTML that report.html and matrix.html share. Each returns escaped HTML: every
// string that comes from a report passes through html_text.

#include <string>

#include "reports/report_model.hpp"

namespace tether::reports {

// <span class="badge">fail</span>, coloured by the enclosing .v-<verdict> class.
std::string verdict_badge(verdict v);

// <td class="id">: the id (linked to its row), the title, and for a verdict other than pass
// the reason when `show_reason`.
std::string scenario_cell(const scenario_result& r, bool show_reason);

// <td class="answer">: the observed answer, the server's error_description, a TLS failure.
std::string answer_cell(const observed_answer& a);

// The <details> block under a result: requirement, flags, and every step with its
// expectations, observed values and mock events.
std::string result_details(const scenario_result& r);

// Summary cards (a total and one per verdict) and a bar of the proportions.
void summary_cards(std::string& out, const verdict_counts& counts);

}  // namespace tether::reports
