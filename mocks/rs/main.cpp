// tether-rs: the mock resource server as a process. Reads its configuration, loads the AS's
// keys, listens with the configured client-certificate mode, prints the ready line and serves
// until SIGTERM/SIGINT. Protocol logic lives in resource_server.cpp and the files it uses.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/http/https_client.hpp"
#include "core/http/https_server.hpp"
#include "core/tls/certificate.hpp"
#include "mocks/common/event_log.hpp"
#include "mocks/common/knob_table.hpp"
#include "mocks/common/mock_cli.hpp"
#include "mocks/rs/resource_server.hpp"
#include "mocks/rs/rs_cli.hpp"

namespace {

using namespace tether;

int bad_input(const std::string& message) {
  std::cerr << "tether-rs: " << message << "\n";
  return mocks::exit_bad_input;
}

http::client_options as_client_options(const rs::rs_startup& s) {
  http::client_options o;
  o.ca_file = s.common.ca_file;
  o.timeout = std::chrono::milliseconds(s.fetch_timeout_ms);
  return o;
}

// GET of the JWKS document; anything but a 200 is an error naming the URL.
rs::jwks_source::loader url_loader(std::string url, http::client_options options) {
  return [url = std::move(url), options]() -> result<std::string> {
    http::request req;
    req.headers.add("Accept", "application/json");
    auto got = http::send_once(url, std::move(req), options);
    if (!got.ok())
      return make_error("jwks.fetch", "GET " + url + " failed at " + got.failure_stage + ": " + got.failure);
    if (got.resp->status != 200)
      return make_error("jwks.status", "GET " + url + " answered " + std::to_string(got.resp->status));
    return got.resp->body;
  };
}

rs::introspect_function introspector(rs::introspection_client client, http::client_options options) {
  return [client = std::move(client), options](const std::string& token) -> result<nlohmann::json> {
    auto got = http::send_once(client.url, rs::make_introspection_request(client, token), options);
    if (!got.ok())
      return make_error("introspection.fetch", "POST " + client.url + " failed at " + got.failure_stage +
                                                   ": " + got.failure);
    return rs::read_introspection_response(*got.resp);
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto cli = rs::parse_command_line(args);
  if (!cli.output.empty()) std::cout << cli.output << std::flush;
  if (!cli.startup) {
    if (!cli.error.empty()) std::cerr << cli.error << "\n";
    return cli.exit_code;
  }
  rs::rs_startup& s = *cli.startup;

  if (status st = mocks::resolve_certificate_paths(s.common); !st) return bad_input(st.err().message);
  mocks::event_log log;
  if (status st = log.open(s.common.event_log); !st) return bad_input(st.err().message);

  // The AS's signing keys, at most one reload per second on unknown kids.
  std::unique_ptr<rs::jwks_source> keys;
  if (s.config.token_format == "jwt") {
    auto loader = s.jwks_file.empty() ? url_loader(s.jwks_uri, as_client_options(s))
                                      : rs::file_loader(s.jwks_file);
    keys = std::make_unique<rs::jwks_source>(std::move(loader), std::chrono::seconds(1),
                                             s.jwks_file.empty() ? s.jwks_uri : s.jwks_file);
    if (status st = keys->load(); !st) return bad_input(st.err().message);
  }

  rs::rs_environment env;
  env.issuer = s.issuer;
  env.keys = keys.get();
  if (s.introspection) env.introspect = introspector(*s.introspection, as_client_options(s));
  env.log = log.enabled() ? &log : nullptr;
  // The trusted proxy hop is the suite's `proxy` certificate (certs/README.md).
  if (auto proxy = tls::certificate::load_file(s.common.certs_dir + "/proxy.crt"); proxy)
    env.proxy_x5t = proxy->x5t_s256();

  auto server_logic = rs::resource_server::make(s.config, std::move(env));
  if (!server_logic) return bad_input(server_logic.err().message);
  rs::resource_server& rs_logic = **server_logic;

  // Stops cleanly on SIGTERM/SIGINT from here on, also one that arrives right after the ready
  // line (a runner stopping us at once), before run() has started.
  http::https_server server(s.common.threads, /*stop_on_signals=*/true);
  http::listener_options lo;
  lo.name = "main";
  lo.host = s.common.host;
  lo.port = static_cast<uint16_t>(s.port);
  lo.cert_file = s.common.cert_file;
  lo.key_file = s.common.key_file;
  lo.client_ca_files = {s.common.ca_file};
  lo.timeout = std::chrono::milliseconds(s.io_timeout_ms);
  auto mode = http::client_cert_mode_from_string(s.config.client_cert_mode);
  if (!mode) return bad_input(mode.err().message);
  lo.client_certs = *mode;
  // Refused handshakes (required mode without a certificate), timeouts and garbage are part of
  // what a client author wants to see: they go to the event log too.
  lo.on_connection_error = [&log](const std::string& what) {
    if (log.enabled())
      log.write({{"server", "rs"}, {"endpoint", "connection"}, {"listener", "main"}, {"error", what}});
  };
  auto port = server.add_listener(lo, [&rs_logic](const http::request& r, const http::connection_info& c) {
    return rs_logic.handle(r, c);
  });
  if (!port) return bad_input(port.err().message);

  const std::string url = "https://" + s.common.host + ":" + std::to_string(*port);
  mocks::print_ready_line({{"server", "rs"},
                           {"url", url},
                           {"resource", url + "/resource"},
                           {"port", *port},
                           {"issuer", s.issuer},
                           {"audience", s.config.audience},
                           {"client_cert_mode", s.config.client_cert_mode},
                           {"token_format", s.config.token_format},
                           {"jwks", s.jwks_file.empty() ? s.jwks_uri : s.jwks_file},
                           {"knobs", rs::rs_knobs().values(s.config)},
                           {"knobs_changed", rs::rs_knobs().changed(s.config)}});
  server.run();
  return 0;
}
