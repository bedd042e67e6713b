#pragma once
// Child processes of the runner (mocks, tether-client workers, a launched target, an external
// client under test). Each child starts in its own process group, so that killing it by PGID
// also kills whatever it started; every live child is in the child registry, which the signal
// handler and the run's clean-up empty on every path (success, failure, timeout, SIGINT).

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/util/child_process.hpp"

namespace tether::runner {

using util::child_process;
using util::describe_exit;
using util::spawn_options;

// Live children by PID, for clean-up from anywhere (the signal thread included).
namespace child_registry {
void add(pid_t pid, const std::string& label);
void remove(pid_t pid);
// SIGKILL to every registered process group. Safe to call more than once.
void kill_all();
// Appends "PID LABEL" lines to this file whenever a child starts (TETHER_CHILD_LOG, for tests
// and people who want to see what the runner started).
void set_log_file(const std::string& path);
std::vector<pid_t> live();
}  // namespace child_registry

// A process the implementation under test (or any child) left running, which the runner had
// to kill: found in a child's process group after that child exited, or, with adopt_orphans,
// reparented to the runner at the end of the run (a daemon that left its group with setsid).
struct killed_process {
  pid_t pid = 0;
  std::string name;  // its program, as the kernel names it (at most 15 characters)
  std::string from;  // the child whose group it was in ("client under test", ...), or "orphan"
};

// Every process the runner had to kill so far (in order), and how many.
std::vector<killed_process> killed_processes();

// Makes the runner a child subreaper (Linux PR_SET_CHILD_SUBREAPER, prctl(2)): a process whose
// parent dies is reparented to the runner instead of init, so that a daemon started by the
// implementation under test (setsid, double fork) can still be found and stopped by
// stop_orphans. What outlives a runner killed with SIGKILL is described in targets/README.md.
void adopt_orphans();

// Kills and reaps every process reparented to the runner that is not a registered child (with
// its own process group when it leads one), until none is left (bounded); each is added to
// killed_processes(). Call when every registered child has been stopped.
std::vector<killed_process> stop_orphans();

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (call first in main, before any thread
// starts) and ignores SIGPIPE; a dedicated thread then waits for them, kills every child (and
// every process reparented to the runner), prints one line and exits with 128 + signal.
void install_signal_cleanup();

}  // namespace tether::runner
