#include "reports/html_parts.hpp"

#include <fmt/format.h>

#include "reports/report_view.hpp"
#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

std::string value_html(const nlohmann::json& v) {
  if (v.is_null()) return "<span class=\"desc\">none</span>";
  return fmt::format("<code>{}</code>", html_text(format_value(v)));
}

std::string expectations_table(const step_record& s) {
  if (s.expectations.empty()) return {};
  std::string out = "<table><thead><tr><th></th><th>expectation</th><th>level</th><th>expected</th><th>observed</th>"
                    "</tr></thead><tbody>\n";
  for (const auto& e : s.expectations) {
    out += fmt::format("<tr{}><td>{}</td><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>\n",
                       e.met ? "" : " class=\"unmet-row\"",
                       e.met ? "<span class=\"met\" title=\"met\">&#10003;</span>"
                             : "<span class=\"unmet\" title=\"not met\">&#10007;</span>",
                       html_text(e.what), e.says.empty() ? "" : "<span class=\"desc\">" + html_text(e.says) + "</span>",
                       html_text(e.level), value_html(e.expected), value_html(e.observed),
                       e.mapped ? " <span class=\"desc\">(error name mapped by the target profile)</span>" : "");
  }
  return out + "</tbody></table>\n";
}

std::string events_list(const step_record& s) {
  if (s.events.empty()) return {};
  std::string out = "<ul class=\"events\">\n";
  for (const auto& e : s.events) {
    out += fmt::format("<li><span class=\"srv\">{}</span> {}", html_text(e.server), html_text(e.endpoint));
    if (e.status) out += fmt::format(" &rarr; <code>{}{}</code>", *e.status, e.error.empty() ? "" : " " + html_text(e.error));
    if (!e.reason.empty()) out += fmt::format(": {}", html_text(e.reason));
    for (const auto& k : e.knobs) out += fmt::format("<span class=\"knob\" title=\"mock knob\">{}</span>", html_text(k));
    out += fmt::format("<details><summary>event</summary><pre class=\"raw\">{}</pre></details></li>\n",
                       html_text(e.raw.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  return out + "</ul>\n";
}

std::string step_block(const step_record& s) {
  std::string out = "<div class=\"step\"><h4>";
  if (!s.kind.empty()) out += fmt::format("<span class=\"kind\">{}</span>", html_text(s.kind));
  out += fmt::format("<code>{}</code>", html_text(s.name));
  if (!s.action.empty()) out += fmt::format("<span class=\"act\">{}</span>", html_text(s.action));
  if (const std::string answer = format_step_answer(s); !answer.empty()) {
    out += fmt::format("<span>&rarr; <code>{}</code></span>", html_text(answer));
  }
  if (s.duration_ms) out += fmt::format("<span class=\"ms\">{}</span>", format_duration_ms(*s.duration_ms));
  out += "</h4><div class=\"body\">\n";
  std::string facts;
  if (!s.tls_ok || !s.tls_error.empty()) {
    facts += fmt::format("<dt>TLS</dt><dd>failed{}{}</dd>", s.tls_stage.empty() ? "" : " at " + html_text(s.tls_stage),
                         s.tls_error.empty() ? "" : ": " + html_text(s.tls_error));
  }
  if (!s.error_description.empty()) facts += fmt::format("<dt>error_description</dt><dd>{}</dd>", html_text(s.error_description));
  if (!s.algs.empty()) facts += fmt::format("<dt>algs</dt><dd><code>{}</code></dd>", html_text(s.algs));
  if (!facts.empty()) out += "<div class=\"detail\"><dl>" + facts + "</dl></div>\n";
  out += expectations_table(s);
  out += events_list(s);
  return out + "</div></div>\n";
}

}  // namespace

std::string verdict_badge(verdict v) {
  return fmt::format("<span class=\"badge v-{0}\">{0}</span>", verdict_name(v));
}

std::string scenario_cell(const scenario_result& r, bool show_reason) {
  std::string out = fmt::format("<td class=\"id\"><a href=\"#{0}\"><code>{0}</code></a><span class=\"title\">{1}</span>",
                                html_text(r.id), html_text(r.title));
  if (show_reason && r.outcome != verdict::pass && !r.reason.empty()) {
    out += fmt::format("<span class=\"reason\">{}</span>", html_text(r.reason));
  }
  return out + "</td>";
}

std::string answer_cell(const observed_answer& a) {
  if (!a.present) return "<td class=\"answer\"></td>";
  std::string out = fmt::format("<td class=\"answer\"><code>{}</code>", html_text(format_answer(a)));
  if (!a.error_description.empty()) out += fmt::format("<span class=\"desc\">{}</span>", html_text(a.error_description));
  if (a.outcome == "tls_reject" && !(a.tls_stage.empty() && a.tls_error.empty())) {
    out += fmt::format("<span class=\"desc\">TLS {}: {}</span>", html_text(a.tls_stage), html_text(a.tls_error));
  }
  return out + "</td>";
}

std::string result_details(const scenario_result& r) {
  const std::size_t n = r.steps.size();
  std::string out = fmt::format("<details><summary>{}</summary><div class=\"detail\"><dl>",
                                n == 0 ? std::string("details") : fmt::format("{} step{}: expectations, observed values, mock events", n, n == 1 ? "" : "s"));
  out += fmt::format("<dt>role</dt><dd>{}</dd>", html_text(r.role));
  if (!r.requirement.empty()) out += fmt::format("<dt>requirement</dt><dd>{}</dd>", html_text(r.requirement));
  if (!r.question.empty()) out += fmt::format("<dt>open question</dt><dd>{}</dd>", html_text(r.question));
  if (!r.flags.empty()) {
    out += "<dt>flags</dt><dd>";
    for (const auto& f : r.flags) out += fmt::format("<code>{}</code> ", html_text(f));
    out += "</dd>";
  }
  if (!r.reason.empty()) out += fmt::format("<dt>reason</dt><dd>{}</dd>", html_text(r.reason));
  out += "</dl>\n";
  for (const auto& s : r.steps) out += step_block(s);
  return out + "</div></details>";
}

void summary_cards(std::string& out, const verdict_counts& counts) {
  out += "<div class=\"cards\">\n";
  out += fmt::format("<div class=\"card\"><span class=\"n\">{}</span><span class=\"l\">scenarios</span>"
                     "<span class=\"d\">in this report</span></div>\n",
                     counts.total);
  for (verdict v : all_verdicts) {
    out += fmt::format("<div class=\"card v-{0}\" data-verdict=\"{0}\" title=\"show only {0}\"><span class=\"n\">{1}</span>"
                       "<span class=\"l\">{0}</span><span class=\"d\">{2}</span></div>\n",
                       verdict_name(v), counts.of(v), verdict_meaning(v));
  }
  out += "</div>\n";
  if (counts.total <= 0) return;
  // Segment edges are rounded from the cumulative count, so the segments always fill the bar.
  out += "<svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"verdicts\">";
  std::int64_t cumulative = 0;
  std::int64_t left = 0;
  for (verdict v : all_verdicts) {
    cumulative += counts.of(v);
    const std::int64_t right = (cumulative * 1000 + counts.total / 2) / counts.total;
    if (right > left) {
      out += fmt::format("<rect class=\"b-{}\" x=\"{}\" y=\"0\" width=\"{}\" height=\"10\"/>", verdict_name(v), left, right - left);
    }
    left = right;
  }
  out += "</svg>\n";
}

}  // namespace tether::reports
