// The four flows in the order a client application runs them: discover the AS (RFC 8414),
// authorize when the flow needs a code, get a token, refresh it, call the resource. Each check
// below is one a correct client makes before it goes on.

#include "mocks/client/flow.hpp"

#include "core/http/message.hpp"
#include "mocks/client/discovery.hpp"
#include "mocks/client/flow_runner.hpp"

namespace tether::client {
namespace detail {

using nlohmann::json;

flow_runner::flow_runner(const flow_env& env, const client_config& config, step_executor& executor,
                         std::string certs_dir, bool verbose)
    : env_(env), config_(config), executor_(executor), certs_dir_(std::move(certs_dir)), verbose_(verbose) {}

flow_result flow_runner::finish(int exit_code, const std::string& result, const std::string& reason) {
  flow_result out;
  out.exit_code = exit_code;
  out.summary = {{"flow", env_.flow},
                 {"result", result},
                 {"exit_code", exit_code},
                 {"reason", reason},
                 {"client_id", env_.client_id},
                 {"auth_method", env_.auth_method},
                 {"binding", env_.binding},
                 {"token_endpoint", token_endpoint_},
                 {"knobs", client_knobs().changed(config_)},
                 {"steps", steps_}};
  if (verbose_) out.summary["observations"] = observations_;
  return out;
}

bool flow_runner::discover_metadata() {
  auto found = discover(executor_, state_, env_.issuer, tls_for(false), config_.timeout_ms,
                        env_.trace.empty() ? "" : env_.trace + "/discover", env_.metadata_url);
  if (!found) {
    failure_ = "discovery: " + found.err().message;
    return false;
  }
  metadata_ = std::move(found->metadata);
  // RFC 8705 5: a client that authenticates or binds with a certificate uses the alias.
  const bool cert_method = env_.auth_method == "tls_client_auth" || env_.auth_method == "self_signed_tls_client_auth";
  with_cert_ = !env_.cert_file.empty() && (cert_method || env_.binding == "mtls");
  token_endpoint_ = endpoint_for(metadata_, "token_endpoint", with_cert_ && !config_.ignore_mtls_aliases);
  if (token_endpoint_.empty()) {
    failure_ = "the metadata has no token_endpoint";
    return false;
  }
  return true;
}

std::optional<obtained_code> flow_runner::authorize() {
  const std::string endpoint = endpoint_for(metadata_, "authorization_endpoint", false);
  if (endpoint.empty()) {
    failure_ = "the metadata has no authorization_endpoint";
    return std::nullopt;
  }
  resolved_step s = base_step("authorize", "authorize", endpoint);
  s.tls = tls_for(false);
  s.tls.cert_file.clear();  // the front channel: no client certificate
  s.tls.key_file.clear();
  s.client = identity();
  s.pkce = true;
  if (!env_.redirect_uri.empty()) s.params.emplace_back("redirect_uri", env_.redirect_uri);
  if (!env_.scope.empty()) s.params.emplace_back("scope", env_.scope);
  if (dpop() && config_.send_dpop_jkt) {
    s.dpop_jkt = {{"key", key_name_}};  // RFC 9449 10
    s.dpop = proof_for(endpoint, "GET", false);
  }
  auto obs = execute(s);
  if (!obs) return std::nullopt;
  if (!obs->contains("authorization")) {
    failed_exchange(*obs, "authorization request");
    return std::nullopt;
  }
  const json& a = (*obs)["authorization"];
  if (!a["code"].is_string()) {
    failure_ = "the authorization response has no code" +
               (a["error"].is_string() ? " (error " + a["error"].get<std::string>() + ")" : std::string());
    return std::nullopt;
  }
  if (a["state_matches"] != true) {
    failure_ = "the authorization response's state is not the one sent (RFC 6749 10.12)";
    return std::nullopt;
  }
  if (a["iss"].is_string() && a["iss"] != env_.issuer) {
    failure_ = "the authorization response's iss is not the issuer (RFC 9207 2.4)";
    return std::nullopt;
  }
  obtained_code c;
  c.code = a["code"].get<std::string>();
  if (a["code_verifier"].is_string()) c.code_verifier = a["code_verifier"].get<std::string>();
  if (a["redirect_uri"].is_string()) c.redirect_uri = a["redirect_uri"].get<std::string>();
  return c;
}

std::optional<obtained_token> flow_runner::token(const std::string& name, const std::string& grant,
                                                  const obtained_code* code, const std::string* refresh_token) {
  resolved_step s = base_step(name, "token", token_endpoint_);
  s.tls = tls_for(false);
  s.client = identity();
  s.grant = grant;
  if (code) {
    s.code = code->code;
    s.code_verifier = code->code_verifier;
    s.redirect_uri = code->redirect_uri;
  }
  if (refresh_token) s.refresh_token = *refresh_token;
  if (!env_.scope.empty() && grant != "authorization_code") s.scope = env_.scope;
  if (config_.omit_client_id) s.omit_params.push_back("client_id");
  // RFC 9449 5: a proof on every token request, whatever the grant.
  if (dpop()) s.dpop = proof_for(token_endpoint_, "POST", false);
  auto obs = execute(s);
  if (!obs) return std::nullopt;
  const json& t = (*obs)["token"];
  const int status = obs->contains("response") ? (*obs)["response"].value("status", 0) : 0;
  if (status != 200 || !t.is_object()) {
    failed_exchange(*obs, "token request (" + grant + ")");
    return std::nullopt;
  }
  obtained_token out;
  out.access_token = t["access_token"].get<std::string>();
  out.token_type = t["token_type"].is_string() ? t["token_type"].get<std::string>() : "";
  if (t["refresh_token"].is_string()) out.refresh_token = t["refresh_token"].get<std::string>();
  // RFC 9449 5: DPoP protection matters to this client whenever it asked for it, so a
  // token_type other than DPoP (compared case-insensitively, RFC 6749 5.1) is discarded.
  if (dpop() && !http::iequals(out.token_type, "DPoP") && !config_.accept_bearer_token_type) {
    failure_ = "the AS answered token_type \"" + out.token_type +
               "\" to a DPoP token request; the response is discarded (RFC 9449 5)";
    return std::nullopt;
  }
  return out;
}

bool flow_runner::resource(const obtained_token& tok) {
  resolved_step s = base_step("resource", "resource", env_.rs_url);
  s.tls = tls_for(true);
  s.method = "GET";
  s.access_token = tok.access_token;
  s.token_type = tok.token_type;
  const bool dpop_token = http::iequals(tok.token_type, "DPoP");
  // RFC 9449 7.1: the DPoP scheme for a DPoP-bound token; bearer_scheme breaks exactly that.
  s.scheme = dpop_token ? (config_.bearer_scheme ? "Bearer" : "DPoP") : (dpop() ? tok.token_type : "Bearer");
  if (s.scheme.empty()) s.scheme = "Bearer";
  if (dpop()) s.dpop = proof_for(env_.rs_url, "GET", true);
  auto obs = execute(s);
  if (!obs) return false;
  const int status = obs->contains("response") ? (*obs)["response"].value("status", 0) : 0;
  if (status < 200 || status >= 300) return failed_exchange(*obs, "resource request");
  return true;
}

flow_result flow_runner::run() {
  if (!discover_metadata()) return finish(exit_flow_failed, "failed", failure_);
  const bool public_client = env_.auth_method == "none";
  std::optional<obtained_code> code;
  if (env_.flow == "code+resource" || (env_.flow == "refresh+resource" && public_client)) {
    code = authorize();
    if (!code) return finish(exit_flow_failed, "failed", failure_);
  }
  auto tok = token("token", code ? "authorization_code" : "client_credentials", code ? &*code : nullptr, nullptr);
  if (!tok) return finish(exit_flow_failed, "failed", failure_);
  if (env_.flow == "refresh+resource") {
    if (!tok->refresh_token) return finish(exit_flow_failed, "failed", "the token response has no refresh_token");
    // RFC 9449 5: the refresh is proven with the same key (new_key_on_refresh breaks it).
    if (config_.new_key_on_refresh) key_name_ = "k2";
    const std::string rt = *tok->refresh_token;
    tok = token("refresh", "refresh_token", nullptr, &rt);
    if (!tok) return finish(exit_flow_failed, "failed", failure_);
  }
  if (flow_calls_resource(env_.flow) && !resource(*tok)) return finish(exit_flow_failed, "failed", failure_);
  return finish(exit_flow_ok, "ok", "");
}

}  // namespace detail

flow_result run_flow(const flow_env& env, const client_config& config, step_executor& executor,
                     const std::string& certs_dir, bool verbose) {
  env_check check = check_flow_env(env);
  if (check.problem != env_problem::none) {
    flow_result out;
    const bool unsupported = check.problem == env_problem::unsupported;
    out.exit_code = unsupported ? exit_flow_unsupported : exit_flow_bad_input;
    out.summary = {{"flow", env.flow}, {"result", unsupported ? "unsupported" : "bad_input"},
                   {"exit_code", out.exit_code}, {"reason", check.message}, {"steps", nlohmann::json::array()}};
    return out;
  }
  return detail::flow_runner(env, config, executor, certs_dir, verbose).run();
}

}  // namespace tether::client
