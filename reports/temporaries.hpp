#pragma once
// The temporary files and directories of report writing, by name, for the runner's signal thread
// (runner/process.cpp, install_signal_cleanup). That thread ends the process with _exit(): no
// destructor runs, so a temporary it does not remove stays behind (a hidden staging directory
// with a multi-megabyte report.html in it).
//
// A writer creates each temporary, and publishes its report set (the renames), while it holds
// the registry; remove_all_for_exit() takes the registry and never gives it back. So a signal
// lands before a temporary exists or after it is registered, never between its creation and its
// registration, and never between two renames of one report set (reports/atomic_file.hpp).

#include <mutex>
#include <string>

namespace tether::reports::temporaries {

// The registry, held for as long as this lives. Hold it only for short steps (creating a
// temporary, renaming a set into place): the signal thread waits for it. Once the process is
// exiting, constructing one blocks until the exit.
class hold {
 public:
  hold();
  hold(const hold&) = delete;
  hold& operator=(const hold&) = delete;
  // A file or directory (removed with everything in it) to remove if the process is stopped.
  void add(const std::string& path);
  // No longer temporary: renamed into place, or removed by its writer.
  void forget(const std::string& path);

 private:
  std::unique_lock<std::mutex> lock_;
};

// For the signal thread, just before _exit(): removes every registered path, then keeps the
// registry held so that no new temporary appears before the process ends.
void remove_all_for_exit();

}  // namespace tether::reports::temporaries
