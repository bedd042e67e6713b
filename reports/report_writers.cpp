#include "reports/report_writers.hpp"

#include "reports/atomic_file.hpp"
#include "reports/html_writer.hpp"
#include "reports/junit_writer.hpp"
#include "reports/markdown_writer.hpp"
#include "reports/matrix_writer.hpp"
#include "reports/report_model.hpp"

namespace tether::reports {

status write_reports(const nlohmann::json& report, const std::string& out_dir) {
  auto model = read_report(report);
  if (!model) return model.err();
  // Every file is rendered before the first is written: a problem found late cannot leave a
  // directory where report.json is new and report.html is from an earlier run.
  // Invalid UTF-8 that came from a server becomes U+FFFD instead of an exception.
  const std::string json_text = report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const std::string junit = render_junit(*model);
  const std::string markdown = render_markdown(*model);
  const std::string html = render_html(*model);

  if (auto st = ensure_directory(out_dir); !st) return st;
  // One set: a reader never finds this run's report.json beside an earlier run's report.html.
  return write_file_set(out_dir, {{"report.json", json_text}, {"junit.xml", junit}, {"report.md", markdown},
                                  {"report.html", html}});
}

status write_matrix(const std::vector<std::string>& report_files, const std::string& out_dir) {
  if (report_files.empty()) return make_error("report.read", "matrix: no report.json files given");
  std::vector<report_document> reports;
  reports.reserve(report_files.size());
  for (const auto& file : report_files) {
    auto doc = load_report_file(file);
    if (!doc) return doc.err();
    reports.push_back(std::move(*doc));
  }
  const std::string markdown = render_matrix_markdown(reports);
  const std::string html = render_matrix_html(reports);
  if (auto st = ensure_directory(out_dir); !st) return st;
  return write_file_set(out_dir, {{"matrix.md", markdown}, {"matrix.html", html}});
}

bool is_input_error(const error& e) { return e.code.rfind("report.", 0) == 0; }

}  // namespace tether::reports
