#pragma once
// What the three mock processes share on their command line and at start-up: config file,
// certificates, event log, knobs, the JSON ready line and the exit status for bad input. Each
// mock adds its own options; none re-implements these.

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::mocks {

// Exit status for bad input (unreadable config, unknown knob, bad flag), as for the runner.
constexpr int exit_bad_input = 2;

struct common_options {
  std::string config_file;     // JSON; command-line flags override it
  std::string host = "127.0.0.1";
  std::string certs_dir;       // default: $TETHER_CERTS, else the build tree's generated set
  std::string cert_file;       // server certificate; default <certs_dir>/server.crt
  std::string key_file;        // default <certs_dir>/server.key
  std::string ca_file;         // trust anchors (client certificates, peers); default <certs_dir>/ca.crt
  std::string event_log;       // file, "-" for stderr, "" for none
  std::vector<std::string> knobs;  // name=value, applied after the config file's "knobs"
  bool describe_knobs = false; // print the knob table as JSON and exit
  int threads = 1;
};

void add_common_options(CLI::App& app, common_options& options);

// The generated certificate set this build uses (created on first use).
std::string default_certs_dir();

// Fills empty certificate paths from certs_dir (generating the suite set if certs_dir is the
// default one and it is missing or about to expire).
status resolve_certificate_paths(common_options& options);

// Reads a JSON config file; errors name the file and the position of a syntax error.
result<nlohmann::json> load_json_file(const std::string& path);

// One JSON line on stdout, flushed: {"ready":true,...}. Scripts and the runner wait for it.
void print_ready_line(nlohmann::json fields);

// Seconds since the epoch.
int64_t unix_now();

}  // namespace tether::mocks
