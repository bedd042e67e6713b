#pragma once
// `tether-client serve`: the JSON-lines protocol of docs/client-protocol.md. One answer line
// per input line, flushed, whatever the line holds: a line that is not JSON, not an object, or
// names an unknown op gets {"id": <its id or null>, "error": "..."}, never a crash, so that one
// bad request cannot take down the worker a whole run depends on.

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "mocks/client/run_state.hpp"
#include "mocks/client/step_executor.hpp"

namespace tether::client {

class serve_loop {
 public:
  explicit serve_loop(step_executor& executor) : executor_(executor) {}

  // The answer to one input line (without the newline).
  std::string handle_line(const std::string& line);
  // Until end of input; returns the number of lines answered.
  std::size_t run(std::istream& in, std::ostream& out);

  const run_registry& runs() const { return runs_; }

 private:
  nlohmann::json dispatch(const nlohmann::json& request);
  nlohmann::json do_step(const nlohmann::json& request);
  nlohmann::json do_discover(const nlohmann::json& request);
  nlohmann::json do_end_run(const nlohmann::json& request);

  step_executor& executor_;
  run_registry runs_;
};

}  // namespace tether::client
