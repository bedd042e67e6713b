// `tether run`: load, plan, run with -j N, write the reports, print the summary.

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "reports/report_writers.hpp"
#include "runner/commands.hpp"
#include "runner/inputs.hpp"
#include "runner/mock_commands.hpp"
#include "runner/progress.hpp"
#include "runner/report_builder.hpp"
#include "runner/run_engine.hpp"

namespace tether::runner {
namespace fs = std::filesystem;
namespace {

// An external RS under test must trust the suite's mock AS (targets/README.md): print what to
// configure it with, from the default AS instance the run will use.
void print_rs_trust(const target& t, mock_pool& pool, const knob_catalog& knobs, progress_printer& out) {
  if (!t.under_test(role::rs) || t.is_builtin(role::rs) || !t.is_builtin(role::as)) return;
  scenario none;
  auto as = pool.acquire(as_config_for(none, t));
  if (!as) {
    out.line("tether: the mock AS the RS must trust did not start: " + as.err().message);
    return;
  }
  const nlohmann::json& r = (*as)->ready;
  out.line("The RS under test must trust the suite's mock AS:");
  out.line("  issuer:   " + r.value("issuer", std::string("?")));
  out.line("  JWKS URL: " + r.value("jwks_uri", std::string("?")));
  // The audience the mock AS puts in its tokens: its `audience` knob.
  std::string audience = "(tether-as --describe-knobs: audience)";
  const nlohmann::json& as_knobs = t.settings.at(role::as).knobs;
  if (as_knobs.contains("audience") && as_knobs["audience"].is_string()) audience = as_knobs["audience"].get<std::string>();
  else if (const knob_info* k = knobs.find(role::as, "audience"); k && k->default_value.is_string())
    audience = k->default_value.get<std::string>();
  out.line("  audience: " + r.value("audience", audience));
  if (r.contains("introspection_endpoint"))
    out.line("  introspection: " + r.value("introspection_endpoint", std::string()) + " (client \"rs\")");
  if (!t.settings.at(role::as).fixed)
    out.line("  (these change every run; set as.fixed {\"port\", \"signing_key\"} in the target to keep them)");
}

bool needs_builtin(const target& t, const std::vector<planned>& plan, role r) {
  if (!t.is_builtin(r)) return false;
  for (const auto& p : plan)
    if (p.skip_reason.empty()) return true;
  return false;
}

}  // namespace

int run_command(const run_command_options& o) {
  loaded_inputs in = load_inputs(o.scenario_paths, o.target_file, /*with_target=*/true);
  for (const auto& n : in.notes) std::fprintf(stderr, "tether: %s\n", n.c_str());
  if (!in.problems.empty()) {
    print_problems(in.problems);
    return exit_bad_input;
  }
  selection_filter filter{o.only, o.skip};
  std::vector<planned> plan = plan_run(in.catalogue, in.tgt, filter);
  if (plan.empty()) {
    if (in.catalogue.all().empty()) {
      std::string where;
      for (const auto& p : o.scenario_paths.empty() ? std::vector<std::string>{default_scenarios_dir()} : o.scenario_paths)
        where += (where.empty() ? "" : ", ") + p;
      std::fprintf(stderr, "tether: no scenarios in %s\n", where.c_str());
    } else {
      std::fprintf(stderr, "tether: no scenario matches --only/--skip\n");
    }
    return exit_bad_input;
  }
  // The built-in processes this run needs must exist before anything starts.
  std::vector<role> needed = {role::client};
  for (role r : {role::as, role::rs})
    if (needs_builtin(in.tgt, plan, r)) needed.push_back(r);
  for (role r : needed)
    if (!mock_binary_exists(r)) {
      std::fprintf(stderr, "tether: %s is not built (build the project first: ./tether build)\n", mock_binary(r).c_str());
      return exit_bad_input;
    }

  std::error_code ec;
  std::string work = (fs::absolute(o.out_dir) / "work").string();
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  if (ec) {
    std::fprintf(stderr, "tether: cannot create %s: %s\n", work.c_str(), ec.message().c_str());
    return exit_bad_input;
  }
  if (const char* log = std::getenv("TETHER_CHILD_LOG"); log && *log) child_registry::set_log_file(log);

  mock_pool_options po;
  po.work_dir = work;
  po.certs_dir = default_certs_dir();
  if (status s = ensure_certificates(po.certs_dir); !s) {
    std::fprintf(stderr, "tether: %s\n", s.err().message.c_str());
    return exit_bad_input;
  }
  po.clients_file = in.tgt.clients_file;
  po.knobs = &in.knobs;
  mock_pool pool(po);
  run_environment env;
  env.tgt = &in.tgt;
  env.pool = &pool;
  env.knobs = &in.knobs;
  env.certs_dir = po.certs_dir;
  env.work_dir = work;
  env.step_timeout_ms = static_cast<int>(o.step_timeout_s * 1000);
  env.strict = o.strict;
  env.run_prefix = "r" + std::to_string(getpid());

  progress_printer progress(stdout, progress_printer::want_colour(stdout));
  std::unique_ptr<child_process> launched;
  if (status s = prepare_external(env, launched); !s) {
    if (launched) launched->stop();
    std::fprintf(stderr, "tether: %s\n", s.err().message.c_str());
    return exit_failed;
  }
  print_rs_trust(in.tgt, pool, in.knobs, progress);

  run_totals totals = run_plan(plan, env, o.jobs, [&](const scenario_result& r) { progress.scenario_done(r); });
  if (launched) launched->stop();
  child_registry::kill_all();  // nothing of ours outlives the run

  report_inputs ri;
  ri.tgt = &in.tgt;
  ri.jobs = o.jobs;
  ri.strict = o.strict;
  ri.only = o.only;
  ri.skip = o.skip;
  ri.scenario_files = in.scenario_files;
  nlohmann::json report = build_report(totals, ri);
  progress.summary(totals.results, totals.duration_ms);
  progress.line(fmt::format("TLS handshakes: {:.1f} ms of {:.1f} ms inside scenarios",
                            report["run"]["tls_handshake_ms"].get<double>(), report["run"]["scenario_ms"].get<double>()));
  if (status s = reports::write_reports(report, o.out_dir); !s) {
    std::fprintf(stderr, "tether: writing the reports: %s\n", s.err().message.c_str());
    return exit_failed;
  }
  for (const char* f : {"report.json", "junit.xml", "report.md", "report.html"})
    progress.line("  " + (fs::path(o.out_dir) / f).string());
  progress.line("  " + work + " (the mocks' event logs and output)");
  const nlohmann::json& sum = report["summary"];
  return sum["fail"].get<int>() + sum["error"].get<int>() > 0 ? exit_failed : exit_ok;
}

}  // namespace tether::runner
