// The resolved steps of a flow, and the one place where its knobs change what is sent: each
// `breaks` knob edits the step (a proof defect, a nonce choice, a certificate, a form field),
// so that the request shows the defect and the executor needs no knowledge of knobs.

#include "core/tls/certificate.hpp"
#include "mocks/client/flow_runner.hpp"
#include "mocks/client/requests.hpp"

namespace tether::client::detail {

using nlohmann::json;

namespace {

// "https://host:port" exactly as the URL writes it: what wrong_htu puts in htu.
std::string authority_part(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto path = url.find_first_of("/?#", scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

std::string error_of(const json& obs) {
  const json& r = obs["response"];
  const json& body = r["json"];
  if (body.is_object() && body.contains("error") && body["error"].is_string()) return body["error"].get<std::string>();
  for (const auto& c : r["challenges"])
    if (c["params"].contains("error") && c["params"]["error"].is_string()) return c["params"]["error"].get<std::string>();
  return "";
}

}  // namespace

resolved_step flow_runner::base_step(const std::string& name, const std::string& action, const std::string& url) const {
  resolved_step s;
  s.name = name;
  s.action = action;
  s.url = url;
  s.timeout_ms = config_.timeout_ms;
  if (!env_.trace.empty()) s.trace = env_.trace + "/" + name;
  return s;
}

client_identity flow_runner::identity() const {
  client_identity c;
  c.client_id = env_.client_id;
  c.auth_method = env_.auth_method;
  if (!env_.secret.empty()) c.secret = env_.secret;
  return c;
}

tls_settings flow_runner::tls_for(bool at_rs) const {
  tls_settings t;
  t.ca_file = env_.ca_file;
  if (with_cert_) {
    // RFC 8705 3: the resource is called with the certificate the token was obtained with.
    t.cert_file = env_.cert_file;
    t.key_file = env_.key_file;
  }
  if (at_rs && config_.other_cert_at_rs) {
    std::string other = config_.other_cert;
    auto mine = tls::certificate::load_file(env_.cert_file);
    auto theirs = tls::certificate::load_file(certs_dir_ + "/" + other + ".crt");
    if (mine && theirs && mine->x5t_s256() == theirs->x5t_s256()) other = "client-a";
    t.cert_file = certs_dir_ + "/" + other + ".crt";
    t.key_file = certs_dir_ + "/" + other + ".key";
    t.cert_name = other;
  }
  return t;
}

proof_options flow_runner::proof_for(const std::string& url, const std::string& method, bool at_rs) {
  proof_options p;
  p.key = key_name_;
  p.alg = env_.dpop_alg;
  p.nonce = "auto";
  p.retry_on_nonce = true;
  if (config_.omit_ath && at_rs) p.defects.omit_claims.push_back("ath");
  if (config_.reuse_jti) {
    if (fixed_jti_.empty()) {
      auto jti = random_text(16);
      fixed_jti_ = jti ? *jti : "tether-fixed-jti";
    }
    p.defects.jti = fixed_jti_;
  }
  if (config_.wrong_htm) p.defects.htm = method == "POST" ? "GET" : "POST";
  if (config_.wrong_htu) p.defects.htu = authority_part(url);
  const std::string origin = origin_of(url);
  if (config_.ignore_nonce) {
    p.nonce = "none";
    p.retry_on_nonce = false;
  } else if (config_.ignore_nonce_rotation && first_nonce_.count(origin)) {
    p.nonce = first_nonce_.at(origin);  // a literal: no retry either
  }
  if (at_rs && config_.as_nonce_at_rs) {
    if (auto as_nonce = state_.nonce(origin_of(token_endpoint_))) p.nonce = *as_nonce;
  }
  return p;
}

std::optional<json> flow_runner::execute(const resolved_step& step) {
  auto obs = executor_.run(state_, step);
  if (!obs) {
    failure_ = step.name + ": " + obs.err().message;
    steps_.push_back({{"name", step.name}, {"action", step.action}, {"error", obs.err().message}});
    return std::nullopt;
  }
  json nonces = json::array();
  for (const auto& attempt : (*obs)["attempts"]) {
    const json& claims = attempt["request"]["dpop"].is_object() ? attempt["request"]["dpop"]["claims"] : json();
    nonces.push_back(claims.is_object() && claims.contains("nonce") ? claims["nonce"] : json());
    if (attempt.contains("response") && attempt["response"]["dpop_nonce"].is_string())
      first_nonce_.emplace(origin_of(attempt["request"]["url"].get<std::string>()),
                           attempt["response"]["dpop_nonce"].get<std::string>());
  }
  json entry = {{"name", step.name},
                {"action", step.action},
                {"method", (*obs)["request"]["method"]},
                {"url", (*obs)["request"]["url"]},
                {"status", obs->contains("response") ? (*obs)["response"]["status"] : json()},
                {"attempts", (*obs)["attempts"].size()},
                {"proof_nonces", nonces}};
  if (obs->contains("response")) {
    if (std::string e = error_of(*obs); !e.empty()) entry["error"] = e;
  } else {
    entry["tls_error"] = (*obs)["tls"]["stage"].get<std::string>() + ": " + (*obs)["tls"]["error"].get<std::string>();
  }
  steps_.push_back(std::move(entry));
  observations_.push_back(*obs);
  return std::move(*obs);
}

bool flow_runner::failed_exchange(const json& obs, const std::string& what) {
  if (!obs.contains("response")) {
    failure_ = what + " failed at the TLS layer (" + obs["tls"]["stage"].get<std::string>() + ": " +
               obs["tls"]["error"].get<std::string>() + ")";
    return false;
  }
  const std::string e = error_of(obs);
  failure_ = what + " answered " + std::to_string(obs["response"]["status"].get<int>()) +
             (e.empty() ? std::string() : " " + e);
  return false;
}

}  // namespace tether::client::detail
