#include "e2e_world.hpp"

#include <memory>

#include <gtest/gtest.h>

#include "support.hpp"

namespace tether::client::testing {
namespace {

struct world_config {
  std::vector<std::string> as_knobs;
  std::vector<std::string> rs_args;
};

world_config config_of(const std::string& name) {
  if (name == "nonces") return {{"require_nonce=true"}, {"--knob", "require_nonce=true"}};
  if (name == "bearer_type") return {{"token_type_bearer_for_dpop=true"}, {}};
  return {};
}

}  // namespace

std::string world::ca() const { return certs_dir() + "/ca.crt"; }

world& world_named(const std::string& name) {
  // Kept until the program ends; child_process's destructor stops each mock by its PID.
  static std::map<std::string, std::unique_ptr<world>> worlds;
  auto it = worlds.find(name);
  if (it != worlds.end()) return *it->second;
  auto w = std::make_unique<world>();
  world_config c = config_of(name);
  w->as = start_as(c.as_knobs);
  if (w->as.process) w->rs = start_rs(w->as, c.rs_args);
  if (!w->ok())
    ADD_FAILURE() << "world \"" << name << "\" did not start: " << read_text(w->as.stderr_file)
                  << read_text(w->rs.stderr_file);
  return *worlds.emplace(name, std::move(w)).first->second;
}

nlohmann::json builtin_client(const std::string& name) {
  static const nlohmann::json registry =
      nlohmann::json::parse(read_text(std::string(TETHER_SOURCE_ROOT) + "/targets/builtin-clients.json"));
  return registry["clients"].value(name, nlohmann::json::object());
}

flow_run run_flow_process(world& w, const std::string& flow, const std::string& client, const std::string& binding,
                          const std::vector<std::string>& knobs, const std::map<std::string, std::string>& env_overrides) {
  flow_run out;
  out.trace = unique("flow");
  nlohmann::json reg = builtin_client(client);
  std::string cert_file, key_file;
  if (reg.contains("cert")) {
    cert_file = certs_dir() + "/" + reg["cert"].get<std::string>() + ".crt";
    key_file = certs_dir() + "/" + reg["cert"].get<std::string>() + ".key";
  }
  std::map<std::string, std::string> env = {
      {"TETHER_AS_ISSUER", w.issuer()},
      {"TETHER_AS_METADATA", w.issuer() + "/.well-known/oauth-authorization-server"},
      {"TETHER_RS_URL", w.resource()},
      {"TETHER_CA_FILE", w.ca()},
      {"TETHER_CLIENT_ID", reg.value("client_id", client)},
      {"TETHER_CLIENT_AUTH_METHOD", reg.value("token_endpoint_auth_method", "none")},
      {"TETHER_CLIENT_SECRET", reg.value("client_secret", "")},
      {"TETHER_CLIENT_CERT", cert_file},
      {"TETHER_CLIENT_KEY", key_file},
      {"TETHER_BINDING", binding},
      {"TETHER_DPOP_ALG", "ES256"},
      {"TETHER_FLOW", flow},
      {"TETHER_SCOPE", ""},
      {"TETHER_TRACE", out.trace}};
  for (const auto& [k, v] : env_overrides) env[k] = v;
  std::vector<std::string> argv = {client_binary(), "flow", flow, "--verbose", "--certs", certs_dir()};
  for (const auto& k : knobs) argv.insert(argv.end(), {"--knob", k});
  const std::string err = make_temp_dir("flow") + "/stderr.log";
  child_process p(argv, env, false, err);
  out.exit_code = p.wait_exit(120000, &out.output);
  auto nl = out.output.find('\n');
  out.summary = nlohmann::json::parse(out.output.substr(0, nl), nullptr, false);
  return out;
}

std::vector<nlohmann::json> as_events(const world& w, const std::string& trace, const std::string& endpoint) {
  return events_for(w.as.event_log, trace + "/", endpoint);
}

std::vector<nlohmann::json> rs_events(const world& w, const std::string& trace) {
  return events_for(w.rs.event_log, trace + "/", "resource");
}

}  // namespace tether::client::testing
