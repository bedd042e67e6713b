#pragma once
// tether-as as a child process for the end-to-end tests: started with --port 0 --mtls-port 0,
// its JSON ready line read from stdout, stopped by its PID (SIGTERM) and never by name.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/child_process.hpp"

namespace tether::as::testing {

std::string as_binary();

class as_process {
 public:
  // Runs tether-as with ephemeral ports, the test certificate set, the built-in clients and an
  // event log in a temporary directory, plus `args`.
  explicit as_process(const std::vector<std::string>& args = {});
  ~as_process();
  as_process(const as_process&) = delete;
  as_process& operator=(const as_process&) = delete;

  bool ready() const { return ready_.is_object(); }
  const nlohmann::json& ready_line() const { return ready_; }
  std::string url(const char* member) const { return ready_.value(member, ""); }
  pid_t pid() const { return child_ ? child_->pid() : -1; }
  bool alive() const;

  // SIGTERM, then waits for the exit; returns the exit status (128 + signal if killed, -1 if it
  // had to be killed after a generous grace period).
  int stop();

  std::vector<nlohmann::json> events() const;
  std::string stderr_text() const;
  const std::string& dir() const { return dir_; }

 private:
  std::unique_ptr<util::child_process> child_;
  int exit_status_ = -1;
  std::string dir_;
  nlohmann::json ready_;
};

struct exit_result {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs tether-as with exactly these arguments until it exits (for --help, bad input).
exit_result run_to_exit(const std::vector<std::string>& args);

}  // namespace tether::as::testing
