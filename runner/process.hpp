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

#include "core/util/result.hpp"

namespace tether::runner {

struct spawn_options {
  std::vector<std::string> argv;                 // argv[0]: a path, or a name looked up in PATH
  std::map<std::string, std::string> env;        // added to (and overriding) the runner's environment
  bool pipe_stdin = false;
  bool pipe_stdout = true;
  std::string stdout_file;                       // when not piped: a file (appended), "" = /dev/null
  std::string stderr_file;                       // "" = /dev/null
  std::string label;                             // for messages and the child list: "tether-as"
  // Working directory of the child ("" = the runner's). A relative argv[0] with a '/' is then
  // relative to it, as a shell started there would read it.
  std::string cwd;
};

class child_process {
 public:
  static result<std::unique_ptr<child_process>> spawn(const spawn_options& options);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& label() const { return label_; }

  // One line from stdout without the newline; an error on EOF, timeout or a read failure
  // (code "process.timeout" for the deadline).
  result<std::string> read_line(std::chrono::steady_clock::time_point deadline);
  // Everything the child printed to stdout until EOF or the deadline.
  std::string read_all(std::chrono::steady_clock::time_point deadline);
  status write_all(const std::string& data);
  void close_stdin();

  // The exit status once the child has exited: the code, or 128 + signal number.
  std::optional<int> exit_status();
  // SIGTERM to the process group, SIGKILL after grace, then reaped. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

 private:
  child_process() = default;
  void reap(int wait_status);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::string label_;
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> exit_;
};

// "exited with status 3", "was killed by signal 9".
std::string describe_exit(int status);

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
