#pragma once
// The running mocks the end-to-end tests talk to, started once per configuration and kept for
// the whole test program (stopped by PID at exit), and helpers to run tether-client flow as
// the runner does: a child process with the TETHER_* environment of targets/README.md.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "processes.hpp"

namespace tether::client::testing {

struct world {
  mock_server as;
  mock_server rs;
  bool ok() const { return as.process && rs.process; }
  std::string issuer() const { return as.ready.value("issuer", ""); }
  std::string resource() const { return rs.ready.value("resource", ""); }
  std::string ca() const;
};

// Named configurations: "default" (correct mocks), "nonces" (AS and RS require_nonce),
// "bearer_type" (AS knob token_type_bearer_for_dpop).
world& world_named(const std::string& name);

struct flow_run {
  int exit_code = -1;
  nlohmann::json summary;  // the JSON line the flow printed
  std::string trace;       // TETHER_TRACE: the prefix of every event of this run
  std::string output;
};

// Runs `tether-client flow FLOW --verbose [--knob k]...` for the built-in registration
// `client` (targets/builtin-clients.json) with the given binding.
flow_run run_flow_process(world& w, const std::string& flow, const std::string& client, const std::string& binding,
                          const std::vector<std::string>& knobs = {},
                          const std::map<std::string, std::string>& env_overrides = {});

// Events of one server for a trace prefix and endpoint.
std::vector<nlohmann::json> as_events(const world& w, const std::string& trace, const std::string& endpoint = "token");
std::vector<nlohmann::json> rs_events(const world& w, const std::string& trace);

// The registration of targets/builtin-clients.json by name.
nlohmann::json builtin_client(const std::string& name);

}  // namespace tether::client::testing
