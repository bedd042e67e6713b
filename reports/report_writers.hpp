#pragma once
// The report writers' entry points, called by `tether run` and `tether matrix`.
//
// Error codes, so that a caller can choose its exit status (design.md 3: 2 for bad input):
//   report.schema, report.invalid, report.parse, report.read   the input is not a usable
//                                                              tether-report/1 document
//   io.directory, io.write                                     the output could not be written

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::reports {

// Checks `report` (docs/report-format.md) and writes report.json, junit.xml, report.md and
// report.html into `out_dir` (created when missing) as one set (reports/atomic_file.hpp), so an
// interrupted run leaves the previous set or the new one, never a mix and never a half-written
// file. Nothing is written when the document is invalid. The same document always gives
// byte-identical files.
status write_reports(const nlohmann::json& report, const std::string& out_dir);

// Reads report.json files (an error names the file and the JSON pointer of the problem: a
// matrix over a broken or foreign file must say so) and writes matrix.md and matrix.html into
// `out_dir`, one column per file in the order given.
status write_matrix(const std::vector<std::string>& report_files, const std::string& out_dir);

// True when an error from the two functions above is about the input, not the output.
bool is_input_error(const error& e);

}  // namespace tether::reports
