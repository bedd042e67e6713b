// tether-as: the mock authorization server, as a process. Reads its options, config file and
// knobs, binds the main and mutual-TLS listeners, prints one JSON ready line and serves until
// SIGTERM or SIGINT. Bad input (flag, config file, knob, client registry, key) exits 2 with a
// message naming it.


#include <cstdio>
#include <iostream>
#include <memory>
#include <set>

#include <CLI/CLI.hpp>

#include "core/http/https_server.hpp"
#include "mocks/as/as_config.hpp"
#include "mocks/as/as_server.hpp"
#include "mocks/as/signing_key.hpp"
#include "mocks/as/token_profiles.hpp"
#include "mocks/common/event_log.hpp"
#include "mocks/common/mock_cli.hpp"

namespace {

using namespace tether;

constexpr int exit_runtime = 1;

int bad_input(const std::string& message) {
  std::fprintf(stderr, "tether-as: %s\n", message.c_str());
  return mocks::exit_bad_input;
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// RFC 8414 2: an https URL without query or fragment. Returns "" or what is wrong.
std::string issuer_problem(const std::string& issuer) {
  if (issuer.rfind("https://", 0) != 0) return "must start with https://";
  if (issuer.find_first_of("?#") != std::string::npos) return "must not have a query or fragment";
  if (issuer.size() <= 8) return "has no host";
  return "";
}

// The issuer's "https://host" part and its path, to build the mTLS origin on the same host.
std::pair<std::string, std::string> split_issuer(const std::string& issuer) {
  auto slash = issuer.find('/', 8);
  std::string authority = slash == std::string::npos ? issuer : issuer.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : issuer.substr(slash);
  while (!path.empty() && path.back() == '/') path.pop_back();
  auto bracket = authority.rfind(']');
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && colon > 6 && (bracket == std::string::npos || colon > bracket))
    authority = authority.substr(0, colon);
  return {authority, path};
}

const char* const config_help = R"(
Config file (--config FILE, JSON; command-line flags win): members port, mtls_port, issuer,
signing_key, clients, introspection_client, host, certs, cert, key, ca, event_log, threads, and
"knobs": {"name": value, ...}. Relative paths are relative to the file.

Knobs (--knob name=value, repeatable; --describe-knobs prints them as JSON):
)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tether-as: mock OAuth 2.0 authorization server for certificate-bound (RFC 8705) "
               "and DPoP-bound (RFC 9449) access tokens. Prints one JSON line once listening."};
  mocks::common_options common;
  as::as_options options;
  std::vector<std::string> knob_args;
  mocks::add_common_options(app, common);
  app.add_option("--port", options.port, "main listener port (0 = ephemeral)")->check(CLI::Range(0, 65535));
  app.add_option("--mtls-port", options.mtls_port, "mutual-TLS listener port, published as mtls_endpoint_aliases (0 = ephemeral)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--issuer", options.issuer, "issuer URL (default https://<host>:<port>); endpoints go below it");
  app.add_option("--signing-key", options.signing_key,
                 "access-token signing key, PEM; generated into this file when it does not exist (default: a fresh key per run)");
  app.add_option("--clients", options.clients_file, "client registry, tether-clients/1 JSON (default targets/builtin-clients.json)");
  app.add_option("--introspection-client", options.introspection_client, "client_id allowed to introspect (default rs)");
  std::string profiles_file;
  app.add_option("--token-profiles", profiles_file,
                 "token profiles, {\"<handle>\": {knob: value}}: a token request with the header "
                 "Tether-Token-Profile: <handle> gets a token shaped by those knobs (only the per_token ones; "
                 "handles of at least 32 characters). Read before the ready line; keep the file private");
  app.footer(std::string(config_help) + as::knobs().help());
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return mocks::exit_bad_input;
  }
  if (common.describe_knobs) {
    std::cout << as::describe_knobs().dump(2) << std::endl;
    return 0;
  }

  as::as_config config;
  if (!common.config_file.empty()) {
    auto file = mocks::load_json_file(common.config_file);
    if (!file) return bad_input(file.err().message);
    std::set<std::string> given;
    const std::pair<const char*, const char*> flags[] = {
        {"port", "--port"}, {"mtls_port", "--mtls-port"}, {"issuer", "--issuer"},
        {"signing_key", "--signing-key"}, {"clients", "--clients"},
        {"introspection_client", "--introspection-client"}, {"host", "--host"}, {"certs", "--certs"},
        {"cert", "--cert"}, {"key", "--key"}, {"ca", "--ca"}, {"event_log", "--event-log"},
        {"threads", "--threads"}};
    for (const auto& [member, flag] : flags)
      if (app.count(flag) > 0) given.insert(member);
    if (auto s = as::apply_config_file(*file, common.config_file, given, options, common, config); !s)
      return bad_input(s.err().message);
  }
  for (const auto& k : common.knobs)
    if (auto s = as::knobs().assign(config, k); !s) return bad_input(s.err().message);
  if (auto s = as::validate(config); !s) return bad_input(s.err().message);

  if (!options.issuer.empty())
    if (auto why = issuer_problem(options.issuer); !why.empty()) return bad_input("--issuer " + options.issuer + " " + why);
  if (auto s = mocks::resolve_certificate_paths(common); !s) return bad_input(s.err().message);
  if (options.clients_file.empty()) options.clients_file = as::default_clients_file();
  auto clients = as::client_registry::load(options.clients_file, common.certs_dir);
  if (!clients) return bad_input(clients.err().message);
  auto anchors = tls::load_certificates(common.ca_file);
  if (!anchors) return bad_input(anchors.err().message);
  as::token_profiles profiles;
  if (!profiles_file.empty()) {
    auto loaded = as::token_profiles::load(profiles_file, config);
    if (!loaded) return bad_input("--token-profiles: " + loaded.err().message);
    profiles = std::move(*loaded);
  }
  auto key = as::load_signing_key(options.signing_key, config.signing_alg);
  if (!key) return bad_input(key.err().message);
  auto log = std::make_unique<mocks::event_log>();
  if (auto s = log->open(common.event_log); !s) return bad_input(s.err().message);

  // Stops cleanly on SIGTERM/SIGINT from here on, also one that arrives before run().
  http::https_server server(common.threads, /*stop_on_signals=*/true);
  std::unique_ptr<as::as_server> handler;  // set before run(): no request is served earlier
  auto serve = [&handler](const http::request& req, const http::connection_info& conn) {
    return handler->handle(req, conn);
  };
  auto listener = [&](const std::string& name, int port, http::client_cert_mode mode) {
    http::listener_options o;
    o.name = name;
    o.host = common.host;
    o.port = static_cast<uint16_t>(port);
    o.cert_file = common.cert_file;
    o.key_file = common.key_file;
    o.client_certs = mode;
    o.client_ca_files = {common.ca_file};
    o.on_connection_error = [&handler, name](const std::string& what) {
      if (handler) handler->connection_error(name, what);
    };
    return server.add_listener(o, serve);
  };
  // RFC 8705 5: with aliases, only the mTLS listener asks for certificates; without them the
  // main endpoints must, or no client could authenticate with a certificate.
  auto mtls_mode = http::client_cert_mode_from_string(config.mtls_client_cert_mode);
  if (!mtls_mode) return bad_input(mtls_mode.err().message);
  auto main_port = listener("main", options.port,
                            config.publish_mtls_aliases ? http::client_cert_mode::none : http::client_cert_mode::optional);
  if (!main_port) {
    std::fprintf(stderr, "tether-as: %s\n", main_port.err().message.c_str());
    return exit_runtime;
  }
  auto mtls_port = listener("mtls", options.mtls_port, *mtls_mode);
  if (!mtls_port) {
    std::fprintf(stderr, "tether-as: %s\n", mtls_port.err().message.c_str());
    return exit_runtime;
  }

  as::endpoints urls;
  urls.issuer = options.issuer.empty() ? "https://" + url_host(common.host) + ":" + std::to_string(*main_port)
                                       : options.issuer;
  while (urls.issuer.size() > 8 && urls.issuer.back() == '/') urls.issuer.pop_back();
  auto [authority, path] = split_issuer(urls.issuer);
  urls.mtls_origin = authority + ":" + std::to_string(*mtls_port) + path;

  const std::size_t profiles_count = profiles.size();
  auto state = std::make_unique<as::as_state>(config, std::move(*clients), std::move(*key),
                                              std::move(*anchors), urls);
  state->introspection_client = options.introspection_client;
  state->profiles = std::move(profiles);
  state->log = log.get();
  handler = std::make_unique<as::as_server>(std::move(state));

  mocks::print_ready_line({{"issuer", urls.issuer},
                           {"mtls_origin", urls.mtls_origin},
                           {"metadata_url", urls.issuer + "/.well-known/oauth-authorization-server"},
                           {"authorization_endpoint", urls.authorization()},
                           {"token_endpoint", urls.token()},
                           {"mtls_token_endpoint", urls.mtls_token()},
                           {"introspection_endpoint", urls.introspection()},
                           {"mtls_introspection_endpoint", urls.mtls_introspection()},
                           {"jwks_uri", urls.jwks()},
                           {"port", *main_port},
                           {"mtls_port", *mtls_port},
                           {"ca_file", common.ca_file},
                           {"knobs", as::knobs().changed(config)},
                           {"token_profiles", profiles_count}});
  server.run();
  return 0;
}
