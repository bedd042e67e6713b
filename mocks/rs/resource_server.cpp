#include "mocks/rs/resource_server.hpp"

#include <algorithm>
#include <chrono>

#include "core/dpop/htu.hpp"
#include "mocks/rs/binding.hpp"
#include "mocks/rs/forwarded_origin.hpp"
#include "mocks/rs/presentation.hpp"
#include "mocks/rs/rs_event.hpp"

namespace tether::rs {

namespace {

int64_t system_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// What one request has gathered for its event and its answer.
struct exchange {
  nlohmann::json event;
  std::vector<std::string> knobs;
  bool dpop_used = false;
};

}  // namespace

std::string required_scope(const std::string& path) {
  static const std::string prefix = "/scoped/";
  if (path.rfind(prefix, 0) != 0) return "";
  auto rest = path.substr(prefix.size());
  return http::url_decode(rest.substr(0, rest.find('/')), false);
}

result<std::unique_ptr<resource_server>> resource_server::make(rs_config config, rs_environment env) {
  if (status s = validate(config); !s) return s.err();
  if (config.token_format == "jwt" && env.keys == nullptr)
    return make_error("rs.keys", "token_format jwt needs the AS's keys (--jwks-uri or --jwks-file)");
  if (config.token_format == "introspection" && !env.introspect)
    return make_error("rs.introspection",
                      "token_format introspection needs --introspection and --introspection-client");
  auto certs = cert_source::make(config, env.proxy_x5t);
  if (!certs) return certs.err();
  if (!env.clock) env.clock = system_seconds;
  return std::unique_ptr<resource_server>(
      new resource_server(std::move(config), std::move(env), std::move(*certs)));
}

resource_server::resource_server(rs_config config, rs_environment env, cert_source certs)
    : config_(std::move(config)),
      env_(std::move(env)),
      nonces_(config_.require_nonce, config_.nonce_lifetime_s),
      tokens_(config_, env_.issuer, env_.keys, env_.introspect),
      proofs_(config_, nonces_),
      certs_(std::move(certs)) {}

int64_t resource_server::now() const { return env_.clock() + config_.clock_offset_s; }

http::response resource_server::handle(const http::request& request,
                                       const http::connection_info& info) {
  const int64_t now = this->now();
  // The event is built only when someone reads it: the members below cost as much as the
  // HTTP parsing of the request.
  const bool logging = env_.log != nullptr;
  exchange x;
  if (logging) x.event = base_event(request, info);
  if (config_.clock_offset_s != 0) add_knobs(x.knobs, {"clock_offset_s"});

  // Writes the event, then hands the answer to the transport (docs/mock-events.md: the event
  // is on disk before the client can see the response).
  auto finish = [&](http::response res, std::string reason, const rejection* refusal) {
    if (logging) {
      x.event["response"] = response_event(res, refusal);
      x.event["reason"] = std::move(reason);
      x.event["knobs"] = x.knobs;
      env_.log->write(std::move(x.event));
    }
    return res;
  };
  auto refuse = [&](const rejection& r) {
    add_knobs(x.knobs, r.knobs);
    if (!config_.challenge_extra_param.empty()) add_knobs(x.knobs, {"challenge_extra_param"});
    if (r.error == "invalid_dpop_proof" || r.error == "use_dpop_nonce") x.dpop_used = true;
    return finish(make_rejection_response(r, config_, nonces_.for_answer(true, x.dpop_used, now)),
                  r.reason, &r);
  };

  const observed_cert cert = certs_.observe(request, info);
  if (logging && !cert.forwarded.is_null()) x.event["forwarded_cert"] = cert.forwarded;
  add_knobs(x.knobs, cert.knobs);

  auto read = read_presentation(request, config_);
  if (auto* refused = std::get_if<rejection>(&read)) return refuse(*refused);
  const presentation& p = std::get<presentation>(read);
  x.dpop_used = p.is_dpop();
  if (logging) {
    x.event["authorization"]["via"] = to_string(p.via);
    x.event["authorization"]["scheme"] = p.scheme;
    if (!p.scheme_sent.empty() && p.scheme_sent != p.scheme)
      x.event["authorization"]["scheme_sent"] = p.scheme_sent;
    if (!p.dpop_headers.empty()) x.event["dpop"] = {{"count", p.dpop_headers.size()}};
  }

  token_outcome token = tokens_.validate(p.token, now);
  if (logging) x.event["token"] = token_event(token);
  add_knobs(x.knobs, token.knobs);
  if (!token.ok()) {
    if (token.unavailable) {
      // The AS could not vouch for the token: that is not the client's fault, so no
      // invalid_token (a client would throw away a good token).
      http::response res;
      res.status = 503;
      res.headers.add("Content-Type", "application/json");
      res.headers.add("Cache-Control", "no-store");
      res.headers.add("Retry-After", "1");
      res.body = nlohmann::json{{"error", "temporarily_unavailable"}, {"error_description", token.detail}}
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return finish(std::move(res),
                    "the authorization server could not be asked about the token: " + token.detail, nullptr);
    }
    return refuse(invalid_token(token.detail, p.is_dpop() ? mechanism::dpop : mechanism::bearer,
                                "the access token is not valid (" + token.check +
                                    "): RFC 6750 3.1 invalid_token"));
  }

  const std::string origin = config_.public_origin.empty() ? info.origin : config_.public_origin;
  const std::string served_url = origin + target_path(request.target);
  // The break knob believes the client's forwarding fields (mocks/rs/forwarded_origin.hpp).
  std::optional<std::string> claimed_origin;
  if (config_.htu_from_forwarded_headers) claimed_origin = forwarded_origin(request.headers, origin);
  const request_facts facts{request, claimed_origin ? *claimed_origin + target_path(request.target) : served_url,
                            config_.client_cert_mode, now};
  binding_outcome bound = check_binding(*token.token, p, cert, proofs_, facts, config_);
  if (logging) {
    x.event["binding"] = bound.binding;
    if (bound.proof) x.event["dpop"] = bound.proof->event(p.dpop_headers.size());
  }
  add_knobs(x.knobs, bound.knobs);
  if (!bound.ok()) return refuse(*bound.refused);
  // Named only when it changed the verdict: the proof passed, and its htu is not the URI served.
  if (claimed_origin && bound.proof && bound.proof->ok() &&
      !dpop::htu_matches(bound.proof->verdict.claims.value("htu", std::string()), served_url,
                         {config_.htu_comparison != "exact", config_.case_insensitive_htu}))
    add_knobs(x.knobs, {"htu_from_forwarded_headers"});

  const mechanism used = p.is_dpop() ? mechanism::dpop : mechanism::bearer;
  const std::string path = target_path(request.target);
  if (auto scope = required_scope(path); !scope.empty()) {
    const auto& scopes = token.token->scopes;
    if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end())
      return refuse(insufficient_scope(scope, used));
  }

  const validated_token& t = *token.token;
  // Member by member: nlohmann's initializer lists copy every value twice, and this body is
  // built on every accepted request.
  nlohmann::json body = nlohmann::json::object();
  body["accepted"] = true;
  body["method"] = request.method;
  body["path"] = path;
  body["scheme"] = p.scheme;
  body["token_via"] = to_string(p.via);
  body["subject"] = t.subject;
  body["client_id"] = t.client_id;
  body["scope"] = t.scopes;
  nlohmann::json& token_json = body["token"];
  token_json["format"] = t.format;
  token_json["cached"] = token.cached;
  token_json["cnf"] = t.cnf.raw;
  body["binding"] = std::move(bound.binding);
  if (cert.cert) {
    auto c = certificate_json(*cert.cert);
    c["source"] = cert.source;
    body["client_cert"] = std::move(c);
  }
  if (!x.knobs.empty()) body["knobs"] = x.knobs;
  if (auto trace = request.headers.first("Tether-Trace")) body["trace"] = *trace;
  std::string reason = t.cnf.bound() ? "the token is valid and its binding was proven as cnf_policy=" +
                                           config_.cnf_policy + " requires"
                                     : "a valid unbound (bearer) token";
  if (!x.knobs.empty()) reason += "; knobs changed the answer";
  return finish(make_success_response(body, nonces_.for_answer(false, x.dpop_used, now)), reason, nullptr);
}

}  // namespace tether::rs
