#include "reports/html_writer.hpp"

#include <fmt/format.h>

#include "reports/html_page.hpp"
#include "reports/html_parts.hpp"
#include "reports/report_view.hpp"
#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

// Filters: the rows are all in the page; the script only hides some. It marks the document
// with data-filter-ready="<rows>" and keeps data-shown current, which the render test reads.
// "#only=fail,error" in the address preselects verdicts.
constexpr std::string_view filter_script = R"js(
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var all = function (sel) { return Array.prototype.slice.call(doc.querySelectorAll(sel)); };
  var rows = all("tbody.result"), heads = all("tbody.section-head");
  var boxes = all("#_filters input[name=verdict]");
  var section = doc.getElementById("_section"), search = doc.getElementById("_search");
  var shown = doc.getElementById("_shown");
  var text = rows.map(function (r) { return r.textContent.toLowerCase(); });
  function apply() {
    var on = {}, live = {}, n = 0;
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var s = section.value, q = search.value.trim().toLowerCase();
    rows.forEach(function (r, i) {
      var ok = on[r.getAttribute("data-verdict")] && (!s || r.getAttribute("data-section") === s) &&
               (!q || text[i].indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) { n++; live[r.getAttribute("data-section")] = true; }
    });
    heads.forEach(function (h) { h.hidden = !live[h.getAttribute("data-section")]; });
    shown.textContent = n + " of " + rows.length + " results shown";
    root.setAttribute("data-shown", String(n));
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  section.addEventListener("change", apply);
  search.addEventListener("input", apply);
  all(".card[data-verdict]").forEach(function (card) {
    card.addEventListener("click", function () {
      var v = card.getAttribute("data-verdict");
      var only = boxes.every(function (b) { return b.checked === (b.value === v); });
      boxes.forEach(function (b) { b.checked = only || b.value === v; });
      apply();
    });
  });
  // report.html#only=fail,error opens the page filtered: a link that can be pasted in a review.
  var m = /^#only=([a-z,]+)$/.exec(window.location.hash);
  if (m) {
    var wanted = m[1].split(",");
    boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
  }
  doc.getElementById("_filters").hidden = false;
  root.classList.add("js");
  root.setAttribute("data-filter-ready", String(rows.length));
  apply();
})();
)js";

void header(std::string& out, const report_document& r) {
  out += "<header class=\"top\">\n";
  out += fmt::format("<h1>Tether report: {}<span class=\"version\">{}</span></h1>\n", html_text(r.target.name),
                     html_text(r.target.version));
  out += fmt::format("<div class=\"meta\"><span>generated {}</span><span>tether {}</span><span>roles {}</span>",
                     html_text(r.generated_at), html_text(r.tether_version), html_text(r.target.role));
  if (!r.target.file.empty()) out += fmt::format("<span>profile {}</span>", html_text(r.target.file));
  if (r.run.duration_ms) out += fmt::format("<span>ran in {}</span>", format_duration_ms(*r.run.duration_ms));
  if (r.run.jobs) out += fmt::format("<span>{} job{}</span>", *r.run.jobs, *r.run.jobs == 1 ? "" : "s");
  if (r.run.strict && *r.run.strict) out += "<span>strict: SHOULD counts as MUST</span>";
  out += "</div>\n</header>\n";
}

void needs_attention(std::string& out, const report_document& r) {
  std::string items;
  for (verdict v : {verdict::fail, verdict::error, verdict::warn}) {
    for (const auto& res : r.results) {
      if (res.outcome != v) continue;
      items += fmt::format("<li class=\"v-{0}\"><span class=\"badge\">{0}</span><span><a href=\"#{1}\"><code>{1}</code></a> {2}"
                           "</span><span class=\"reason\">{3}</span></li>\n",
                           verdict_name(v), html_text(res.id), html_text(res.title), html_text(res.reason));
    }
  }
  if (items.empty()) return;
  out += "<h2>Needs attention</h2>\n<ul class=\"attention\">\n" + items + "</ul>\n";
}

void open_questions(std::string& out, const report_document& r) {
  const auto rows = question_results(r.results);
  if (rows.empty()) return;
  out += "<h2>Open questions</h2>\n<p class=\"lead\">Where the RFCs leave the answer open, the verdict is at most "
         "<em>info</em> and the answer is recorded as the target gave it.</p>\n";
  out += "<table>\n<thead><tr><th>question</th><th>verdict</th><th>scenario</th><th>answer</th></tr></thead>\n<tbody>\n";
  for (const auto* res : rows) {
    out += fmt::format("<tr class=\"v-{}\"><td class=\"q\"><strong>{}</strong></td><td>{}</td>{}{}</tr>\n",
                       verdict_name(res->outcome), html_text(res->question), verdict_badge(res->outcome),
                       scenario_cell(*res, false), answer_cell(res->observed));
  }
  out += "</tbody>\n</table>\n";
}

void filters(std::string& out, const report_document& r, const std::vector<section_group>& groups) {
  out += "<div id=\"_filters\" class=\"filters\" hidden>\n<span class=\"label\">verdict</span>\n";
  for (verdict v : all_verdicts) {
    out += fmt::format("<label class=\"chip v-{0}\"><input type=\"checkbox\" name=\"verdict\" value=\"{0}\" checked>"
                       "{0} <span class=\"k\">{1}</span></label>\n",
                       verdict_name(v), r.summary.of(v));
  }
  out += "<span class=\"label\">section</span>\n<select id=\"_section\"><option value=\"\">all sections</option>";
  for (const auto& [section, rows] : groups) {
    out += fmt::format("<option value=\"{0}\">{0} ({1})</option>", html_text(section), rows.size());
  }
  out += "</select>\n<input type=\"search\" id=\"_search\" placeholder=\"search id, title, answer\" "
         "aria-label=\"search\">\n<span id=\"_shown\" class=\"shown\"></span>\n</div>\n";
}

void results(std::string& out, const report_document& r) {
  const auto groups = group_by_section(r.results);
  out += fmt::format("<h2 id=\"_results\">Results</h2>\n");
  filters(out, r, groups);
  out += "<table class=\"results\">\n<thead><tr><th>verdict</th><th>scenario</th><th>level</th><th>refs</th>"
         "<th>observed</th><th>time</th></tr></thead>\n";
  for (const auto& [section, rows] : groups) {
    out += fmt::format("<tbody class=\"section-head\" data-section=\"{0}\"><tr><th colspan=\"6\">{0}"
                       "<span class=\"count\">{1} scenario{2}</span></th></tr></tbody>\n",
                       html_text(section), rows.size(), rows.size() == 1 ? "" : "s");
    for (const auto* res : rows) {
      out += fmt::format("<tbody class=\"result v-{0}\" id=\"{1}\" data-verdict=\"{0}\" data-section=\"{2}\">\n",
                         verdict_name(res->outcome), html_text(res->id), html_text(res->section));
      out += fmt::format("<tr class=\"result-row\"><td>{}</td>{}<td class=\"level\">{}</td><td class=\"refs\">",
                         verdict_badge(res->outcome), scenario_cell(*res, true), html_text(res->level));
      for (const auto& ref : res->refs) out += fmt::format("<code>{}</code>", html_text(ref));
      out += fmt::format("</td>{}<td class=\"num\">{}</td></tr>\n", answer_cell(res->observed),
                         format_duration_ms(res->duration_ms));
      out += "<tr class=\"detail-row\"><td colspan=\"6\">" + result_details(*res) + "</td></tr>\n</tbody>\n";
    }
  }
  out += "</table>\n";
}

void disabled(std::string& out, const report_document& r) {
  if (r.disabled.empty()) return;
  out += "<h2>Disabled by the target profile</h2>\n<table>\n<thead><tr><th>pattern</th><th>reason</th>"
         "<th>scenarios</th></tr></thead>\n<tbody>\n";
  for (const auto& d : r.disabled) {
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>", html_text(d.pattern), html_text(d.reason));
    for (const auto& id : d.ids) out += fmt::format("<a href=\"#{0}\"><code>{0}</code></a><br>", html_text(id));
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

}  // namespace

std::string render_html(const report_document& report) {
  std::string body;
  header(body, report);
  body += "<main>\n";
  summary_cards(body, report.summary);
  needs_attention(body, report);
  open_questions(body, report);
  results(body, report);
  disabled(body, report);
  body += "</main>\n";
  body += fmt::format("<footer>{} · generated {} by tether {} · this page is self-contained and loads nothing</footer>\n",
                      report_schema_id, html_text(report.generated_at), html_text(report.tether_version));
  const std::string title = fmt::format("Tether report: {} {}", report.target.name, report.target.version);
  const std::string generator = fmt::format("tether {}", report.tether_version);
  return render_html_page({title, generator, body, filter_script});
}

}  // namespace tether::reports
