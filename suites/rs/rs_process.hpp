#pragma once
// A tether-rs process for end-to-end tests: started with --port 0, its JSON ready line read
// from stdout, stopped by PID (SIGTERM, then SIGKILL if it does not stop).

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/child_process.hpp"

namespace tether::rs::testing {

class rs_process {
 public:
  rs_process() = default;
  ~rs_process();  // stops the process and removes its stderr file
  rs_process(const rs_process&) = delete;
  rs_process& operator=(const rs_process&) = delete;

  // Starts the binary with args; true when the ready line arrived within timeout_ms. On
  // failure, output() and errors() say why.
  bool start(const std::vector<std::string>& args, int timeout_ms = 20000);
  // The same for another mock binary (tether-as) that prints a ready line.
  bool start_binary(const std::string& binary, const std::vector<std::string>& args, int timeout_ms = 20000);
  // SIGTERM and wait; returns the exit status (-1 if it had to be killed).
  int stop(int timeout_ms = 10000);
  // Waits for a process that exits on its own (bad input); returns its exit status.
  int wait_exit(int timeout_ms = 20000);

  const nlohmann::json& ready() const { return ready_; }
  std::string url() const { return ready_.value("url", ""); }
  std::string resource() const { return ready_.value("resource", ""); }
  pid_t pid() const { return child_ && !child_->exit_status() ? child_->pid() : -1; }
  const std::string& output() const { return output_; }
  const std::string& errors() const;

 private:
  std::unique_ptr<util::child_process> child_;
  std::string stderr_file_;
  std::string output_;
  mutable std::string errors_;
  nlohmann::json ready_;
};

// Path of the built tether-rs.
std::string rs_binary();
// Path of tether-as in this build tree ("" when it is not part of the build).
std::string as_binary();

}  // namespace tether::rs::testing
