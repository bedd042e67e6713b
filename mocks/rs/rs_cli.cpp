#include "mocks/rs/rs_cli.hpp"

#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

namespace tether::rs {

namespace {

const char* const description =
    "tether-rs: a mock OAuth 2.0 resource server for sender-constrained access tokens.\n"
    "Every method and path is a protected resource; it validates the access token (RFC 9068 JWT\n"
    "against the AS's JWKS, or RFC 7662 introspection), proves the binding (RFC 8705 certificate,\n"
    "RFC 9449 DPoP proof) and answers with RFC 6750 / RFC 9449 challenges. Paths under\n"
    "/scoped/<scope>/ need that scope (403 insufficient_scope otherwise). Correct by default;\n"
    "knobs emulate other servers' choices or break a MUST on purpose.";

// Config file members (flags given on the command line win).
struct file_values {
  std::string issuer, jwks_uri, jwks_file, introspection, introspection_client, introspection_client_file,
      audience, client_cert_mode, event_log, certs;
  std::optional<int> port;
  nlohmann::json knobs;
};

result<file_values> read_config_file(const std::string& path) {
  auto json = mocks::load_json_file(path);
  if (!json) return json.err();
  file_values v;
  for (const auto& [name, value] : json->items()) {
    if (name == "knobs") {
      v.knobs = value;
      continue;
    }
    if (name == "port") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 65535)
        return make_error("config.type", path + ": /port: \"port\" must be an integer from 0 to 65535");
      v.port = value.get<int>();
      continue;
    }
    std::string* target = name == "issuer"                 ? &v.issuer
                          : name == "jwks_uri"             ? &v.jwks_uri
                          : name == "jwks_file"            ? &v.jwks_file
                          : name == "introspection"        ? &v.introspection
                          : name == "introspection_client" ? &v.introspection_client
                          : name == "introspection_client_file" ? &v.introspection_client_file
                          : name == "audience"             ? &v.audience
                          : name == "client_cert_mode"     ? &v.client_cert_mode
                          : name == "event_log"            ? &v.event_log
                          : name == "certs"                ? &v.certs
                                                           : nullptr;
    if (!target)
      return make_error("config.unknown", path + ": /" + name + ": unknown member \"" + name +
                                              "\" (knobs go under \"knobs\")");
    if (!value.is_string())
      return make_error("config.type", path + ": /" + name + ": \"" + name + "\" must be a string");
    *target = value.get<std::string>();
  }
  return v;
}

void fill(std::string& flag, const std::string& from_file) {
  if (flag.empty()) flag = from_file;
}

// ID:SECRET from a file (its first line), so that the secret is not on the command line, which
// every user of the machine can read in ps (/proc/PID/cmdline) and which error messages quote.
// The runner writes this file with mode 0600 (runner/mock_pool.cpp). Errors name the file and
// never its content.
result<std::string> read_credentials_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("introspection.credentials", "cannot read --introspection-client-file " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();  // a file written with CRLF
  if (line.find(':') == std::string::npos || line.front() == ':')
    return make_error("introspection.credentials",
                      "--introspection-client-file " + path + ": the first line must be ID:SECRET (the RS's client "
                      "registration at the AS)");
  return line;
}

}  // namespace

cli_outcome parse_command_line(const std::vector<std::string>& args) {
  cli_outcome out;
  rs_startup s;
  std::string introspection_url, introspection_credentials, introspection_credentials_file, audience, cert_mode;
  int port = -1;

  CLI::App app(description, "tether-rs");
  mocks::add_common_options(app, s.common);
  app.add_option("--port", port, "port to listen on (default 0: an ephemeral port, printed in the ready line)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--issuer", s.issuer, "issuer URL of the authorization server (iss of accepted tokens)");
  app.add_option("--jwks-uri", s.jwks_uri, "the AS's JWKS URL, fetched at start and again on an unknown kid");
  app.add_option("--jwks-file", s.jwks_file, "a JWK Set file instead of --jwks-uri (read again on an unknown kid)");
  app.add_option("--introspection", introspection_url, "RFC 7662 introspection URL (token_format introspection)");
  auto* inline_credentials = app.add_option(
      "--introspection-client", introspection_credentials,
      "ID:SECRET of this RS at the AS, for introspection (visible in ps: prefer --introspection-client-file)");
  app.add_option("--introspection-client-file", introspection_credentials_file,
                 "a file whose first line is ID:SECRET of this RS at the AS (keep it mode 0600); the secret then "
                 "stays off the command line")
      ->excludes(inline_credentials);
  app.add_option("--audience", audience, std::string("audience tokens must name (default ") + default_audience + ")");
  app.add_option("--client-cert-mode", cert_mode, "none | optional (default) | required");
  app.add_option("--fetch-timeout-ms", s.fetch_timeout_ms, "timeout of JWKS and introspection requests (default 5000)")
      ->check(CLI::Range(100, 120000));
  app.add_option("--io-timeout-ms", s.io_timeout_ms,
                 "a client that sends or reads nothing for this long is disconnected (default 10000)")
      ->check(CLI::Range(100, 600000));
  app.footer("Knobs (--knob name=value, or \"knobs\" in the config file):\n" + rs_knobs().help() +
             "\nPrints one JSON line {\"ready\":true,\"url\":...,\"resource\":...} when listening; stops on "
             "SIGTERM/SIGINT; exits 2 on bad input.");

  std::vector<const char*> argv;
  argv.push_back("tether-rs");
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out.output = app.help();
    return out;
  } catch (const CLI::ParseError& e) {
    out.exit_code = mocks::exit_bad_input;
    out.error = std::string("tether-rs: ") + e.what() + " (see --help)";
    return out;
  }
  if (s.common.describe_knobs) {
    out.output = rs_knobs().describe().dump(2) + "\n";
    return out;
  }

  auto fail = [&](const std::string& message) {
    out.exit_code = mocks::exit_bad_input;
    out.error = "tether-rs: " + message;
    return out;
  };
  if (!s.common.config_file.empty()) {
    auto file = read_config_file(s.common.config_file);
    if (!file) return fail(file.err().message);
    fill(s.issuer, file->issuer);
    fill(s.jwks_uri, file->jwks_uri);
    fill(s.jwks_file, file->jwks_file);
    fill(introspection_url, file->introspection);
    if (introspection_credentials.empty() && introspection_credentials_file.empty()) {
      if (!file->introspection_client.empty() && !file->introspection_client_file.empty())
        return fail(s.common.config_file + ": give \"introspection_client\" or \"introspection_client_file\", not both");
      introspection_credentials = file->introspection_client;
      introspection_credentials_file = file->introspection_client_file;
    }
    fill(audience, file->audience);
    fill(cert_mode, file->client_cert_mode);
    fill(s.common.event_log, file->event_log);
    fill(s.common.certs_dir, file->certs);
    if (port < 0 && file->port) port = *file->port;
    if (!file->knobs.is_null()) {
      if (status st = rs_knobs().apply(s.config, file->knobs, s.common.config_file + ": /knobs"); !st)
        return fail(st.err().message);
    }
  }
  for (const auto& k : s.common.knobs) {
    if (status st = rs_knobs().assign(s.config, k); !st) return fail(st.err().message);
  }
  // The dedicated flags are the same settings as the knobs of that name; a flag wins.
  if (!audience.empty()) s.config.audience = audience;
  if (!cert_mode.empty()) {
    if (status st = rs_knobs().set(s.config, "client_cert_mode", cert_mode); !st)
      return fail("--client-cert-mode: " + st.err().message);
  }
  if (status st = validate(s.config); !st) return fail(st.err().message);
  s.port = port < 0 ? 0 : port;

  if (s.issuer.empty()) return fail("--issuer is required (the AS whose tokens this RS accepts)");
  if (!s.jwks_uri.empty() && !s.jwks_file.empty()) return fail("give --jwks-uri or --jwks-file, not both");
  if (s.config.token_format == "jwt" && s.jwks_uri.empty() && s.jwks_file.empty())
    return fail("token_format jwt needs --jwks-uri URL or --jwks-file FILE");
  if (!s.jwks_uri.empty() && s.jwks_uri.rfind("https://", 0) != 0)
    return fail("--jwks-uri must be an https URL, not \"" + s.jwks_uri + "\"");
  if (!introspection_credentials_file.empty()) {
    auto line = read_credentials_file(introspection_credentials_file);
    if (!line) return fail(line.err().message);
    introspection_credentials = std::move(*line);
  }
  if (!introspection_url.empty() || !introspection_credentials.empty()) {
    auto client = parse_introspection_credentials(introspection_url, introspection_credentials);
    if (!client) return fail(client.err().message);
    s.introspection = std::move(*client);
  }
  if (s.config.token_format == "introspection" && !s.introspection)
    return fail("token_format introspection needs --introspection URL and --introspection-client-file FILE (or "
                "--introspection-client ID:SECRET)");
  out.startup = std::move(s);
  return out;
}

}  // namespace tether::rs
