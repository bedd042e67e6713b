#pragma once
// A child process with pipes, for the runner (mocks, tether-client workers, a launched
// implementation, an external client under test) and for the tests that start the mocks. Each
// child runs in its own process group, so that stopping it by PGID also stops whatever it
// started, and dies with its parent (PR_SET_PDEATHSIG) if the parent is killed without
// cleaning up; as the kernel reads "parent" as the thread that forked, spawn from a thread
// that outlives the child. A program that must find every live child at any moment (the
// runner's signal handler) installs a child observer.
//
// The leader's exit is observed without reaping it (waitid WNOWAIT): its zombie keeps its PID,
// and so the PGID, from being reused until stop() has killed what is left of its group, so a
// group kill never reaches an unrelated process. stop() reaps it last.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/util/result.hpp"

namespace tether::util {

struct spawn_options {
  std::vector<std::string> argv;                 // argv[0]: a path, or a name looked up in PATH
  std::map<std::string, std::string> env;        // added to (and overriding) the parent's environment
  bool pipe_stdin = false;
  bool pipe_stdout = true;
  std::string stdout_file;                       // when not piped: a file (appended), "" = /dev/null
  std::string stderr_file;                       // "" = /dev/null
  std::string label;                             // for messages and the child list: "tether-as"
  // Working directory of the child ("" = the parent's). A relative argv[0] with a '/' is then
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
  // Everything the child printed to stdout until EOF, the deadline, or the exit of the child
  // (then what is already in the pipe is read too): a process it left in the background may
  // hold the pipe open for as long as it lives.
  std::string read_all(std::chrono::steady_clock::time_point deadline);
  status write_all(const std::string& data);
  void close_stdin();

  // The exit status once the child has exited: the code, or 128 + signal number. Does not
  // reap it (see above). Thread-safe.
  std::optional<int> exit_status();
  // Stops the child and everything left in its process group, whether or not the child has
  // already exited: SIGTERM to the group, SIGKILL to it after `grace`, then the child (and any
  // group member the caller, as a child subreaper, inherited) is reaped. Group members still
  // running after the child exited are told to the observer's left_behind. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

 private:
  child_process() = default;
  void reap(int wait_status);
  void wait_for_leader();
  bool is_reaped();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::string label_;
  std::string buffer_;
  bool eof_ = false;
  bool reaped_ = false;
  std::mutex exit_mu_;
  std::optional<int> exit_;
};

// "exited with status 3", "was killed by signal 9".
std::string describe_exit(int status);

// Told of every child that starts and every child that is reaped, from any thread; and of
// every process found alive in a child's group after that child exited (`name` is the
// kernel's name of its program, `label` the child's), which stop() then kills.
struct child_observer {
  void (*started)(pid_t pid, const std::string& label) = nullptr;
  void (*ended)(pid_t pid) = nullptr;
  void (*left_behind)(pid_t pid, const std::string& name, const std::string& label) = nullptr;
};
void set_child_observer(child_observer observer);

}  // namespace tether::util
