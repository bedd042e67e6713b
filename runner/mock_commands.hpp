#pragma once
// Everything the runner assumes about the mock binaries' command lines and ready lines, in one
// place, so that aligning with the mocks is a change to one file. The list of assumptions is in
// mock_commands.cpp, next to the code that acts on them.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "runner/knob_catalog.hpp"
#include "runner/scenario_model.hpp"

namespace tether::runner {

// Where the programs are: $TETHER_AS_BIN / $TETHER_RS_BIN / $TETHER_CLIENT_BIN, else the build
// tree next to this runner (<build>/mocks/<role>/tether-<role>), else the compile-time build tree.
std::string mock_binary(role r);
bool mock_binary_exists(role r);

// The certificate set: $TETHER_CERTS, else <build>/certs.
std::string default_certs_dir();

// Makes sure the certificate set in `dir` is complete and valid for a while, by running
// tether-certgen ($TETHER_CERTGEN_BIN, else <build>/certs/tether-certgen): the runner does no
// cryptography itself. Without the program, a set that is already there is used as it is.
status ensure_certificates(const std::string& dir);

// The project's data (scenarios/, targets/): $TETHER_HOME, else the source tree it was built from.
std::string tether_home();

// `tether-<role> --describe-knobs`.
result<std::vector<knob_info>> describe_knobs(role r);
// Every role whose binary exists; the others are marked unavailable with the reason.
knob_catalog load_knob_catalog();

// What a built-in mock instance is started with. Two scenarios that need equal configs share
// one instance.
struct mock_config {
  role r = role::as;
  nlohmann::json settings = nlohmann::json::object();  // environment settings (scenario over target)
  nlohmann::json knobs = nlohmann::json::object();     // target knobs, then scenario knobs
  nlohmann::json trusts = nlohmann::json::object();    // RS: the AS it trusts (its ready line)
  nlohmann::json fixed;                                // AS: fixed port / key / issuer, or null
  std::string key() const;                             // canonical, for pooling
};

struct mock_launch {
  std::vector<std::string> argv;
  // Secrets never go on a command line: every user of the machine reads it in ps
  // (/proc/PID/cmdline) and every message about a failed start quotes it. They go in these
  // files (path -> content), which the starter writes with mode 0600 before the mock starts
  // and removes once it has read them.
  std::map<std::string, std::string> secret_files;
  // The secrets themselves, for redaction of messages about this instance.
  std::vector<std::string> secrets;
};

// The command line for one instance. `knobs` is the role's table, used to tell a setting the
// mock takes as a knob from one it takes as a flag. `private_stem` names the instance's own
// files (its secret files are <private_stem>.<what>).
mock_launch mock_command(const mock_config& config, const std::string& event_log, const std::string& certs_dir,
                         const std::string& clients_file, const knob_catalog& knobs, const std::string& private_stem);

// Checks the ready line of a role: {"ready": true, ...} with the members the runner uses.
status check_ready_line(role r, const nlohmann::json& ready);

// `tether-client serve` for one worker.
std::vector<std::string> client_worker_command(const std::string& certs_dir);

// `tether-client flow FLOW --certs DIR --knob k=v ...` for the built-in client under test.
std::vector<std::string> client_flow_command(const std::string& flow, const nlohmann::json& knobs,
                                             const std::string& certs_dir);

// How long a mock may take to print its ready line.
constexpr std::chrono::seconds mock_ready_timeout{20};

}  // namespace tether::runner
