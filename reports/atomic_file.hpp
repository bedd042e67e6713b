#pragma once
// Report files are replaced, never rewritten in place, and a report set (report.json, junit.xml,
// report.md, report.html) is replaced as a whole: a run that is interrupted (SIGTERM from CI's
// timeout, Ctrl-C, a full disk) leaves either the previous set or the new one, never half of a
// file, and never a new report.json beside an old report.html.
//
// How: every file of the set is written and flushed in a hidden staging directory inside the
// output directory (same file system, so rename(2) is atomic), then all of them are renamed
// into place in one step that the signal thread waits for (reports/temporaries.hpp). The files
// stay regular files in the directory the user named, which is the published contract (users,
// CI artefact steps and JUnit parsers read DIR/report.json and DIR/junit.xml directly). Replacing
// the whole directory instead (rename of a sibling, or a symlink flipped to a new one) would be
// atomic even for SIGKILL, but it would either move or drop what else lives in DIR (the run's
// work/ directory, rs-trust.json, a user's own files) or turn the reports into symlinks, which
// some artefact uploaders store as dangling links. What remains: a SIGKILL or a power loss during
// the few renames (microseconds, after every file is complete on disk) can mix the two sets, and
// the staging directory it leaves is removed by the next write into the same directory.

#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.hpp"

namespace tether::reports {

// Creates `dir` and its parents when missing. Error "io.directory" names the directory.
status ensure_directory(const std::string& dir);

struct named_content {
  std::string name;  // a plain file name inside the directory
  std::string_view content;
};

// Replaces the files `files` in `dir` (which must exist) as one set, as described above. On any
// failure nothing in `dir` has changed and no temporary is left; error "io.write" names the file
// (as `dir`/name) and the system's reason.
status write_file_set(const std::string& dir, const std::vector<named_content>& files);

// A set of one file: writes `content` beside `path` and renames it over `path`.
status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace tether::reports
