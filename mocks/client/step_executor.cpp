// The attempt loop shared by every action: build the proofs for this attempt, send, record,
// learn the server's nonce, and retry once when the server asks for a nonce (RFC 9449 8 at the
// AS, 9 at the RS). The last request of the step is kept for `replay`.

#include "mocks/client/step_executor.hpp"

#include <chrono>

#include <boost/url/parse.hpp>

#include "mocks/client/observation.hpp"
#include "mocks/client/proofs.hpp"
#include "mocks/client/requests.hpp"

namespace tether::client {
namespace {

using clock_type = std::chrono::steady_clock;
using nlohmann::json;

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

int64_t remaining_ms(clock_type::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
}

http::exchange_result out_of_time() {
  http::exchange_result r;
  r.failure_stage = "timeout";
  r.failure = "the step's timeout_ms ran out before this attempt could start";
  return r;
}

void learn_nonce(run_state& state, const std::string& url, const http::exchange_result& r) {
  if (!r.resp) return;
  // RFC 9449 8.2: a nonce may arrive on any response, a 200 included, and replaces the last.
  if (auto nonce = r.resp->headers.first("DPoP-Nonce"); nonce && !nonce->empty())
    state.set_nonce(origin_of(url), *nonce);
}

// Retry once, and only when the step lets the client choose its nonce: a literal or "none"
// nonce is the probe itself and must reach the server unchanged.
bool should_retry(const resolved_step& step, const prepared_request& p, const http::exchange_result& r) {
  if (!step.dpop || !p.proof || !step.dpop->retry_on_nonce || step.dpop->nonce != "auto") return false;
  if (!r.resp || !asks_for_nonce(*r.resp)) return false;
  auto nonce = r.resp->headers.first("DPoP-Nonce");
  return nonce && !nonce->empty();
}

// The URL with its origin replaced by `to` (another instance of the same server), or the URL
// itself when `to` is empty.
result<std::string> sent_to(const std::string& url, const std::string& to) {
  if (to.empty()) return url;
  auto origin = boost::urls::parse_uri(to);
  auto from = boost::urls::parse_uri(url);
  if (!origin || origin->scheme() != "https" || !origin->encoded_path().empty() || origin->has_query() ||
      origin->has_fragment())
    return make_error("step.invalid", "step.to must be an https:// origin, found \"" + to + "\"");
  if (!from) return make_error("step.url", "the URL " + url + " does not parse");
  return to + std::string(from->encoded_target());
}

}  // namespace

step_executor::step_executor(transport& net, executor_options options) : net_(net), options_(std::move(options)) {
  if (!options_.clock) options_.clock = unix_seconds;
}

http::client_options step_executor::connection(const tls_settings& tls, int64_t timeout_ms) const {
  http::client_options o;
  o.ca_file = tls.ca_file.empty() ? options_.default_ca_file : tls.ca_file;
  o.cert_file = tls.cert_file;
  o.key_file = tls.key_file;
  o.timeout = std::chrono::milliseconds(timeout_ms);
  o.max_body_bytes = max_response_body;
  return o;
}

result<json> step_executor::run(run_state& state, const resolved_step& step) {
  if (step.action == "replay") return run_replay(state, step);
  const auto start = clock_type::now();
  const auto deadline = start + std::chrono::milliseconds(step.timeout_ms);

  authorize_secrets secrets;
  result<prepared_request> prepared = make_error("step.action", "unknown action \"" + step.action + "\"");
  if (step.action == "token") prepared = prepare_token(step);
  else if (step.action == "authorize") prepared = prepare_authorize(step, state, secrets);
  else if (step.action == "resource") prepared = prepare_resource(step);
  else if (step.action == "introspect") prepared = prepare_introspect(step);
  else if (step.action == "fetch") prepared = prepare_fetch(step);
  if (!prepared) return prepared.err();
  const prepared_request& p = *prepared;
  const json cert = cert_json(p.tls);
  // With `to`, the request (htu included) is for p.url and goes to another instance.
  auto destination = sent_to(p.url, step.to);
  if (!destination) return destination.err();
  const std::string& send_url = *destination;

  json attempts = json::array();
  sent_request last;
  http::exchange_result result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    http::request req = p.req;
    json request = request_json(p.url, req);
    if (p.proof) {
      auto proofs = make_proofs(state, *step.dpop, *p.proof, nonce_for(*step.dpop, state, origin_of(p.url)),
                                options_.clock());
      if (!proofs) return proofs.err();
      add_proof_headers(req, *step.dpop, *proofs);
      request = request_json(p.url, req);
      request["dpop"] = proofs->observed;
    } else {
      request["dpop"] = nullptr;
    }
    request["cert"] = cert;
    for (const auto& [name, value] : p.observed.items()) request[name] = value;

    const int64_t left = remaining_ms(deadline);
    result = left > 0 ? net_.send(send_url, req, connection(p.tls, left)) : out_of_time();
    attempts.push_back(attempt_json(request, result));
    learn_nonce(state, p.url, result);
    last = sent_request{send_url, std::move(req), p.tls, request};
    if (attempt == 0 && should_retry(step, p, result)) continue;
    break;
  }

  json obs = {{"step", step.name}, {"action", step.action}};
  if (!step.to.empty()) obs["to"] = step.to;
  obs["request"] = last.observed;
  obs["tls"] = tls_json(result);
  if (result.resp) obs["response"] = response_json(*result.resp);
  obs["attempts"] = std::move(attempts);
  if (step.action == "token") obs["token"] = result.resp ? token_json(obs["response"]["json"]) : json(nullptr);
  if (step.action == "authorize" && result.resp) obs["authorization"] = authorization_json(*result.resp, secrets);
  state.remember(step.name, std::move(last));
  obs["duration_ms"] = ms_since(start);
  return obs;
}

result<json> step_executor::run_replay(run_state& state, const resolved_step& step) {
  const sent_request* original = state.last_request(step.of);
  if (!original)
    return make_error("replay.unknown", "replay of \"" + step.of + "\": this run sent no request under that step name");
  sent_request copy = *original;  // remember() below may replace the original
  // The same bytes over a connection to another instance (RFC 9449 11.1: is the replay cache
  // shared?); the request, its Host field excepted, does not change.
  auto url = sent_to(copy.url, step.to);
  if (!url) return url.err();
  copy.url = *url;
  const auto start = clock_type::now();
  const auto options = connection(copy.tls, step.timeout_ms);

  json obs = {{"step", step.name}, {"action", "replay"}, {"of", step.of}, {"request", copy.observed}};
  if (!step.to.empty()) obs["to"] = step.to;
  std::vector<http::exchange_result> results;
  if (step.concurrent <= 1) {
    results.push_back(net_.send(copy.url, copy.req, options));
  } else {
    results = net_.send_concurrently(copy.url, std::vector<http::request>(step.concurrent, copy.req), options);
    obs["concurrent"] = concurrent_json(results);
  }
  // The response shown is the first accepted one (the replay that got through), else the first.
  const http::exchange_result* shown = results.empty() ? nullptr : &results.front();
  for (const auto& r : results)
    if (r.resp && r.resp->status >= 200 && r.resp->status < 300) {
      shown = &r;
      break;
    }
  http::exchange_result none = out_of_time();
  if (!shown) shown = &none;
  obs["tls"] = tls_json(*shown);
  if (shown->resp) obs["response"] = response_json(*shown->resp);
  if (step.concurrent <= 1) obs["attempts"] = json::array({attempt_json(copy.observed, *shown)});
  for (const auto& r : results) learn_nonce(state, copy.url, r);
  state.remember(step.name, copy);
  obs["duration_ms"] = ms_since(start);
  return obs;
}

json concurrent_json(const std::vector<http::exchange_result>& results) {
  int accepted = 0, rejected = 0, other = 0, failed = 0;
  json statuses = json::object();
  json failures = json::object();
  for (const auto& r : results) {
    if (!r.resp) {
      ++failed;
      const std::string stage = r.failure_stage.empty() ? "unknown" : r.failure_stage;
      failures[stage] = failures.value(stage, 0) + 1;
      continue;
    }
    const int s = r.resp->status;
    if (s >= 200 && s < 300) ++accepted;
    else if (s >= 400 && s < 500) ++rejected;
    else ++other;
    const std::string key = std::to_string(s);
    statuses[key] = statuses.value(key, 0) + 1;
  }
  return {{"sent", results.size()}, {"accepted", accepted}, {"rejected", rejected}, {"other", other},
          {"failed", failed}, {"statuses", statuses}, {"failures", failures}};
}

}  // namespace tether::client
