// matrix.html: the matrix as one self-contained page. The table needs no script; a small one
// adds a switch that keeps only the rows where implementations answered differently, which is
// where the working group's discussion is (matrix.html#differs opens the page with it on).

#include <fmt/format.h>

#include "reports/html_page.hpp"
#include "reports/html_parts.hpp"
#include "reports/matrix_writer.hpp"
#include "reports/report_view.hpp"
#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

constexpr std::string_view matrix_script = R"js(
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var all = function (sel) { return Array.prototype.slice.call(doc.querySelectorAll(sel)); };
  var rows = all("tr.row"), heads = all("tr.group-head");
  var only = doc.getElementById("_differs"), shown = doc.getElementById("_shown");
  function apply() {
    var n = 0, live = {};
    rows.forEach(function (r) {
      var ok = !only.checked || r.classList.contains("differs");
      r.hidden = !ok;
      if (ok) { n++; live[r.getAttribute("data-group")] = true; }
    });
    heads.forEach(function (h) { h.hidden = !live[h.getAttribute("data-group")]; });
    shown.textContent = n + " of " + rows.length + " scenarios shown";
    root.setAttribute("data-shown", String(n));
  }
  only.addEventListener("change", apply);
  if (window.location.hash === "#differs") only.checked = true;
  doc.getElementById("_filters").hidden = false;
  root.classList.add("js");
  root.setAttribute("data-filter-ready", String(rows.length));
  apply();
})();
)js";

std::string cell_html(const matrix_cell& c) {
  if (!c.present) return "<td class=\"absent\" title=\"not in this report\">-</td>";
  std::string tip = c.reason;
  if (!c.error_description.empty()) tip += (tip.empty() ? "" : "\n") + std::string("error_description: ") + c.error_description;
  std::string out = fmt::format("<td class=\"cell v-{}\"{}>{}", verdict_name(c.outcome),
                                tip.empty() ? "" : " title=\"" + html_text(tip) + "\"", verdict_badge(c.outcome));
  if (!c.answer.empty()) out += fmt::format("<code>{}</code>", html_text(c.answer));
  if (!c.error_description.empty()) out += fmt::format("<span class=\"desc\">{}</span>", html_text(c.error_description));
  // With no answer (skipped, or the suite could not judge) the reason is what the cell has to say.
  if (c.answer.empty() && !c.reason.empty()) out += fmt::format("<span class=\"desc\">{}</span>", html_text(c.reason));
  return out + "</td>";
}

void legend(std::string& out) {
  out += "<h2>Legend</h2>\n<dl class=\"legend\">\n";
  for (verdict v : all_verdicts) {
    out += fmt::format("<dt class=\"v-{0}\">{1}</dt><dd>{2}</dd>\n", verdict_name(v), verdict_badge(v), verdict_meaning(v));
  }
  out += "<dt><code>401 invalid_token Bearer</code></dt><dd>the HTTP status, the error code and the challenge scheme "
         "of a rejection</dd>\n"
         "<dt><code>reject (TLS)</code></dt><dd>refused during the TLS handshake</dd>\n"
         "<dt><code>accept DPoP cnf jkt</code></dt><dd>accepted; for a token response, the token type and the members "
         "of its cnf</dd>\n"
         "<dt>-</dt><dd>the scenario is not in that report</dd>\n"
         "<dt>&#8800;</dt><dd>the implementations that ran the scenario gave different verdicts or answers</dd>\n</dl>\n";
}

void column_heads(std::string& out, const matrix_view& view) {
  out += "<tr><th class=\"qcol\">Q</th><th class=\"scol\">scenario</th>";
  for (const auto* r : view.columns) {
    std::string tally;
    for (verdict v : all_verdicts) {
      if (r->summary.of(v) > 0) tally += fmt::format("{}{} {}", tally.empty() ? "" : " · ", r->summary.of(v), verdict_name(v));
    }
    out += fmt::format("<th class=\"impl\">{} <span class=\"ver\">{}</span><span class=\"date\">{}</span>"
                       "<span class=\"tally\">{}</span></th>",
                       html_text(r->target.name), html_text(r->target.version), html_text(report_date(*r)), tally);
  }
  out += "</tr>";
}

}  // namespace

std::string render_matrix_html(const std::vector<report_document>& reports) {
  const matrix_view view = build_matrix(reports);
  std::size_t differing = 0;
  for (const auto& g : view.groups) {
    for (const auto& row : g.rows) differing += row.differs ? 1 : 0;
  }
  const std::size_t width = view.columns.size() + 2;

  std::string body = "<header class=\"top\">\n<h1>Tether matrix</h1>\n";
  body += fmt::format("<div class=\"meta\"><span>{} report{}</span><span>{} scenario{}</span><span>{} answered "
                      "differently</span></div>\n</header>\n<main>\n",
                      reports.size(), reports.size() == 1 ? "" : "s", view.scenarios, view.scenarios == 1 ? "" : "s",
                      differing);
  legend(body);
  body += "<h2>Scenarios</h2>\n<div id=\"_filters\" class=\"filters\" hidden><label><input type=\"checkbox\" "
          "id=\"_differs\"> only scenarios where the implementations differ</label><span id=\"_shown\" "
          "class=\"shown\"></span></div>\n";
  body += "<table class=\"matrix\">\n<thead>";
  column_heads(body, view);
  body += "</thead>\n";
  std::size_t group_index = 0;
  for (const auto& g : view.groups) {
    const std::string gid = fmt::format("g{}", group_index++);
    body += fmt::format("<tbody class=\"section-head\"><tr class=\"group-head\" data-group=\"{}\"><th colspan=\"{}\">{}"
                        "<span class=\"count\">{} scenario{}</span></th></tr></tbody>\n<tbody>\n",
                        gid, width, html_text(g.name), g.rows.size(), g.rows.size() == 1 ? "" : "s");
    for (const auto& row : g.rows) {
      body += fmt::format("<tr class=\"row{}\" data-group=\"{}\" id=\"{}\">", row.differs ? " differs" : "", gid,
                          html_text(row.id));
      body += fmt::format("<td class=\"q\">{}</td>", html_text(row.question));
      body += fmt::format("<td class=\"id\"><a href=\"#{0}\"><code>{0}</code></a><span class=\"title\">{1}</span></td>",
                          html_text(row.id), html_text(row.title));
      for (const auto& c : row.cells) body += cell_html(c);
      body += "</tr>\n";
    }
    body += "</tbody>\n";
  }
  body += "</table>\n</main>\n";
  body += fmt::format("<footer>{} reports combined by tether · this page is self-contained and loads nothing</footer>\n",
                      report_schema_id);
  return render_html_page({"Tether matrix", "tether", body, matrix_script});
}

}  // namespace tether::reports
