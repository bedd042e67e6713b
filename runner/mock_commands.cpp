// The runner's assumptions about the mocks, all here (see also docs/mock-events.md and
// docs/client-protocol.md):
//  1. `tether-<role> --describe-knobs` prints one JSON array of {name, kind, type, default,
//     description, choices} on stdout and exits 0.
//  2. `tether-as --port 0 --mtls-port 0 --event-log FILE --clients FILE --certs DIR
//     [--knob k=v]... [--port P --signing-key FILE --issuer URL]` prints one JSON line
//     {"ready":true,"issuer","mtls_origin","token_endpoint","mtls_token_endpoint",
//     "introspection_endpoint","authorization_endpoint","jwks_uri","pid"}.
//  3. `tether-rs --port 0 --issuer URL --jwks-uri URL [--introspection URL
//     --introspection-client-file FILE] --client-cert-mode M --event-log FILE --certs DIR
//     [--knob k=v]...` prints {"ready":true,"url":"https://127.0.0.1:P","resource":URL,...};
//     FILE holds "rs:SECRET" and is read before the ready line (mocks/rs/README.md).
//  4. An environment setting (scenarios/README.md) is passed as `--knob name=value` when the
//     mock's knob table has a knob of that name, else as `--name-with-dashes value`; the RS's
//     token_format=introspection also gets --introspection/--introspection-client-file, and its
//     client_cert_mode is always given as --client-cert-mode. No secret is ever an argument.
//  5. `tether-client serve --certs DIR` speaks the JSON-lines protocol on stdin/stdout with no
//     ready line; `tether-client flow FLOW --certs DIR [--knob k=v]...` runs the client under
//     test with the TETHER_* environment (TETHER_TRACE too) and exits 0 on success, 89 when it
//     does not support the request.
//  6. The mocks write their event log lines before answering (docs/mock-events.md).

#include "runner/mock_commands.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "runner/process.hpp"

#ifndef TETHER_SOURCE_ROOT
#define TETHER_SOURCE_ROOT "."
#endif
#ifndef TETHER_BINARY_ROOT
#define TETHER_BINARY_ROOT "."
#endif

namespace tether::runner {
namespace fs = std::filesystem;
namespace {

std::string self_build_dir() {
  // <build>/runner/tether -> <build>
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return TETHER_BINARY_ROOT;
  fs::path dir = exe.parent_path();
  // A test binary under <build>/suites/runner/.
  if (dir.parent_path().filename() == "suites") return dir.parent_path().parent_path().string();
  if (dir.filename() == "runner") return dir.parent_path().string();
  return TETHER_BINARY_ROOT;
}

std::string role_folder(role r) { return to_string(r); }

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string dashed(std::string s) {
  for (char& c : s)
    if (c == '_') c = '-';
  return "--" + s;
}

}  // namespace

std::string mock_binary(role r) {
  const char* env = r == role::as ? "TETHER_AS_BIN" : r == role::rs ? "TETHER_RS_BIN" : "TETHER_CLIENT_BIN";
  if (const char* v = std::getenv(env); v && *v) return v;
  std::string name = std::string("tether-") + to_string(r);
  for (const std::string& base : {self_build_dir(), std::string(TETHER_BINARY_ROOT)}) {
    std::string p = base + "/mocks/" + role_folder(r) + "/" + name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return self_build_dir() + "/mocks/" + role_folder(r) + "/" + name;
}

bool mock_binary_exists(role r) { return access(mock_binary(r).c_str(), X_OK) == 0; }

std::string default_certs_dir() {
  if (const char* v = std::getenv("TETHER_CERTS"); v && *v) return v;
  return self_build_dir() + "/certs";
}

status ensure_certificates(const std::string& dir) {
  std::string certgen;
  if (const char* v = std::getenv("TETHER_CERTGEN_BIN"); v && *v) certgen = v;
  else certgen = self_build_dir() + "/certs/tether-certgen";
  bool have_set = access((dir + "/ca.crt").c_str(), R_OK) == 0;
  if (access(certgen.c_str(), X_OK) != 0) {
    if (have_set) return {};
    return make_error("certs.missing", "no certificate set in " + dir + " and no " + certgen + " to generate it");
  }
  spawn_options o;
  o.argv = {certgen, dir};
  o.label = "tether-certgen";
  auto child = child_process::spawn(o);
  if (!child) return child.err();
  (void)(*child)->read_all(std::chrono::steady_clock::now() + std::chrono::seconds(120));
  std::optional<int> code;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!(code = (*child)->exit_status()) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  (*child)->stop();
  if (!code || *code != 0)
    return make_error("certs.generate", certgen + " " + dir + (code ? " " + describe_exit(*code) : " did not finish"));
  return {};
}

std::string tether_home() {
  if (const char* v = std::getenv("TETHER_HOME"); v && *v) return v;
  return TETHER_SOURCE_ROOT;
}

result<std::vector<knob_info>> describe_knobs(role r) {
  spawn_options o;
  o.argv = {mock_binary(r), "--describe-knobs"};
  o.label = std::string("tether-") + to_string(r) + " --describe-knobs";
  auto child = child_process::spawn(o);
  if (!child) return child.err();
  std::string text = (*child)->read_all(std::chrono::steady_clock::now() + std::chrono::seconds(20));
  (*child)->stop();
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded())
    return make_error("knobs.output", o.argv[0] + " --describe-knobs did not print JSON");
  auto parsed = knob_catalog::parse_description(j);
  if (!parsed) return make_error("knobs.output", o.argv[0] + ": " + parsed.err().message);
  return parsed;
}

knob_catalog load_knob_catalog() {
  knob_catalog c;
  for (role r : {role::as, role::rs, role::client}) {
    if (!mock_binary_exists(r)) {
      c.set_unavailable(r, mock_binary(r) + " is not built");
      continue;
    }
    auto k = describe_knobs(r);
    if (k) c.set(r, std::move(*k));
    else c.set_unavailable(r, k.err().message);
  }
  return c;
}

std::string mock_config::key() const {
  nlohmann::json j = {{"role", to_string(r)}, {"settings", settings}, {"knobs", knobs},
                      {"trusts", trusts.is_object() ? trusts.value("issuer", std::string()) : std::string()},
                      {"fixed", fixed}};
  return j.dump();
}

mock_launch mock_command(const mock_config& c, const std::string& event_log, const std::string& certs_dir,
                         const std::string& clients_file, const knob_catalog& knobs, const std::string& private_stem) {
  mock_launch l;
  auto& a = l.argv;
  a.push_back(mock_binary(c.r));
  a.insert(a.end(), {"--event-log", event_log, "--certs", certs_dir});
  bool fixed_port = false;
  if (c.r == role::as) {
    if (c.fixed.is_object()) {
      if (c.fixed.contains("port")) {
        a.insert(a.end(), {"--port", c.fixed["port"].dump()});
        fixed_port = true;
      }
      if (c.fixed.contains("signing_key")) a.insert(a.end(), {"--signing-key", c.fixed["signing_key"].get<std::string>()});
      if (c.fixed.contains("issuer")) a.insert(a.end(), {"--issuer", c.fixed["issuer"].get<std::string>()});
    }
    if (!fixed_port) a.insert(a.end(), {"--port", "0"});
    a.insert(a.end(), {"--mtls-port", "0", "--clients", clients_file});
  } else if (c.r == role::rs) {
    a.insert(a.end(), {"--port", "0"});
    a.insert(a.end(), {"--issuer", c.trusts.value("issuer", std::string()),
                       "--jwks-uri", c.trusts.value("jwks_uri", std::string())});
    a.insert(a.end(), {"--client-cert-mode", c.settings.value("client_cert_mode", std::string("optional"))});
    if (c.settings.value("token_format", std::string("jwt")) == "introspection") {
      std::string credentials = c.trusts.value("introspection_client", std::string());
      std::string file = private_stem + ".introspection-client";
      a.insert(a.end(), {"--introspection", c.trusts.value("introspection_endpoint", std::string()),
                         "--introspection-client-file", file});
      l.secret_files[file] = credentials + "\n";
      if (auto colon = credentials.find(':'); colon != std::string::npos && colon + 1 < credentials.size())
        l.secrets.push_back(credentials.substr(colon + 1));
    }
  }
  for (const auto& [name, value] : c.settings.items()) {
    if (c.r == role::rs && name == "client_cert_mode") continue;
    if (knobs.find(c.r, name)) a.insert(a.end(), {"--knob", name + "=" + value_text(value)});
    else a.insert(a.end(), {dashed(name), value_text(value)});
  }
  for (const auto& [name, value] : c.knobs.items()) a.insert(a.end(), {"--knob", name + "=" + value_text(value)});
  return l;
}

status check_ready_line(role r, const nlohmann::json& ready) {
  if (!ready.is_object() || ready.value("ready", false) != true)
    return make_error("mock.ready", "the ready line is not {\"ready\": true, ...}");
  std::vector<const char*> needed;
  if (r == role::as) needed = {"issuer", "token_endpoint"};
  else if (r == role::rs) needed = {"url"};
  for (const char* k : needed)
    if (!ready.contains(k) || !ready[k].is_string())
      return make_error("mock.ready", std::string("the ready line lacks \"") + k + "\"");
  return {};
}

std::vector<std::string> client_worker_command(const std::string& certs_dir) {
  return {mock_binary(role::client), "serve", "--certs", certs_dir};
}

std::vector<std::string> client_flow_command(const std::string& flow, const nlohmann::json& knobs,
                                             const std::string& certs_dir) {
  std::vector<std::string> a = {mock_binary(role::client), "flow", flow, "--certs", certs_dir};
  for (const auto& [name, value] : knobs.items()) a.insert(a.end(), {"--knob", name + "=" + value_text(value)});
  return a;
}

}  // namespace tether::runner
