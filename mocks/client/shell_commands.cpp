#include "mocks/client/shell_commands.hpp"

#include <unistd.h>

#include <fstream>

#include "core/dpop/proof_builder.hpp"
#include "mocks/client/discovery.hpp"
#include "mocks/client/key_file.hpp"
#include "mocks/client/observation.hpp"
#include "mocks/client/proofs.hpp"
#include "mocks/client/step_executor.hpp"

namespace tether::client {
namespace {

using nlohmann::json;

bool readable(const std::string& path) { return !path.empty() && access(path.c_str(), R_OK) == 0; }

int bad_input(std::ostream& err, const std::string& message) {
  err << "tether-client: " << message << "\n";
  return exit_shell_bad_input;
}

// A PEM file as given, or a suite certificate name resolved in the certificate set.
result<tls_settings> connection_settings(const shell_common& c) {
  tls_settings t;
  t.ca_file = c.ca_file;
  if (t.ca_file.empty() && readable(c.certs_dir + "/ca.crt")) t.ca_file = c.certs_dir + "/ca.crt";
  if (c.cert.empty()) return t;
  if (readable(c.cert)) {
    t.cert_file = c.cert;
    t.key_file = c.key;
    if (t.key_file.empty()) return make_error("shell.key", "--cert " + c.cert + " needs --key FILE");
  } else if (readable(c.certs_dir + "/" + c.cert + ".crt")) {
    t.cert_file = c.certs_dir + "/" + c.cert + ".crt";
    t.key_file = c.key.empty() ? c.certs_dir + "/" + c.cert + ".key" : c.key;
    t.cert_name = c.cert;
  } else {
    return make_error("shell.cert", "--cert " + c.cert + " is neither a readable file nor a certificate of " + c.certs_dir);
  }
  if (!readable(t.key_file)) return make_error("shell.key", "cannot read the key file " + t.key_file);
  return t;
}

// The DPoP proof options of a shell command; the key file's key becomes the run's key "k1".
result<std::optional<proof_options>> proof_settings(const shell_common& c, run_state& state) {
  if (!c.dpop) {
    if (!c.key_file.empty() || !c.defects.empty()) return make_error("shell.dpop", "--key-file and --defect need --dpop");
    return std::optional<proof_options>();
  }
  proof_options p;
  p.alg = c.alg;
  p.nonce = c.nonce;
  p.retry_on_nonce = c.retry_on_nonce;
  auto defects = defects_from_assignments(c.defects);
  if (!defects) return defects.err();
  auto parsed = dpop::proof_defects::from_json(*defects);
  if (!parsed) return make_error("shell.defect", "--defect: " + parsed.err().message);
  p.defects = std::move(*parsed);
  if (!c.key_file.empty()) {
    bool created = false;
    auto key = load_or_create_key(c.key_file, c.alg, created);
    if (!key) return key.err();
    state.set_key(p.key, std::move(*key));
  }
  return std::optional<proof_options>(std::move(p));
}

result<string_pairs> assignments(const std::vector<std::string>& items, const char* option) {
  string_pairs out;
  for (const auto& item : items) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error("shell.param", std::string(option) + " expects name=value, got \"" + item + "\"");
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

int print_observation(json obs, const shell_common& c, std::ostream& out) {
  // One attempt repeats the top-level request and response: shown only when there was a retry.
  if (obs.contains("attempts") && obs["attempts"].size() == 1) obs.erase("attempts");
  out << (c.pretty ? obs.dump(2, ' ', false, json::error_handler_t::replace) : dump_line(obs)) << "\n";
  const int status = obs.contains("response") ? obs["response"].value("status", 0) : 0;
  return status >= 200 && status < 300 ? exit_shell_ok : exit_shell_rejected;
}

std::string auth_method_for(const token_command& c, const tls_settings& tls) {
  if (c.auth != "auto") return c.auth;
  if (!tls.cert_file.empty()) return "tls_client_auth";
  return c.secret.empty() ? "none" : "client_secret_basic";
}

}  // namespace

result<json> defects_from_assignments(const std::vector<std::string>& items) {
  json out = json::object();
  for (const auto& item : items) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error("shell.defect", "--defect expects name=value, got \"" + item + "\"");
    const std::string name = item.substr(0, eq), text = item.substr(eq + 1);
    json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
    // "htm=PUT" is text; "iat_offset_s=-600" a number. Text wins when the defect wants text.
    if (value.is_discarded() || (!value.is_string() && !dpop::proof_defects::from_json(json{{name, value}}).ok()))
      value = text;
    out[name] = value;
  }
  return out;
}

int run_token_command(const token_command& given, transport& net, std::ostream& out, std::ostream& err) {
  token_command c = given;
  if (!c.secret_file.empty()) {
    // A secret on the command line is visible to every user in ps (/proc/PID/cmdline); a
    // file of mode 0600 is not. The error names the file, never its content.
    if (!c.secret.empty()) return bad_input(err, "give --secret or --secret-file, not both");
    std::ifstream in(c.secret_file, std::ios::binary);
    if (!in) return bad_input(err, "cannot read --secret-file " + c.secret_file);
    std::getline(in, c.secret);
    if (!c.secret.empty() && c.secret.back() == '\r') c.secret.pop_back();
    if (c.secret.empty()) return bad_input(err, "--secret-file " + c.secret_file + ": the first line is empty");
  }
  if (c.as.empty()) return bad_input(err, "--as ISSUER_OR_TOKEN_URL is required");
  if (c.endpoint != "auto" && c.endpoint != "mtls" && c.endpoint != "main")
    return bad_input(err, "--endpoint must be auto, mtls or main");
  auto tls = connection_settings(c.common);
  if (!tls) return bad_input(err, tls.err().message);
  run_state state;
  auto proof = proof_settings(c.common, state);
  if (!proof) return bad_input(err, proof.err().message);
  auto params = assignments(c.params, "--param");
  if (!params) return bad_input(err, params.err().message);

  step_executor executor(net, {tls->ca_file, nullptr});
  json discovery = {{"metadata_url", metadata_url(c.as)}};
  std::string endpoint = c.as;
  auto found = discover(executor, state, c.as, *tls, c.common.timeout_ms, c.common.trace);
  if (found) {
    const bool alias = c.endpoint == "mtls" || (c.endpoint == "auto" && !tls->cert_file.empty());
    endpoint = endpoint_for(found->metadata, "token_endpoint", alias);
    if (endpoint.empty()) return bad_input(err, "the metadata of " + c.as + " has no token_endpoint");
    discovery["used"] = true;
  } else if (found.err().code == "discover.issuer") {
    return bad_input(err, found.err().message);
  } else {
    discovery["used"] = false;
    discovery["error"] = found.err().message;
  }

  resolved_step s;
  s.name = "token";
  s.action = "token";
  s.url = endpoint;
  s.trace = c.common.trace;
  s.timeout_ms = c.common.timeout_ms;
  s.tls = *tls;
  s.client = {c.client_id, auth_method_for(c, *tls), c.secret.empty() ? std::nullopt : std::optional(c.secret)};
  s.grant = c.grant;
  auto opt = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
  s.code = opt(c.code);
  s.code_verifier = opt(c.code_verifier);
  s.redirect_uri = opt(c.redirect_uri);
  s.refresh_token = opt(c.refresh_token);
  s.scope = opt(c.scope);
  s.params = std::move(*params);
  s.omit_params = c.omit;
  s.dpop = *proof;
  if (s.client.client_id.empty() && s.client.auth_method != "none") return bad_input(err, "--client-id is required");
  auto obs = executor.run(state, s);
  if (!obs) return bad_input(err, obs.err().message);
  (*obs)["discovery"] = discovery;
  return print_observation(*obs, c.common, out);
}

int run_call_command(const call_command& c, transport& net, std::ostream& out, std::ostream& err) {
  if (c.url.empty()) return bad_input(err, "the URL to call is required");
  auto tls = connection_settings(c.common);
  if (!tls) return bad_input(err, tls.err().message);
  run_state state;
  auto proof = proof_settings(c.common, state);
  if (!proof) return bad_input(err, proof.err().message);

  resolved_step s;
  s.name = "call";
  s.action = "resource";
  s.url = c.url;
  s.method = c.method;
  s.trace = c.common.trace;
  s.timeout_ms = c.common.timeout_ms;
  s.tls = *tls;
  if (!c.token.empty()) s.access_token = c.token;
  if (!c.token_type.empty()) s.token_type = c.token_type;
  s.scheme = c.scheme;
  s.token_in = c.token_in;
  s.authorization_headers = c.authorization_headers;
  for (const auto& h : c.headers) {
    auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0) return bad_input(err, "--header expects \"Name: value\", got \"" + h + "\"");
    std::string value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    s.headers.emplace_back(h.substr(0, colon), value);
  }
  if (!c.forwarded_format.empty()) {
    auto format = tls::forwarded_format_from_string(c.forwarded_format);
    if (!format) return bad_input(err, "--forwarded-format: " + format.err().message);
    forwarded_cert_options f;
    f.format = *format;
    f.via = tls->cert_name == "proxy" ? "proxy" : "direct";
    if (!c.forwarded_value.empty()) f.value = c.forwarded_value;
    if (!c.forwarded_cert.empty()) {
      shell_common named = c.common;
      named.cert = c.forwarded_cert;
      named.key.clear();
      auto where = connection_settings(named);
      if (!where) return bad_input(err, "--forwarded-cert: " + where.err().message);
      f.cert_file = where->cert_file;
      f.cert_name = where->cert_name;
    }
    if (!f.value && f.cert_file.empty()) return bad_input(err, "--forwarded-format needs --forwarded-cert or --forwarded-value");
    s.forwarded_cert = f;
  } else if (!c.forwarded_cert.empty() || !c.forwarded_value.empty()) {
    return bad_input(err, "--forwarded-cert and --forwarded-value need --forwarded-format");
  }
  s.dpop = *proof;
  step_executor executor(net, {tls->ca_file, nullptr});
  if (s.token_in != "header" && s.token_in != "body" && s.token_in != "query" && s.token_in != "header_and_body")
    return bad_input(err, "--token-in must be header, body, query or header_and_body");
  auto obs = executor.run(state, s);
  if (!obs) return bad_input(err, obs.err().message);
  return print_observation(*obs, c.common, out);
}

int run_proof_command(const proof_command& c, std::ostream& out, std::ostream& err) {
  if (c.htu.empty()) return bad_input(err, "--htu URL is required");
  if (c.key_file.empty()) return bad_input(err, "--key-file FILE is required (created when it does not exist)");
  auto defects_json = defects_from_assignments(c.defects);
  if (!defects_json) return bad_input(err, defects_json.err().message);
  auto defects = dpop::proof_defects::from_json(*defects_json);
  if (!defects) return bad_input(err, "--defect: " + defects.err().message);
  bool created = false;
  auto key = load_or_create_key(c.key_file, c.alg, created);
  if (!key) return bad_input(err, key.err().message);
  if (created) err << "tether-client: created the key file " << c.key_file << "\n";
  dpop::proof_spec spec;
  spec.htm = c.htm;
  spec.htu = c.htu;
  if (!c.ath_of.empty()) spec.access_token = c.ath_of;
  if (!c.nonce.empty()) spec.nonce = c.nonce;
  spec.iat = unix_seconds();
  spec.alg = c.alg;
  auto proof = dpop::build_proof(*key, spec, *defects);
  if (!proof) return bad_input(err, proof.err().message);
  if (c.json) {
    out << json{{"proof", proof->compact}, {"header", proof->header}, {"claims", proof->claims},
                {"jkt", proof->jkt}, {"defects", proof->defects}}
               .dump(2, ' ', false, json::error_handler_t::replace)
        << "\n";
  } else {
    out << proof->compact << "\n";
  }
  return exit_shell_ok;
}

}  // namespace tether::client
