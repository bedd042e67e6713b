#pragma once
// The shell shared by report.html and matrix.html: one self-contained file with its style and
// script inline, and a Content-Security-Policy that allows exactly those two blocks (by their
// SHA-256) and nothing else: no network, no other script. Escaping (text_escape.hpp) is the
// first defence against a hostile server answer; the policy is the second, should a writer
// ever forget to escape.

#include <string>
#include <string_view>

namespace tether::reports {

struct html_page_parts {
  std::string_view title;      // plain text, escaped here
  std::string_view generator;  // plain text, e.g. "tether 0.1.0"
  std::string_view body;       // HTML, already escaped by the caller
  std::string_view script;     // JavaScript, empty for none
};

std::string render_html_page(const html_page_parts& parts);

// The style sheet, exposed so that tests can check the policy hash against it.
std::string_view html_style_sheet();

// "sha256-<base64>" of `text`, the CSP source expression for an inline block (CSP3 8.4).
std::string csp_hash_source(std::string_view text);

}  // namespace tether::reports
