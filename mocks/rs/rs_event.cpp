#include "mocks/rs/rs_event.hpp"

#include <algorithm>

#include <openssl/x509.h>

#include "core/http/www_authenticate.hpp"
#include "mocks/rs/presentation.hpp"

namespace tether::rs {

namespace {

// Request text copied into the log is bounded: a hostile header must not make the log line huge.
std::string clipped(const std::string& text, std::size_t max = 200) {
  return text.size() <= max ? text : text.substr(0, max) + "...";
}

}  // namespace

nlohmann::json certificate_json(const tls::certificate& cert) {
  return {{"x5t#S256", cert.x5t_s256()}, {"subject", cert.subject_dn()}, {"issuer", cert.issuer_dn()}};
}

nlohmann::json base_event(const http::request& request, const http::connection_info& info) {
  nlohmann::json e = {{"server", "rs"},
                      {"endpoint", "resource"},
                      {"method", clipped(request.method, 40)},
                      {"path", clipped(target_path(request.target))}};
  if (auto trace = request.headers.first("Tether-Trace")) e["trace"] = clipped(*trace);
  if (!info.listener.empty()) e["listener"] = info.listener;
  if (!info.remote_address.empty()) e["remote"] = info.remote_address;
  if (!info.tls_version.empty()) e["tls"] = {{"version", info.tls_version}};
  if (info.client_cert) {
    auto cert = certificate_json(*info.client_cert);
    cert["verify"] = info.chain_verify_result == X509_V_OK
                         ? std::string("ok")
                         : std::string(X509_verify_cert_error_string(info.chain_verify_result));
    e["client_cert"] = std::move(cert);
  }
  nlohmann::json auth = {{"count", request.headers.count("Authorization")}};
  if (auto value = request.headers.first("Authorization")) {
    auto space = value->find(' ');
    auth["scheme"] = clipped(value->substr(0, space), 40);
  }
  e["authorization"] = std::move(auth);
  return e;
}

nlohmann::json token_event(const token_outcome& outcome) {
  nlohmann::json t = {{"format", outcome.format}, {"valid", outcome.ok()}, {"check", outcome.check}};
  if (!outcome.detail.empty()) t["detail"] = outcome.detail;
  if (outcome.cached) t["cached"] = true;
  if (outcome.ok()) {
    const auto& v = *outcome.token;
    if (!v.subject.empty()) t["subject"] = v.subject;
    if (!v.client_id.empty()) t["client_id"] = v.client_id;
    t["scope"] = v.scopes;
    t["cnf"] = v.cnf.raw;
  } else if (outcome.claims.is_object()) {
    if (auto sub = outcome.claims.find("sub"); sub != outcome.claims.end()) t["subject"] = *sub;
    if (auto cnf = outcome.claims.find("cnf"); cnf != outcome.claims.end()) t["cnf"] = *cnf;
  }
  return t;
}

nlohmann::json response_event(const http::response& response, const rejection* refusal) {
  nlohmann::json r = {{"status", response.status}};
  if (refusal && !refusal->error.empty()) r["error"] = refusal->error;
  if (refusal && !refusal->description.empty()) r["error_description"] = refusal->description;
  if (auto challenge = response.headers.first("WWW-Authenticate")) r["www_authenticate"] = *challenge;
  if (auto nonce = response.headers.first("DPoP-Nonce")) r["dpop_nonce"] = *nonce;
  return r;
}

void add_knobs(std::vector<std::string>& into, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (std::find(into.begin(), into.end(), n) == into.end()) into.push_back(n);
}

}  // namespace tether::rs
