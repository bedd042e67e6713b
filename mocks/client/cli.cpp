// tether-client's command line: one CLI11 app with the serve, token, call, proof and flow
// subcommands. Bad input (unknown option, missing value, unknown knob) exits 2 with a message
// naming it; --help explains every option.

#include "mocks/client/cli.hpp"

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "mocks/client/client_config.hpp"
#include "mocks/client/flow.hpp"
#include "mocks/client/serve.hpp"
#include "mocks/client/shell_commands.hpp"
#include "mocks/common/mock_cli.hpp"

namespace tether::client {
namespace {

const char* const description =
    "tether-client: a mock OAuth 2.0 client for sender-constrained access tokens (RFC 8705 mutual\n"
    "TLS, RFC 9449 DPoP). It asks for tokens and calls resources, correctly or with a named defect,\n"
    "and prints exactly what it sent and what came back as JSON.";

const char* const footer =
    "\nExit status: token/call 0 for a 2xx answer, 1 for any other answer or none; proof 0; flow 0\n"
    "(success), 1 (failure), 89 (not supported); 2 for bad input everywhere.\n"
    "See mocks/client/README.md and docs/client-protocol.md.";

void add_connection(CLI::App* cmd, shell_common& c) {
  cmd->add_option("--certs", c.certs_dir, "certificate set: its ca.crt is the default --ca and --cert NAME is looked up there");
  cmd->add_option("--ca", c.ca_file, "trust anchors for the server, PEM");
  cmd->add_option("--cert", c.cert, "client certificate: a PEM file, or a suite name (client-a, proxy, ...)");
  cmd->add_option("--key", c.key, "its private key, PEM (default: the suite's for a name)");
  cmd->add_option("--timeout-ms", c.timeout_ms, "time for the whole exchange, nonce retry included (default 10000)")
      ->check(CLI::Range(1, 600000));
  cmd->add_option("--trace", c.trace, "Tether-Trace header value (the mocks log it)");
  cmd->add_flag("--dpop", c.dpop, "send a DPoP proof (RFC 9449)");
  cmd->add_option("--alg", c.alg, "JWS alg of a new DPoP key (default ES256)");
  cmd->add_option("--key-file", c.key_file, "DPoP key, PEM; created when missing, so later commands reuse it");
  cmd->add_option("--nonce", c.nonce, "proof nonce: auto (retry once on use_dpop_nonce), none, or a literal");
  cmd->add_flag("--no-retry{false}", c.retry_on_nonce, "do not retry on use_dpop_nonce");
  cmd->add_option("--defect", c.defects, "proof defect name=value (repeatable): htm=PUT, ath=other_token, omit_claims='[\"ath\"]', iat_offset_s=-600, ...");
  cmd->add_flag("--compact{false}", c.pretty, "print the observation on one line");
}

struct serve_args {
  std::string certs_dir;
  std::string ca_file;
};

struct flow_args {
  std::string name;
  std::vector<std::string> knobs;
  std::string certs_dir;
  bool verbose = false;
};

int serve(const serve_args& a) {
  std::string ca = a.ca_file;
  std::string certs = a.certs_dir.empty() ? mocks::default_certs_dir() : a.certs_dir;
  if (ca.empty()) ca = certs + "/ca.crt";
  https_transport net;
  step_executor executor(net, {ca, nullptr});
  serve_loop loop(executor);
  std::ios::sync_with_stdio(false);
  loop.run(std::cin, std::cout);
  return 0;
}

int flow(const flow_args& a) {
  client_config config;
  for (const auto& k : a.knobs) {
    if (auto s = client_knobs().assign(config, k); !s) {
      std::cerr << "tether-client: " << s.err().message << "\n";
      return exit_flow_bad_input;
    }
  }
  flow_env env = read_flow_env([](const char* n) { return std::getenv(n); }, a.name);
  const std::string certs = a.certs_dir.empty() ? mocks::default_certs_dir() : a.certs_dir;
  https_transport net;
  step_executor executor(net, {env.ca_file.empty() ? certs + "/ca.crt" : env.ca_file, nullptr});
  flow_result r = run_flow(env, config, executor, certs, a.verbose);
  std::cout << r.summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  if (r.exit_code != exit_flow_ok) std::cerr << "tether-client flow: " << r.summary.value("reason", std::string()) << "\n";
  return r.exit_code;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{description, "tether-client"};
  app.footer(footer);
  app.require_subcommand(0, 1);
  bool describe = false;
  app.add_flag("--describe-knobs", describe, "print the flow mode's knob table as JSON and exit");

  serve_args sa;
  auto* serve_cmd = app.add_subcommand("serve", "JSON lines on stdin, one observation line per request on stdout (docs/client-protocol.md)");
  serve_cmd->add_option("--certs", sa.certs_dir, "certificate set; its ca.crt is the default trust anchor");
  serve_cmd->add_option("--ca", sa.ca_file, "default trust anchors when a step names none");

  token_command tc;
  auto* token_cmd = app.add_subcommand("token", "ask a token endpoint for a token and print the observation");
  token_cmd->add_option("--as", tc.as, "issuer (metadata is discovered, RFC 8414) or token endpoint URL")->required();
  token_cmd->add_option("--client-id", tc.client_id, "client_id");
  token_cmd->add_option("--auth", tc.auth, "auto, tls_client_auth, self_signed_tls_client_auth, client_secret_basic, client_secret_post, none")
      ->check(CLI::IsMember({"auto", "tls_client_auth", "self_signed_tls_client_auth", "client_secret_basic", "client_secret_post", "none"}));
  token_cmd->add_option("--secret", tc.secret, "client secret (visible in ps: prefer --secret-file)");
  token_cmd->add_option("--secret-file", tc.secret_file,
                        "a file whose first line is the client secret (keep it mode 0600); keeps it off the command line");
  token_cmd->add_option("--endpoint", tc.endpoint, "auto (mtls_endpoint_aliases with a certificate, RFC 8705 5), mtls, main");
  token_cmd->add_option("--grant", tc.grant, "client_credentials, authorization_code, refresh_token")
      ->check(CLI::IsMember({"client_credentials", "authorization_code", "refresh_token"}));
  token_cmd->add_option("--code", tc.code, "authorization code");
  token_cmd->add_option("--code-verifier", tc.code_verifier, "PKCE code_verifier");
  token_cmd->add_option("--redirect-uri", tc.redirect_uri, "redirect_uri of the authorization request");
  token_cmd->add_option("--refresh-token", tc.refresh_token, "refresh token");
  token_cmd->add_option("--scope", tc.scope, "scope");
  token_cmd->add_option("--param", tc.params, "extra or overriding form parameter name=value (repeatable)");
  token_cmd->add_option("--omit", tc.omit, "form parameter to leave out (repeatable), e.g. client_id");
  add_connection(token_cmd, tc.common);

  call_command cc;
  auto* call_cmd = app.add_subcommand("call", "call a protected resource and print the observation");
  call_cmd->add_option("url", cc.url, "the resource URL")->required();
  call_cmd->add_option("--token", cc.token, "the access token");
  call_cmd->add_option("--token-type", cc.token_type, "its token_type (scheme auto: DPoP for DPoP)");
  call_cmd->add_option("--scheme", cc.scheme, "auto, Bearer, DPoP, any text, or none (no Authorization header)");
  call_cmd->add_option("--method", cc.method, "request method (default GET)");
  call_cmd->add_option("--token-in", cc.token_in, "header, body, query, header_and_body");
  call_cmd->add_option("--authorization-headers", cc.authorization_headers, "how many Authorization fields (default 1)")
      ->check(CLI::Range(0, 8));
  call_cmd->add_option("--header", cc.headers, "extra header \"Name: value\" (repeatable)");
  call_cmd->add_option("--forwarded-format", cc.forwarded_format, "add a forwarded client certificate: rfc9440, xfcc, escaped_pem, base64_der");
  call_cmd->add_option("--forwarded-cert", cc.forwarded_cert, "the certificate to forward: a PEM file or a suite name");
  call_cmd->add_option("--forwarded-value", cc.forwarded_value, "a literal forwarded-certificate header value");
  add_connection(call_cmd, cc.common);

  proof_command pc;
  auto* proof_cmd = app.add_subcommand("proof", "print a DPoP proof (for curl -H \"DPoP: $(tether-client proof ...)\")");
  proof_cmd->add_option("--htm", pc.htm, "request method (default POST)");
  proof_cmd->add_option("--htu", pc.htu, "request URL (query and fragment are left out of htu)")->required();
  proof_cmd->add_option("--ath-of", pc.ath_of, "access token: adds ath, its SHA-256 hash (RFC 9449 4.2)");
  proof_cmd->add_option("--nonce", pc.nonce, "server nonce to include");
  proof_cmd->add_option("--key-file", pc.key_file, "private key, PEM; created when missing")->required();
  proof_cmd->add_option("--alg", pc.alg, "JWS alg (default: ES256 for a new key, the key's own otherwise)");
  proof_cmd->add_option("--defect", pc.defects, "proof defect name=value (repeatable)");
  proof_cmd->add_flag("--json", pc.json, "print the proof with its decoded header, claims and jkt");

  flow_args fa;
  auto* flow_cmd = app.add_subcommand("flow", "run as a client application under test with the TETHER_* environment");
  flow_cmd->add_option("name", fa.name, "token, token+resource, refresh+resource, code+resource (default $TETHER_FLOW)");
  flow_cmd->add_option("--knob", fa.knobs, "name=value (repeatable; knobs below)");
  flow_cmd->add_option("--certs", fa.certs_dir, "certificate set (other_cert_at_rs takes its certificate there)");
  flow_cmd->add_flag("--verbose", fa.verbose, "add every step's full observation to the summary");
  flow_cmd->add_flag("--describe-knobs", describe, "print the knob table as JSON and exit");
  flow_cmd->footer("\nEnvironment (targets/README.md): TETHER_AS_ISSUER, TETHER_AS_METADATA, TETHER_RS_URL,\n"
                   "TETHER_CA_FILE, TETHER_CLIENT_ID, TETHER_CLIENT_AUTH_METHOD, TETHER_CLIENT_SECRET,\n"
                   "TETHER_CLIENT_CERT, TETHER_CLIENT_KEY, TETHER_BINDING, TETHER_DPOP_ALG, TETHER_FLOW,\n"
                   "TETHER_SCOPE; optional TETHER_REDIRECT_URI, TETHER_TRACE.\n\nKnobs:\n" +
                   client_knobs().help());

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : exit_shell_bad_input;
  }
  if (describe) {
    std::cout << client_knobs().describe().dump(2) << std::endl;
    return 0;
  }
  https_transport net;
  if (serve_cmd->parsed()) return serve(sa);
  if (flow_cmd->parsed()) return flow(fa);
  if (proof_cmd->parsed()) return run_proof_command(pc, std::cout, std::cerr);
  auto certs = [](shell_common& c) {
    if (c.certs_dir.empty()) c.certs_dir = mocks::default_certs_dir();
  };
  if (token_cmd->parsed()) {
    certs(tc.common);
    return run_token_command(tc, net, std::cout, std::cerr);
  }
  if (call_cmd->parsed()) {
    certs(cc.common);
    return run_call_command(cc, net, std::cout, std::cerr);
  }
  std::cerr << app.help() << "\n";
  return exit_shell_bad_input;
}

}  // namespace tether::client
