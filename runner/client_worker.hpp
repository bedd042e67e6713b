#pragma once
// One `tether-client serve` process (docs/client-protocol.md): JSON lines in, JSON lines out.
// The runner keeps one per parallel job so that no process is started per step. A worker that
// misses its deadline is killed and replaced: a hung request gives `error`, never a hung run.

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "runner/process.hpp"

namespace tether::runner {

class client_worker {
 public:
  explicit client_worker(std::string certs_dir, std::string stderr_file);

  // Sends {"id", "op", ...fields} and waits for the answer with the same id. Starts the process
  // on first use. On timeout or a dead process the worker is stopped (and restarted by the next
  // call); the error says which.
  result<nlohmann::json> call(const std::string& op, nlohmann::json fields,
                              std::chrono::steady_clock::time_point deadline);
  // Forgets a run's keys and nonces; failures are ignored (the run is over anyway).
  void end_run(const std::string& run);
  void stop();
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  int restarts() const { return restarts_; }

 private:
  status ensure_started();

  std::string certs_dir_;
  std::string stderr_file_;
  std::unique_ptr<child_process> process_;
  long long next_id_ = 1;
  int restarts_ = -1;
};

}  // namespace tether::runner
