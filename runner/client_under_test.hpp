#pragma once
// The client under test of a `run_client` step (targets/README.md "Environment given to an
// external client"): the built-in `tether-client flow` or the target's command, run once with
// the endpoints, credentials and files of the scenario in TETHER_* variables, as BoringSSL's
// test runner runs its shim. The runner then judges what the mocks observed.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/step_resolver.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

struct client_run_request {
  const target* tgt = nullptr;
  const client_registration* reg = nullptr;
  std::string flow;     // token, token+resource, refresh+resource, code+resource
  std::string binding;  // dpop, mtls, none
  endpoints ep;
  std::string certs_dir;
  std::string trace;        // the step's Tether-Trace prefix (TETHER_TRACE)
  std::string stderr_file;  // where the client's stderr goes
  std::chrono::steady_clock::time_point deadline;
};

struct client_run_outcome {
  std::optional<int> exit_code;  // absent: it did not finish before the deadline (and was stopped)
  std::string stdout_tail;       // the last 4000 bytes of its output
  double duration_ms = 0;
  std::string start_error;       // it could not be started at all
};

// The TETHER_* environment of one run of the client under test (documented in targets/README.md).
std::map<std::string, std::string> client_environment(const client_run_request& rq);

// Starts the client (built-in or the target's command, from the target file's directory),
// waits for it until the deadline, and stops it (with anything it started).
client_run_outcome run_client_under_test(const client_run_request& rq);

}  // namespace tether::runner
