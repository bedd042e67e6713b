#include "mocks/as/as_server.hpp"

#include <openssl/x509.h>

#include "core/http/www_authenticate.hpp"
#include "mocks/as/handlers.hpp"
#include "mocks/common/event_log.hpp"

namespace tether::as {
namespace {

// The common members of every event (docs/mock-events.md).
nlohmann::json common_event(const http::request& req, const http::connection_info& conn) {
  nlohmann::json e = {{"server", "as"},
                      {"listener", conn.listener},
                      {"method", req.method},
                      {"path", std::string(path_of(req.target))},
                      {"remote", conn.remote_address}};
  if (auto trace = req.headers.first("Tether-Trace")) e["trace"] = *trace;
  if (!conn.tls_version.empty()) e["tls"] = {{"version", conn.tls_version}};
  if (conn.client_cert) {
    const auto& c = *conn.client_cert;
    e["client_cert"] = {{"x5t#S256", c.x5t_s256()},
                        {"subject", c.subject_dn()},
                        {"issuer", c.issuer_dn()},
                        {"verify", conn.chain_verify_result == X509_V_OK
                                       ? std::string("ok")
                                       : X509_verify_cert_error_string(conn.chain_verify_result)}};
  }
  auto authz = req.headers.all("Authorization");
  if (!authz.empty()) {
    auto creds = http::parse_authorization(authz.front());
    e["authorization"] = {{"count", authz.size()}, {"scheme", creds ? creds->scheme : "?"}};
  }
  return e;
}

nlohmann::json response_summary(const http::response& res) {
  nlohmann::json r = {{"status", res.status}};
  nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
  if (body.is_object()) {
    if (auto it = body.find("error"); it != body.end()) r["error"] = *it;
    if (auto it = body.find("error_description"); it != body.end()) r["error_description"] = *it;
  }
  if (auto v = res.headers.first("WWW-Authenticate")) r["www_authenticate"] = *v;
  if (auto v = res.headers.first("DPoP-Nonce")) r["dpop_nonce"] = *v;
  if (auto v = res.headers.first("Location")) r["location"] = *v;
  return r;
}

http::response not_found(const std::string& path, exchange& x) {
  x.because("no endpoint at this path");
  return json_response(404, {{"error", "not_found"}, {"error_description", "no endpoint at " + shown(path)}}, false);
}

}  // namespace

as_server::as_server(std::unique_ptr<as_state> state) : state_(std::move(state)) {}

http::response as_server::handle(const http::request& req, const http::connection_info& conn) {
  exchange x;
  x.event = common_event(req, conn);
  as_state& s = *state_;

  std::string path(path_of(req.target));
  const std::string prefix = s.urls.path_prefix();
  std::string local = path;
  if (!prefix.empty() && path.compare(0, prefix.size(), prefix) == 0) local = path.substr(prefix.size());
  // RFC 8414 3: with an issuer path, metadata lives at /.well-known/oauth-authorization-server<path>.
  const bool metadata = local == "/.well-known/oauth-authorization-server" ||
                        local == "/.well-known/openid-configuration" ||
                        path == "/.well-known/oauth-authorization-server" + prefix;

  std::string endpoint;
  http::response res;
  if (metadata) {
    endpoint = "metadata";
    res = handle_metadata(req, s, x);
  } else if (local == "/jwks") {
    endpoint = "jwks";
    res = handle_jwks(req, s, x);
  } else if (local == "/authorize") {
    endpoint = "authorize";
    res = handle_authorize(req, conn, s, x);
  } else if (local == "/token") {
    endpoint = "token";
    res = handle_token(req, conn, s, x);
    if (s.config.clock_offset_s != 0) x.used_knob("clock_offset_s");
  } else if (local == "/introspect") {
    endpoint = "introspect";
    res = handle_introspect(req, conn, s, x);
  } else {
    endpoint = "unknown";
    res = not_found(path, x);
  }
  x.event["endpoint"] = endpoint;
  x.event["response"] = response_summary(res);
  x.event["knobs"] = x.knobs;
  // Written before the response leaves, so whoever reads the answer can read the event.
  if (s.observer) s.observer(x.event);
  if (s.log) s.log->write(std::move(x.event));
  return res;
}

void as_server::connection_error(const std::string& listener, const std::string& what) {
  if (!state_->log) return;
  state_->log->write({{"server", "as"}, {"listener", listener}, {"endpoint", "connection"}, {"reason", what}});
}

}  // namespace tether::as
