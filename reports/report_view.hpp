#pragma once
// Presentation rules shared by every writer, so that report.md, report.html, junit.xml and the
// matrix say the same thing the same way: how an observed answer is written, how sections are
// ordered, how durations read.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/report_model.hpp"

namespace tether::reports {

// The observed answer in one short line, as the matrix shows it:
//   reject      -> "401 invalid_token Bearer" (status, error, scheme; those present)
//   tls_reject  -> "reject (TLS)"
//   accept      -> "accept", plus the token type and cnf members of an issued token:
//                  "accept DPoP cnf jkt+x5t#S256"
//   unexpected  -> "unexpected 500 server_error"
//   unreachable, timeout -> the word itself
// Empty when no probe ran.
std::string format_answer(const observed_answer& answer);

// Same line for one step of a scenario.
std::string format_step_answer(const step_record& step);

// Orders "RFC 9449 4.10" after "RFC 9449 4.3": runs of digits compare as numbers.
bool natural_less(std::string_view a, std::string_view b);

using section_group = std::pair<std::string, std::vector<const scenario_result*>>;

// Results grouped by their `section`, sections in natural order, results by id inside each.
std::vector<section_group> group_by_section(const std::vector<scenario_result>& results);

// Results that answer an open question, ordered Q1, Q2, ..., Q10, then by id.
std::vector<const scenario_result*> question_results(const std::vector<scenario_result>& results);

// "12.5 ms", "4.1 s": durations for people (fixed precision, so output is reproducible).
std::string format_duration_ms(double ms);

// The date part of generated_at ("2026-11-27").
std::string report_date(const report_document& report);

// A compact JSON rendering of an expected or observed value: strings unquoted when plain.
std::string format_value(const nlohmann::json& value);

// One line per unmet expectation: "probe: outcome (MUST) expected reject, observed accept".
std::vector<std::string> unmet_expectations(const scenario_result& result);

// The one-sentence meaning of each verdict, for legends.
std::string_view verdict_meaning(verdict v);

}  // namespace tether::reports
