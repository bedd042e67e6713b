#include "reports/report_view.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace tether::reports {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string scheme_text(const observed_answer& a) {
  if (a.schemes.size() > 1) return join(a.schemes, "+");
  if (!a.scheme.empty()) return a.scheme;
  return a.schemes.empty() ? std::string() : a.schemes.front();
}

std::string status_error_scheme(const observed_answer& a) {
  return join({a.status ? std::to_string(*a.status) : std::string(), a.error, scheme_text(a)}, " ");
}

}  // namespace

std::string format_answer(const observed_answer& a) {
  if (!a.present) return {};
  if (a.outcome == "tls_reject") return "reject (TLS)";
  if (a.outcome == "accept") {
    std::string out = "accept";
    if (!a.token_type.empty()) out += " " + a.token_type;
    if (!a.cnf.empty()) out += " cnf " + join(a.cnf, "+");
    return out;
  }
  if (a.outcome == "reject") {
    std::string detail = status_error_scheme(a);
    return detail.empty() ? "reject" : detail;
  }
  if (a.outcome == "unexpected") return join({"unexpected", status_error_scheme(a)}, " ");
  return a.outcome;
}

std::string format_step_answer(const step_record& s) {
  if (s.outcome.empty() && !s.status) return {};
  observed_answer a;
  a.present = true;
  a.outcome = s.outcome;
  a.status = s.status;
  a.error = s.error;
  a.scheme = s.scheme;
  a.token_type = s.token_type;
  a.cnf = s.cnf;
  if (a.outcome.empty()) a.outcome = "unexpected";
  return format_answer(a);
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ie = i;
      std::size_t je = j;
      while (ie < a.size() && is_digit(a[ie])) ++ie;
      while (je < b.size() && is_digit(b[je])) ++je;
      std::string_view na = a.substr(i, ie - i);
      std::string_view nb = b.substr(j, je - j);
      while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if ((a.size() - i) != (b.size() - j)) return (a.size() - i) < (b.size() - j);
  return a < b;  // equal as numbers ("01" and "1"): still a strict order
}

std::vector<section_group> group_by_section(const std::vector<scenario_result>& results) {
  std::map<std::string, std::vector<const scenario_result*>, bool (*)(std::string_view, std::string_view)> groups(
      natural_less);
  for (const auto& r : results) groups[r.section].push_back(&r);
  std::vector<section_group> out;
  for (auto& [section, rows] : groups) {
    std::stable_sort(rows.begin(), rows.end(), [](auto* x, auto* y) { return x->id < y->id; });
    out.emplace_back(section, std::move(rows));
  }
  return out;
}

std::vector<const scenario_result*> question_results(const std::vector<scenario_result>& results) {
  std::vector<const scenario_result*> out;
  for (const auto& r : results) {
    if (!r.question.empty()) out.push_back(&r);
  }
  std::stable_sort(out.begin(), out.end(), [](auto* x, auto* y) {
    if (x->question != y->question) return natural_less(x->question, y->question);
    return x->id < y->id;
  });
  return out;
}

std::string format_duration_ms(double ms) {
  if (ms < 1000) return fmt::format("{:.1f} ms", ms);
  return fmt::format("{:.1f} s", ms / 1000);
}

std::string report_date(const report_document& report) { return report.generated_at.substr(0, 10); }

std::string format_value(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> unmet_expectations(const scenario_result& result) {
  std::vector<std::string> out;
  for (const auto& step : result.steps) {
    for (const auto& e : step.expectations) {
      if (e.met) continue;
      std::string line = fmt::format("{}: {}", step.name, e.what);
      if (!e.level.empty()) line += fmt::format(" ({})", e.level);
      line += fmt::format(" expected {}, observed {}", format_value(e.expected), format_value(e.observed));
      if (e.mapped) line += " (error name mapped by the target profile)";
      if (!e.says.empty()) line += fmt::format(": {}", e.says);
      out.push_back(std::move(line));
    }
  }
  return out;
}

std::string_view verdict_meaning(verdict v) {
  switch (v) {
    case verdict::pass: return "every expectation met";
    case verdict::fail: return "a MUST not met";
    case verdict::warn: return "only a SHOULD not met";
    case verdict::info: return "the RFC leaves it open: the answer is recorded, not judged";
    case verdict::skip: return "not applicable to this target; the reason is given";
    case verdict::error: return "could not judge: unreachable, timeout, or a setup or control step failed";
  }
  return "";
}

}  // namespace tether::reports
