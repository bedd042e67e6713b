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

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (call first in main, before any thread
// starts) and ignores SIGPIPE; a dedicated thread then waits for them, kills every child, prints
// one line and exits with 128 + signal.
void install_signal_cleanup();

}  // namespace tether::runner
