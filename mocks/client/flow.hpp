#pragma once
// `tether-client flow`: tether-client as a client application under test. It reads the TETHER_*
// environment and does what a correct client does (RFC 8705 2, 3, 5; RFC 9449 4.2, 5, 7, 8,
// 8.2, 9, 10), through the same executor as every other use, so what it sends is exactly what
// the observations show. The `breaks` knobs of client_config make it misbehave, one requirement
// each.

#include <string>

#include <nlohmann/json.hpp>

#include "mocks/client/client_config.hpp"
#include "mocks/client/flow_env.hpp"
#include "mocks/client/step_executor.hpp"

namespace tether::client {

constexpr int exit_flow_ok = 0;
constexpr int exit_flow_failed = 1;
constexpr int exit_flow_bad_input = 2;
constexpr int exit_flow_unsupported = 89;  // targets/README.md: the verdict is skip

struct flow_result {
  int exit_code = exit_flow_failed;
  nlohmann::json summary;  // {"flow", "result", "reason", "steps", ...}
};

// certs_dir: where other_cert_at_rs finds the other certificate. verbose: the summary carries
// every step's full observation.
flow_result run_flow(const flow_env& env, const client_config& config, step_executor& executor,
                     const std::string& certs_dir, bool verbose = false);

}  // namespace tether::client
