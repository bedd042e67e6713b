#pragma once
// Child processes for the end-to-end tests: the built tether-as and tether-rs (started with
// --port 0, ready line read from stdout, stopped by PID), tether-client serve (a pipe each way)
// and tether-client flow (run to completion with a TETHER_* environment).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "core/util/child_process.hpp"

namespace tether::client::testing {

// The tests' view of util::child_process: millisecond timeouts, "" for no line, and exit
// statuses as the tests compare them (-1 when the child had to be killed).
class child_process {
 public:
  // argv[0] is the program. env: added to (or replacing in) the inherited environment.
  // stderr goes to stderr_file.
  child_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                bool pipe_stdin, const std::string& stderr_file);

  bool started() const { return child_ != nullptr; }
  pid_t pid() const { return child_ ? child_->pid() : -1; }
  // One line of stdout (without the newline), or "" after timeout_ms or at end of output.
  std::string read_line(int timeout_ms);
  bool write(const std::string& text);
  void close_stdin();
  // Reads stdout to its end and waits for the exit status (-1 on timeout: the child is killed).
  int wait_exit(int timeout_ms, std::string* all_output = nullptr);
  // SIGTERM, then SIGKILL after timeout_ms; returns the exit status or -1.
  int stop(int timeout_ms = 5000);

 private:
  std::unique_ptr<util::child_process> child_;
};

// A mock server started with --port 0, running until the object goes away.
struct mock_server {
  std::unique_ptr<child_process> process;
  nlohmann::json ready;
  std::string event_log;
  std::string stderr_file;
};

std::string as_binary();
std::string rs_binary();
std::string client_binary();

// tether-as with the built-in clients; knobs as "name=value". Empty `process` on failure
// (the stderr file says why).
mock_server start_as(const std::vector<std::string>& knobs = {});
// tether-rs trusting the AS; extra: further arguments (--knob ..., --port P instead of 0).
mock_server start_rs(const mock_server& as, const std::vector<std::string>& extra = {});

}  // namespace tether::client::testing
