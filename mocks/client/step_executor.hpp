#pragma once
// Runs one resolved step against the network and returns its observation
// (docs/client-protocol.md). Shared by `serve` (the runner), the shell commands and the flow
// mode. Every network wait of a step, retries included, fits in the step's timeout_ms.

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "mocks/client/run_state.hpp"
#include "mocks/client/step_model.hpp"
#include "mocks/client/transport.hpp"

namespace tether::client {

struct executor_options {
  std::string default_ca_file;           // when a step's tls.ca_file is empty
  std::function<int64_t()> clock;        // seconds since the epoch, for proof iat (tests fix it)
};

class step_executor {
 public:
  explicit step_executor(transport& net, executor_options options = {});

  // The observation, or an error when the step cannot be run at all (an unknown earlier step
  // to replay, a proof that cannot be built, a forwarded certificate that cannot be read).
  // A failed exchange (TLS refusal, timeout, any status) is an observation, never an error.
  result<nlohmann::json> run(run_state& state, const resolved_step& step);

 private:
  result<nlohmann::json> run_replay(run_state& state, const resolved_step& step);
  http::client_options connection(const tls_settings& tls, int64_t timeout_ms) const;

  transport& net_;
  executor_options options_;
};

// The "concurrent" member of a replay: counts by outcome and by status.
nlohmann::json concurrent_json(const std::vector<http::exchange_result>& results);

}  // namespace tether::client
