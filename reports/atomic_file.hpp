#pragma once
// Report files are replaced, never rewritten in place: a run that is interrupted (killed by CI's
// timeout, a full disk) leaves either the previous file or the new one, never half of one that a
// later `tether matrix` or a CI parser would choke on.

#include <string>
#include <string_view>

#include "core/util/result.hpp"

namespace tether::reports {

// Creates `dir` and its parents when missing. Error "io.directory" names the directory.
status ensure_directory(const std::string& dir);

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
// `path` (rename(2) is atomic within one file system). On any failure the temporary file is
// removed and `path` is left as it was. Error "io.write" names the file and the system's reason.
status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace tether::reports
