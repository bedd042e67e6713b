#pragma once
// tether-rs's command line and config file, read into what the process needs to start. Bad
// input (unknown option, unknown knob, bad value, unreadable config) is an error with a message
// naming it; main exits with status 2 (mocks::exit_bad_input).

#include <optional>
#include <string>
#include <vector>

#include "mocks/common/mock_cli.hpp"
#include "mocks/rs/introspection.hpp"
#include "mocks/rs/rs_config.hpp"

namespace tether::rs {

struct rs_startup {
  mocks::common_options common;
  rs_config config;
  int port = 0;
  std::string issuer;
  std::string jwks_uri;
  std::string jwks_file;
  std::optional<introspection_client> introspection;
  int fetch_timeout_ms = 5000;  // JWKS and introspection requests to the AS
  int io_timeout_ms = 10000;    // per read/write on a client connection (slow clients)
};

// What the command line asked for: start with `startup`, or stop with exit_code after
// printing `output` (stdout: help, knob table) or `error` (stderr).
struct cli_outcome {
  std::optional<rs_startup> startup;
  int exit_code = 0;
  std::string output;
  std::string error;
};

cli_outcome parse_command_line(const std::vector<std::string>& args);

}  // namespace tether::rs
