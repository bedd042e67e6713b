// tether-client: the mock client. The command line is read in cli.cpp; serve, the shell
// commands and the flow mode all run steps through one executor (step_executor.hpp).

#include "mocks/client/cli.hpp"

int main(int argc, char** argv) { return tether::client::run_cli(argc, argv); }
