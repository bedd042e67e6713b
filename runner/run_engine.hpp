#pragma once
// Runs a plan with -j N parallel jobs: one thread and one tether-client worker per job, each
// scenario on one worker; skipped scenarios are reported without running anything. Every child
// is stopped before run_plan returns.

#include <functional>
#include <vector>

#include "core/util/result.hpp"
#include "runner/scenario_executor.hpp"
#include "runner/selection.hpp"

namespace tether::runner {

struct run_totals {
  std::vector<scenario_result> results;  // sorted by scenario ID
  double duration_ms = 0;
  double tls_handshake_ms = 0;
  int mocks_started = 0;
  int worker_restarts = 0;
  std::vector<killed_process> killed_processes;  // left running by a child, killed by the runner
};

using result_callback = std::function<void(const scenario_result&)>;

run_totals run_plan(const std::vector<planned>& plan, run_environment& env, int jobs, const result_callback& on_done);

// Before the run: starts the target's `launch` command (when given) and discovers an external
// AS's metadata. A failure does not end the run: it is kept in env (launch_problem,
// as_problem) and every scenario it concerns becomes `error` with it, so that the reports say
// what went wrong. The launched process stays registered as a child and is stopped by the caller.
void prepare_external(run_environment& env, std::unique_ptr<child_process>& launched);

}  // namespace tether::runner
