#include "mocks/common/mock_cli.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "certs/certgen.hpp"
#include "mocks/common/knob_table.hpp"

#ifndef TETHER_DEFAULT_CERTS_DIR
#define TETHER_DEFAULT_CERTS_DIR "certs"
#endif

namespace tether::mocks {

const char* to_string(knob_kind k) {
  switch (k) {
    case knob_kind::setting: return "setting";
    case knob_kind::emulates: return "emulates";
    case knob_kind::breaks: return "breaks";
  }
  return "setting";
}

void add_common_options(CLI::App& app, common_options& o) {
  app.add_option("--config", o.config_file, "JSON config file; flags given on the command line override it");
  app.add_option("--host", o.host, "address to listen on (default 127.0.0.1)");
  app.add_option("--certs", o.certs_dir, "directory of the generated certificate set (default: $TETHER_CERTS or the build tree's)");
  app.add_option("--cert", o.cert_file, "server certificate chain, PEM (default <certs>/server.crt)");
  app.add_option("--key", o.key_file, "server private key, PEM (default <certs>/server.key)");
  app.add_option("--ca", o.ca_file, "trust anchors, PEM (default <certs>/ca.crt)");
  app.add_option("--event-log", o.event_log, "write one JSON line per request to this file ('-' = stderr)");
  app.add_option("--knob", o.knobs, "set a knob: name=value (repeatable; see the knob list below)");
  app.add_flag("--describe-knobs", o.describe_knobs, "print the knob table as JSON and exit");
  app.add_option("--threads", o.threads, "server threads (default 1)")->check(CLI::Range(1, 64));
}

std::string default_certs_dir() {
  if (const char* env = std::getenv("TETHER_CERTS"); env && *env) return env;
  return TETHER_DEFAULT_CERTS_DIR;
}

status resolve_certificate_paths(common_options& o) {
  bool defaulted = o.certs_dir.empty();
  if (defaulted) o.certs_dir = default_certs_dir();
  bool need_set = o.cert_file.empty() || o.key_file.empty() || o.ca_file.empty();
  if (need_set && defaulted) {
    if (status s = certs::ensure_suite_certificates(o.certs_dir); !s) return s;
  }
  if (o.cert_file.empty()) o.cert_file = o.certs_dir + "/server.crt";
  if (o.key_file.empty()) o.key_file = o.certs_dir + "/server.key";
  if (o.ca_file.empty()) o.ca_file = o.certs_dir + "/ca.crt";
  for (const std::string* path : {&o.cert_file, &o.key_file, &o.ca_file}) {
    if (access(path->c_str(), R_OK) != 0)
      return make_error("certs.missing", "cannot read " + *path +
                                             " (generate the set with tether-certgen DIR, or pass --certs)");
  }
  return {};
}

result<nlohmann::json> load_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("config.open", "cannot read config file " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    // Caught here so that the position reaches the user and nothing throws past this module.
    return make_error("config.syntax", path + ": not valid JSON at byte " + std::to_string(e.byte));
  }
  if (!j.is_object()) return make_error("config.type", path + ": /: the top level must be a JSON object");
  return j;
}

void print_ready_line(nlohmann::json fields) {
  fields["ready"] = true;
  fields["pid"] = static_cast<int64_t>(getpid());
  std::string line = fields.dump() + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace tether::mocks
