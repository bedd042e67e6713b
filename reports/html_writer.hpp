#pragma once
// report.html: one self-contained page (inline style and script, nothing loaded) for a person
// who wants to see what happened: summary cards, the open questions, then a table of every
// result grouped by RFC section, coloured by verdict, with each scenario's steps, expectations,
// observed values and mock events in a <details> block. Filters by verdict, section and text
// are added by a small script; with scripts disabled the page still shows every result.

#include <string>

#include "reports/report_model.hpp"

namespace tether::reports {

std::string render_html(const report_document& report);

}  // namespace tether::reports
