#include "runner/run_engine.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runner/log_tail.hpp"
#include "runner/step_resolver.hpp"

namespace tether::runner {
namespace {

using clock_type = std::chrono::steady_clock;

scenario_result skipped(const planned& p) {
  scenario_result r;
  r.sc = p.sc;
  r.verdict = "skip";
  r.reason = p.skip_reason;
  r.disabled_pattern = p.disabled_pattern;
  return r;
}

void warm_up(const std::vector<planned>& plan, run_environment& env, const std::atomic<bool>& stop) {
  const target& t = *env.tgt;
  for (const auto& p : plan) {
    if (stop) return;
    if (!p.skip_reason.empty()) continue;
    if (p.sc->under_test == role::client && !t.is_builtin(role::client)) {
      // An external client may not send Tether-Trace: fresh servers for each of its scenarios,
      // prepared a few scenarios ahead, whose events are all its own.
      if (!t.is_builtin(role::as) || !t.is_builtin(role::rs)) continue;
      while (!stop && env.pool->parked() >= 6) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (stop) return;
      auto as_inst = env.pool->start_private(as_config_in_run(*p.sc, env), /*allow_spare=*/false);
      if (!as_inst) continue;
      auto rs_inst = env.pool->start_private(rs_config_for(*p.sc, t, (*as_inst)->ready), /*allow_spare=*/false);
      if (!rs_inst) continue;
      // The RS fetched the AS's keys while starting: not the client's doing.
      for (const auto& inst : {*as_inst, *rs_inst}) {
        inst->events->sync();
        (void)inst->events->take_all();
      }
      env.pool->park(*as_inst);
      env.pool->park(*rs_inst);
      continue;
    }
    bool as = false, rs = false;
    for (const auto& st : p.sc->steps) {
      as = as || step_needs_as(st);
      rs = rs || step_needs_rs(st);
    }
    if (!t.is_builtin(role::as) || !(as || rs)) continue;
    auto as_inst = env.pool->acquire(as_config_in_run(*p.sc, env));
    if (!as_inst || !rs || !t.is_builtin(role::rs) || stop) continue;
    (void)env.pool->acquire(rs_config_for(*p.sc, t, (*as_inst)->ready));
  }
}

}  // namespace

run_totals run_plan(const std::vector<planned>& plan, run_environment& env, int jobs, const result_callback& on_done) {
  auto t0 = clock_type::now();
  run_totals totals;
  std::vector<scenario_result> results(plan.size());
  std::atomic<std::size_t> next{0};
  std::mutex report_mu;
  // Threads stay alive until the pool is down: a child started with PR_SET_PDEATHSIG dies with
  // the thread that forked it, and mocks are shared across threads.
  std::mutex done_mu;
  std::condition_variable done_cv;
  int finished = 0;
  bool released = false;
  std::atomic<int> restarts{0};

  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(std::max<std::size_t>(plan.size(), 1))));
  std::vector<std::thread> threads;
  // Starting a mock takes far longer than a scenario: a warm-up thread starts the instances the
  // plan needs, in plan order, while the jobs run; a job that gets there first waits for the
  // same instance instead of starting its own.
  std::atomic<bool> stop_warming{false};
  threads.emplace_back([&]() {
    if (env.pool) warm_up(plan, env, stop_warming);
    std::unique_lock<std::mutex> lock(done_mu);
    done_cv.wait(lock, [&] { return released; });
  });
  for (int j = 0; j < jobs; ++j) {
    threads.emplace_back([&, j]() {
      client_worker worker(env.certs_dir, env.work_dir + "/client-worker-" + std::to_string(j) + ".stderr.log");
      while (true) {
        std::size_t i = next++;
        if (i >= plan.size()) break;
        const planned& p = plan[i];
        scenario_result r = p.skip_reason.empty() ? execute_scenario(*p.sc, worker, env) : skipped(p);
        {
          std::lock_guard<std::mutex> lock(report_mu);
          if (on_done) on_done(r);
        }
        results[i] = std::move(r);
      }
      restarts += std::max(0, worker.restarts());
      worker.stop();
      std::unique_lock<std::mutex> lock(done_mu);
      ++finished;
      done_cv.notify_all();
      done_cv.wait(lock, [&] { return released; });
    });
  }
  {
    std::unique_lock<std::mutex> lock(done_mu);
    done_cv.wait(lock, [&] { return finished == jobs; });
  }
  stop_warming = true;
  if (env.pool) {
    totals.mocks_started = env.pool->started();
    env.pool->shutdown();
  }
  {
    std::lock_guard<std::mutex> lock(done_mu);
    released = true;
  }
  done_cv.notify_all();
  for (auto& t : threads) t.join();

  for (const auto& r : results) totals.tls_handshake_ms += r.tls_handshake_ms;
  totals.results = std::move(results);
  std::sort(totals.results.begin(), totals.results.end(),
            [](const scenario_result& a, const scenario_result& b) { return a.sc->id < b.sc->id; });
  totals.worker_restarts = restarts;
  totals.duration_ms = std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
  return totals;
}

namespace {

status launch_target(run_environment& env, client_worker& worker, std::unique_ptr<child_process>& launched) {
  const target& t = *env.tgt;
  std::string log = env.work_dir + "/launched-target.log";
  spawn_options o;
  o.argv = t.launch->command;
  o.env = t.launch->env;
  // The run's certificate set: what the implementation's TLS and client checks must use.
  if (!o.env.count("TETHER_CERTS")) o.env["TETHER_CERTS"] = env.certs_dir;
  o.cwd = t.launch->cwd.empty() ? t.dir : t.launch->cwd;
  o.pipe_stdout = false;
  o.stdout_file = log;
  o.stderr_file = log;
  o.label = "launched target";
  env.launched_log = log;
  auto child = child_process::spawn(o);
  if (!child) return make_error("launch.start", child.err().message);
  launched = std::move(*child);
  if (t.launch->ready_url.empty()) return {};
  // Ready when the URL answers at all (any HTTP status): the runner does no TLS itself, so
  // tether-client asks.
  auto until = clock_type::now() + std::chrono::milliseconds(static_cast<long long>(t.launch->timeout_s * 1000));
  std::string ca = !t.settings.at(role::rs).ca_file.empty() ? t.settings.at(role::rs).ca_file
                                                             : t.settings.at(role::as).ca_file;
  std::string last_failure;
  int attempt = 0;
  // A server that requires a client certificate refuses a probe without one at the TLS layer:
  // it is up, and the next probes present the suite's client-a (or the target's own mapping).
  nlohmann::json cert_name = nullptr;
  while (clock_type::now() < until) {
    if (auto st = launched->exit_status()) {
      std::string tail = log_tail(log);
      return make_error("launch.exit", "the launched target " + describe_exit(*st) + " before it was ready" +
                                           (tail.empty() ? "" : ": " + tail) + " (output: " + log + ")");
    }
    resolve_context rc;
    rc.tgt = &t;
    rc.certs_dir = env.certs_dir;
    nlohmann::json step = {{"name", "ready"}, {"action", "fetch"}, {"trace", "launch/ready"},
                           {"url", t.launch->ready_url}, {"method", "GET"}, {"timeout_ms", 2000},
                           {"tls", tls_block(ca, cert_name, rc)}};
    auto answer = worker.call("step", {{"run", "launch-" + std::to_string(++attempt)}, {"step", step}},
                              clock_type::now() + std::chrono::seconds(10));
    if (answer && answer->contains("observation") && (*answer)["observation"].contains("response")) return {};
    if (answer && answer->contains("observation")) {
      const nlohmann::json& tls = (*answer)["observation"].value("tls", nlohmann::json::object());
      last_failure = tls.value("stage", std::string()) + ": " + tls.value("error", std::string());
      if (cert_name.is_null() && tls.value("kind", std::string()) == "alert") {
        cert_name = "client-a";
        continue;
      }
    } else if (!answer) {
      last_failure = answer.err().message;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return make_error("launch.timeout", "the launched target did not answer at " + t.launch->ready_url + " within " +
                                          std::to_string(static_cast<int>(t.launch->timeout_s)) + " s" +
                                          (last_failure.empty() ? "" : " (last attempt: " + last_failure + ")") +
                                          " (output: " + log + ")");
}

}  // namespace

void prepare_external(run_environment& env, std::unique_ptr<child_process>& launched) {
  const target& t = *env.tgt;
  client_worker worker(env.certs_dir, env.work_dir + "/client-prepare.stderr.log");
  if (t.launch)
    if (status s = launch_target(env, worker, launched); !s) env.launch_problem = s.err().message;
  if (!t.is_builtin(role::as) && env.launch_problem.empty()) {
    const role_settings& as = t.settings.at(role::as);
    nlohmann::json tls = {{"ca_file", as.ca_file.empty() ? env.certs_dir + "/ca.crt" : as.ca_file},
                          {"cert_file", nullptr}, {"key_file", nullptr}, {"cert_name", nullptr}};
    nlohmann::json request = {{"issuer", as.issuer}, {"tls", tls}, {"timeout_ms", env.step_timeout_ms}};
    if (!as.metadata_url.empty()) request["metadata_url"] = as.metadata_url;
    // Up to two GETs (RFC 8414, then OpenID Connect discovery), each bounded by the step timeout.
    auto answer = worker.call("discover", request,
                              clock_type::now() + std::chrono::milliseconds(2 * env.step_timeout_ms) + std::chrono::seconds(5));
    if (!answer) {
      env.as_problem = "discovering the AS metadata of " + as.issuer + ": " +
                       (answer.err().code == "worker.timeout" ? "no answer in time" : answer.err().message);
    } else if (!answer->contains("metadata") || !(*answer)["metadata"].is_object()) {
      env.as_problem = "discovering the AS metadata of " + as.issuer + ": " +
                       answer->value("error", std::string("no metadata"));
    } else {
      env.external_as_metadata = (*answer)["metadata"];
      env.external_as_metadata_url = answer->value("metadata_url", std::string());
      env.external_as_metadata_via = answer->value("via", std::string());
    }
  }
  worker.stop();
}

}  // namespace tether::runner
