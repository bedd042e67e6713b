#pragma once
// The tether-client program: parses the command line and runs the chosen subcommand.

namespace tether::client {

// The process exit status.
int run_cli(int argc, char** argv);

}  // namespace tether::client
