#include "runner/client_under_test.hpp"

#include <thread>

#include "runner/mock_commands.hpp"
#include "runner/process.hpp"

namespace tether::runner {

std::map<std::string, std::string> client_environment(const client_run_request& rq) {
  const client_registration& reg = *rq.reg;
  std::string cert_file, key_file;
  if (reg.cert) {
    resolve_context rc;
    rc.tgt = rq.tgt;
    rc.certs_dir = rq.certs_dir;
    nlohmann::json tls = tls_block("", *reg.cert, rc);
    cert_file = tls["cert_file"].get<std::string>();
    key_file = tls["key_file"].get<std::string>();
  }
  return {{"TETHER_AS_ISSUER", rq.ep.issuer},
          {"TETHER_AS_METADATA", rq.ep.metadata_url},
          {"TETHER_RS_URL", rq.ep.rs_resource},
          {"TETHER_CA_FILE", rq.ep.as_ca_file},
          {"TETHER_CERTS", rq.certs_dir},
          {"TETHER_CLIENT_ID", reg.client_id},
          {"TETHER_CLIENT_AUTH_METHOD", reg.auth_method},
          {"TETHER_CLIENT_SECRET", reg.secret.value_or("")},
          {"TETHER_CLIENT_CERT", cert_file},
          {"TETHER_CLIENT_KEY", key_file},
          {"TETHER_BINDING", rq.binding},
          {"TETHER_DPOP_ALG", reg.dpop_alg.value_or("ES256")},
          {"TETHER_FLOW", rq.flow},
          {"TETHER_SCOPE", ""},
          {"TETHER_TRACE", rq.trace}};
}

client_run_outcome run_client_under_test(const client_run_request& rq) {
  const target& t = *rq.tgt;
  const role_settings& cs = t.settings.at(role::client);
  spawn_options o;
  o.argv = t.is_builtin(role::client) ? client_flow_command(rq.flow, cs.knobs, rq.certs_dir) : cs.command;
  if (!t.is_builtin(role::client)) o.cwd = t.dir;  // its command is written relative to the target file
  o.pipe_stdout = true;
  o.stderr_file = rq.stderr_file;
  o.label = "client under test";
  o.env = client_environment(rq);
  client_run_outcome out;
  auto t0 = std::chrono::steady_clock::now();
  auto child = child_process::spawn(o);
  if (!child) {
    out.start_error = child.err().message;
    return out;
  }
  // Ends when the client exits, even if something it left in the background holds its output
  // open; stop() then kills that (child_process.hpp).
  std::string text = (*child)->read_all(rq.deadline);
  std::optional<int> code;
  while (!(code = (*child)->exit_status()) && std::chrono::steady_clock::now() < rq.deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  (*child)->stop();
  out.exit_code = code;
  out.stdout_tail = text.size() > 4000 ? text.substr(text.size() - 4000) : text;
  out.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace tether::runner
