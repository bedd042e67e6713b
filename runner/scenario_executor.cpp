#include "runner/scenario_executor.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "runner/client_under_test.hpp"
#include "runner/log_tail.hpp"
#include "runner/observation_summary.hpp"
#include "runner/selection.hpp"
#include "runner/step_resolver.hpp"

namespace tether::runner {
namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

nlohmann::json merged(nlohmann::json base, const nlohmann::json& over) {
  if (!base.is_object()) base = nlohmann::json::object();
  if (over.is_object())
    for (const auto& [k, v] : over.items()) base[k] = v;
  return base;
}

nlohmann::json section(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) ? j[key] : nlohmann::json::object();
}

double handshake_ms(const nlohmann::json& obs) {
  double total = 0;
  auto add = [&](const nlohmann::json& tls) {
    if (tls.is_object() && tls.contains("handshake_ms") && tls["handshake_ms"].is_number())
      total += tls["handshake_ms"].get<double>();
  };
  if (obs.contains("attempts") && obs["attempts"].is_array() && !obs["attempts"].empty()) {
    for (const auto& a : obs["attempts"]) add(a.value("tls", nlohmann::json()));
  } else if (obs.contains("tls")) {
    add(obs["tls"]);
  }
  return total;
}

std::string trace_id(const std::string& run, const std::string& scenario_id, const std::string& step) {
  std::string id = scenario_id;
  for (char& c : id)
    if (c == '/') c = '-';
  return run + "/" + id + "/" + step;
}

// The servers one scenario talks to, started on first need.
struct scenario_world {
  std::shared_ptr<mock_instance> as, rs, rs2;  // rs2: a second instance of the RS (Q6)
  endpoints ep;
  bool as_ready = false, rs_ready = false, rs2_ready = false;
  bool client_started = false;
};

}  // namespace

mock_config as_config_for(const scenario& sc, const target& t) {
  mock_config c;
  c.r = role::as;
  const role_settings& s = t.settings.at(role::as);
  c.settings = merged(s.environment, section(sc.environment, "as"));
  c.knobs = merged(s.knobs, section(sc.mocks, "as"));
  c.fixed = s.fixed ? *s.fixed : nlohmann::json();
  return c;
}

mock_config pinned_as_config(const target& t, const pinned_profiles* profiles) {
  mock_config c = as_config_for(scenario{}, t);
  if (profiles) c.token_profiles = profiles->file();
  return c;
}

mock_config as_config_in_run(const scenario& sc, const run_environment& env) {
  return pinned_as(*env.tgt) ? pinned_as_config(*env.tgt, env.profiles) : as_config_for(sc, *env.tgt);
}

mock_config rs_config_for(const scenario& sc, const target& t, const nlohmann::json& as_ready) {
  mock_config c;
  c.r = role::rs;
  const role_settings& s = t.settings.at(role::rs);
  c.settings = merged(s.environment, section(sc.environment, "rs"));
  c.knobs = merged(s.knobs, section(sc.mocks, "rs"));
  c.trusts = as_ready;
  auto rs = t.clients.find("rs");
  if (rs != t.clients.end())
    c.trusts["introspection_client"] = rs->second.client_id + ":" + rs->second.secret.value_or("");
  return c;
}

namespace {

class executor {
 public:
  executor(const scenario& sc, client_worker& worker, run_environment& env)
      : sc_(sc), worker_(worker), env_(env), t_(*env.tgt) {}

  scenario_result run() {
    auto t0 = clock_type::now();
    scenario_result result;
    result.sc = &sc_;
    run_id_ = env_.run_prefix + "-" + std::to_string(++env_.sequence);
    deadline_ = t0 + std::chrono::milliseconds(static_cast<long long>(sc_.timeout_s * 1000));
    if (!env_.launch_problem.empty()) {
      result.verdict = "error";
      result.reason = env_.launch_problem;
      result.duration_ms = ms_since(t0);
      return result;
    }
    // The built-in client sends its step's trace (TETHER_TRACE) and shares servers like any
    // scenario; an external client may send none, so its servers are fresh and all its own.
    private_ = sc_.under_test == role::client && !t_.is_builtin(role::client);
    bool used_worker = false;
    for (const auto& st : sc_.steps) {
      step_record rec;
      rec.st = &st;
      auto s0 = clock_type::now();
      if (clock_type::now() >= deadline_) {
        rec.error = "the scenario's timeout of " + std::to_string(sc_.timeout_s) + " s ran out before this step";
      } else if (st.action == "run_client") {
        run_client(st, rec, result);
        if (result.verdict == "skip") {
          result.duration_ms = ms_since(t0);
          return result;
        }
      } else {
        used_worker = true;
        run_step(st, rec);
      }
      rec.duration_ms = ms_since(s0);
      if (rec.observation.is_object()) result.tls_handshake_ms += handshake_ms(rec.observation);
      if (rec.error.empty() && rec.observation.is_object()) {
        judge_context jc;
        jc.scenario_level = sc_.lvl;
        jc.errors = &t_.error_map;
        jc.lookup = [this](const std::string& step, const std::string& pointer) -> const nlohmann::json* {
          auto it = observations_.find(step);
          return it == observations_.end() ? nullptr : resolve_pointer(it->second, pointer);
        };
        rec.expectations = judge_step(st, rec.observation, jc);
        if (closed_without_response(rec.observation)) add_launched_log(rec);
      }
      bool stop = !rec.error.empty();
      if (st.kind != step_kind::probe)
        for (const auto& e : rec.expectations) stop = stop || !e.met;
      result.steps.push_back(std::move(rec));
      // A broken setup makes later steps meaningless; the verdict is already `error`.
      if (stop) break;
    }
    if (used_worker) worker_.end_run(run_id_);
    verdict_decision v = decide_verdict(sc_, result.steps, env_.strict);
    result.verdict = v.verdict;
    result.reason = v.reason;
    result.duration_ms = ms_since(t0);
    return result;
  }

 private:
  status ensure_as() {
    if (world_.as_ready) return {};
    if (t_.is_builtin(role::as)) {
      bool pinned = pinned_as(t_);
      mock_config c = as_config_in_run(sc_, env_);
      // selection.cpp lets a scenario with AS knobs run against the pinned AS only when a
      // profile carries them; without its handle, it would get a correct token: a false verdict.
      if (pinned && sc_.mocks.contains("as") && !sc_.mocks["as"].empty()) {
        token_profile_ = env_.profiles ? env_.profiles->handle_for(sc_.mocks["as"]) : std::string();
        if (token_profile_.empty())
          return make_error("as.profile", "the pinned mock AS has no token profile for this scenario's knobs");
      }
      auto inst = private_ ? env_.pool->start_private(c) : env_.pool->acquire(c);
      if (!inst) return inst.err();
      world_.as = *inst;
      const nlohmann::json& r = world_.as->ready;
      world_.ep.issuer = r.value("issuer", std::string());
      world_.ep.token_endpoint = r.value("token_endpoint", std::string());
      world_.ep.mtls_token_endpoint = r.value("mtls_token_endpoint", std::string());
      world_.ep.authorization_endpoint = r.value("authorization_endpoint", std::string());
      world_.ep.introspection_endpoint = r.value("introspection_endpoint", std::string());
      world_.ep.jwks_uri = r.value("jwks_uri", std::string());
      world_.ep.metadata_url = r.value("metadata_url", std::string());
      world_.ep.as_ca_file = env_.certs_dir + "/ca.crt";
    } else {
      const nlohmann::json& m = env_.external_as_metadata;
      if (!env_.as_problem.empty()) return make_error("as.metadata", env_.as_problem);
      if (!m.is_object() || m.empty())
        return make_error("as.metadata", "the external AS's metadata could not be discovered");
      world_.ep.issuer = m.value("issuer", t_.settings.at(role::as).issuer);
      world_.ep.token_endpoint = m.value("token_endpoint", std::string());
      if (m.contains("mtls_endpoint_aliases") && m["mtls_endpoint_aliases"].is_object())
        world_.ep.mtls_token_endpoint = m["mtls_endpoint_aliases"].value("token_endpoint", std::string());
      world_.ep.authorization_endpoint = m.value("authorization_endpoint", std::string());
      world_.ep.introspection_endpoint = m.value("introspection_endpoint", std::string());
      world_.ep.jwks_uri = m.value("jwks_uri", std::string());
      world_.ep.metadata_url = env_.external_as_metadata_url;
      world_.ep.as_ca_file = t_.settings.at(role::as).ca_file;
    }
    world_.as_ready = true;
    return {};
  }

  status ensure_rs() {
    if (world_.rs_ready) return {};
    if (t_.is_builtin(role::rs)) {
      if (status s = ensure_as(); !s) return s;
      nlohmann::json trusted = world_.as ? world_.as->ready
                                         : nlohmann::json{{"issuer", world_.ep.issuer}, {"jwks_uri", world_.ep.jwks_uri},
                                                          {"introspection_endpoint", world_.ep.introspection_endpoint}};
      mock_config c = rs_config_for(sc_, t_, trusted);
      auto inst = private_ ? env_.pool->start_private(c) : env_.pool->acquire(c);
      if (!inst) return inst.err();
      world_.rs = *inst;
      world_.ep.rs_url = world_.rs->ready.value("url", std::string());
      world_.ep.rs_resource = world_.rs->ready.value("resource", world_.ep.rs_url + "/resource");
      world_.ep.rs_ca_file = env_.certs_dir + "/ca.crt";
    } else {
      const role_settings& s = t_.settings.at(role::rs);
      world_.ep.rs_url = origin_of(s.url);
      world_.ep.rs_resource = s.url;
      world_.ep.rs_paths = s.urls;
      world_.ep.rs_ca_file = s.ca_file;
    }
    world_.rs_ready = true;
    return {};
  }

  // A second RS like the first, behind the first's public origin, with its own replay cache:
  // what a deployment of several instances is unless they share one (RFC 9449 11.1, Q6).
  status ensure_second_rs() {
    if (world_.rs2_ready) return {};
    if (status s = ensure_rs(); !s) return s;
    if (t_.is_builtin(role::rs)) {
      mock_config c = world_.rs->config;
      c.settings["public_origin"] = world_.ep.rs_url;
      auto inst = private_ ? env_.pool->start_private(c) : env_.pool->acquire(c);
      if (!inst) return inst.err();
      world_.rs2 = *inst;
      world_.ep.rs_second_instance = world_.rs2->ready.value("url", std::string());
    } else {
      world_.ep.rs_second_instance = t_.settings.at(role::rs).second_instance;
      if (world_.ep.rs_second_instance.empty())
        return make_error("rs.instance", "the target names no second instance of its RS (rs.second_instance)");
    }
    world_.rs2_ready = true;
    return {};
  }

  // A launched implementation that closed the connection without answering has most often
  // crashed on the request: its last words go with the unmet outcome.
  void add_launched_log(step_record& rec) {
    if (env_.launched_log.empty()) return;
    std::string tail = log_tail(env_.launched_log);
    if (tail.empty()) return;
    for (auto& e : rec.expectations)
      if (!e.met && e.what == "outcome") e.detail += "; the launched target's output ends: " + tail;
  }

  // A mock of this scenario, or the launched implementation, that died makes its steps
  // `error`, with its exit status.
  std::string dead_mock() {
    for (const auto* inst : {world_.as.get(), world_.rs.get(), world_.rs2.get()})
      if (inst)
        if (std::string why = const_cast<mock_instance*>(inst)->exit_reason(); !why.empty()) return why;
    if (env_.launched_exit_reason) return env_.launched_exit_reason();
    return "";
  }

  // Events by trace: `traces` exactly, and every trace under `prefix` ("" = none); with `all`,
  // every event not taken yet (a private instance's).
  void attach_events(nlohmann::json& obs, const std::vector<std::string>& traces, const std::string& prefix,
                     bool all) {
    std::vector<nlohmann::json> events;
    for (const auto& inst : {world_.as, world_.rs, world_.rs2}) {
      if (!inst || !inst->events) continue;
      inst->events->sync();
      std::vector<nlohmann::json> got;
      if (all) {
        got = inst->events->take_all();
      } else {
        for (const auto& trace : traces)
          for (auto& e : inst->events->take(trace)) got.push_back(std::move(e));
        if (!prefix.empty())
          for (auto& e : inst->events->take_prefix(prefix)) got.push_back(std::move(e));
      }
      for (auto& e : got) {
        if (!e.contains("server")) e["server"] = to_string(inst->config.r);
        events.push_back(std::move(e));
      }
    }
    obs["events"] = group_events(events, "");
  }

  // The traces a step's requests carry: its own, and for a replay also that of the request it
  // repeats (tether-client resends the original's bytes, Tether-Trace included:
  // docs/client-protocol.md), followed through replays of replays.
  std::vector<std::string> traces_of(const step& st) {
    std::vector<std::string> out = {trace_id(run_id_, sc_.id, st.name)};
    const step* cur = &st;
    for (int depth = 0; cur->action == "replay" && depth < 16; ++depth) {
      std::string of = cur->params.value("of", std::string());
      const step* next = nullptr;
      for (const auto& other : sc_.steps)
        if (other.name == of) next = &other;
      if (!next) break;
      out.push_back(trace_id(run_id_, sc_.id, next->name));
      cur = next;
    }
    return out;
  }

  void run_step(const step& st, step_record& rec) {
    // A replay goes to the server of the step it repeats.
    const step* target_step = &st;
    if (st.action == "replay")
      for (const auto& other : sc_.steps)
        if (other.name == st.params.value("of", std::string())) target_step = &other;
    if (step_needs_as(*target_step))
      if (status s = ensure_as(); !s) { rec.error = s.err().message; return; }
    if (step_needs_rs(*target_step))
      if (status s = ensure_rs(); !s) { rec.error = s.err().message; return; }
    if (st.params.value("instance", 1) == 2)
      if (status s = ensure_second_rs(); !s) { rec.error = s.err().message; return; }
    resolve_context rc;
    rc.tgt = &t_;
    rc.certs_dir = env_.certs_dir;
    rc.ep = world_.ep;
    rc.trace = trace_id(run_id_, sc_.id, st.name);
    rc.timeout_ms = env_.step_timeout_ms;
    rc.observations = &observations_;
    rc.resolved = &resolved_;
    auto resolved = resolve_step(st, rc);
    if (!resolved) {
      rec.error = resolved.err().message;
      return;
    }
    // The pinned AS shapes this scenario's tokens by its profile (runner/pinned_profiles.hpp).
    if (!token_profile_.empty() && st.action == "token") {
      nlohmann::json& headers = (*resolved)["headers"];
      if (!headers.is_array()) headers = nlohmann::json::array();
      headers.push_back({"Tether-Token-Profile", token_profile_});
    }
    resolved_[st.name] = *resolved;
    // The client gives up on a request after timeout_ms; the worker gets a grace period beyond
    // that, then is killed and replaced.
    auto deadline = std::min(deadline_, clock_type::now() + std::chrono::milliseconds(env_.step_timeout_ms) +
                                            std::chrono::seconds(5));
    auto answer = worker_.call("step", {{"run", run_id_}, {"step", *resolved}}, deadline);
    if (!answer) {
      rec.error = answer.err().code == "worker.timeout"
                      ? "timed out: no observation within the step's deadline; the worker was replaced"
                      : answer.err().message;
      if (std::string dead = dead_mock(); !dead.empty()) rec.error = dead;
      return;
    }
    if (answer->contains("error") || !answer->contains("observation")) {
      rec.error = "tether-client could not run the step: " + answer->value("error", std::string("no observation"));
      return;
    }
    nlohmann::json obs = (*answer)["observation"];
    if (!obs.is_object()) obs = nlohmann::json::object();
    obs["summary"] = summarize_observation(obs);
    attach_events(obs, traces_of(st), "", false);
    if (std::string dead = dead_mock(); !dead.empty()) rec.error = dead;
    else if (std::string why = observation_error(obs); !why.empty()) rec.error = why;
    observations_[st.name] = obs;
    rec.observation = std::move(obs);
  }

  void run_client(const step& st, step_record& rec, scenario_result& result) {
    if (status s = ensure_rs(); !s) { rec.error = s.err().message; return; }
    // On private servers, only what the client under test causes belongs to this step (the RS
    // fetched the AS's keys while starting).
    if (private_ && !world_.client_started) {
      for (const auto& inst : {world_.as, world_.rs})
        if (inst && inst->events) {
          inst->events->sync();
          (void)inst->events->take_all();
        }
      world_.client_started = true;
    }
    const std::string reg_name = st.params["client"].get<std::string>();
    auto reg_it = t_.clients.find(reg_name);
    if (reg_it == t_.clients.end()) { rec.error = "the target has no client registration \"" + reg_name + "\""; return; }
    const role_settings& cs = t_.settings.at(role::client);
    client_run_request rq;
    rq.tgt = &t_;
    rq.reg = &reg_it->second;
    rq.flow = st.params["flow"].get<std::string>();
    rq.binding = st.params["binding"].get<std::string>();
    rq.ep = world_.ep;
    rq.certs_dir = env_.certs_dir;
    rq.trace = trace_id(run_id_, sc_.id, st.name);
    rq.stderr_file = env_.work_dir + "/client-" + run_id_ + ".stderr.log";
    rq.deadline = std::min(deadline_, clock_type::now() + std::chrono::milliseconds(static_cast<long long>(cs.timeout_s * 1000)));
    client_run_outcome ran = run_client_under_test(rq);
    if (!ran.start_error.empty()) { rec.error = ran.start_error; return; }
    bool timed_out = !ran.exit_code;
    nlohmann::json obs = {{"step", st.name}, {"duration_ms", ran.duration_ms},
                          {"exit_code", ran.exit_code ? nlohmann::json(*ran.exit_code) : nlohmann::json()},
                          {"stdout", ran.stdout_tail}};
    obs["summary"] = {{"outcome", timed_out ? "timeout" : (*ran.exit_code == 0 ? "accept" : "reject")},
                      {"status", nullptr}, {"error", nullptr}, {"scheme", nullptr}};
    // The built-in client prefixes every Tether-Trace with TETHER_TRACE ("<trace>/<request>").
    attach_events(obs, {rq.trace}, rq.trace + "/", private_);
    if (timed_out) rec.error = "the client under test did not finish in time";
    else if (*ran.exit_code == cs.unsupported_exit_code) {
      result.verdict = "skip";
      result.reason = "the client under test does not support this (exit status " + std::to_string(*ran.exit_code) + ")";
    } else if (std::string dead = dead_mock(); !dead.empty()) rec.error = dead;
    observations_[st.name] = obs;
    rec.observation = std::move(obs);
  }

  const scenario& sc_;
  client_worker& worker_;
  run_environment& env_;
  const target& t_;
  std::string run_id_;
  clock_type::time_point deadline_;
  bool private_ = false;
  std::string token_profile_;  // the handle of this scenario's token profile, "" for none
  scenario_world world_;
  std::map<std::string, nlohmann::json> observations_;
  std::map<std::string, nlohmann::json> resolved_;
};

}  // namespace

scenario_result execute_scenario(const scenario& sc, client_worker& worker, run_environment& env) {
  return executor(sc, worker, env).run();
}

}  // namespace tether::runner
