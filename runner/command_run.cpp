// `tether run`: load, plan, run with -j N, write the reports, print the summary.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "reports/report_writers.hpp"
#include "runner/commands.hpp"
#include "runner/expectations.hpp"
#include "runner/inputs.hpp"
#include "runner/known_secrets.hpp"
#include "runner/launch_placeholders.hpp"
#include "runner/mock_commands.hpp"
#include "runner/progress.hpp"
#include "runner/report_builder.hpp"
#include "runner/rs_trust.hpp"
#include "runner/run_engine.hpp"

namespace tether::runner {
namespace fs = std::filesystem;
namespace {

bool needs_builtin(const target& t, const std::vector<planned>& plan, role r) {
  if (!t.is_builtin(r)) return false;
  for (const auto& p : plan)
    if (p.skip_reason.empty()) return true;
  return false;
}

std::set<std::string> catalogue_ids(const scenario_catalogue& c) {
  std::set<std::string> ids;
  for (const scenario* s : c.all()) ids.insert(s->id);
  return ids;
}

void print_expectations(const expectations_outcome& o, progress_printer& out) {
  out.line(fmt::format("Expectations ({}): {} expected verdict{}, {} unexpected change{}", o.set->file, o.expected,
                       o.expected == 1 ? "" : "s", o.problems.size(), o.problems.size() == 1 ? "" : "s"));
  for (const auto& f : o.problems) out.line(fmt::format("  {:<10} {}", to_string(f.match), f.message));
}

}  // namespace

int run_command(const run_command_options& o) {
  loaded_inputs in = load_inputs(o.scenario_paths, o.target_file, /*with_target=*/true);
  for (const auto& n : in.notes) std::fprintf(stderr, "tether: %s\n", n.c_str());
  std::string expectations_file = !o.expectations_file.empty() ? o.expectations_file : in.tgt.expectations_file;
  expectation_set expected;
  if (!expectations_file.empty()) expected = load_expectations(expectations_file, in.problems);
  if (!in.problems.empty()) {
    print_problems(in.problems);
    return exit_bad_input;
  }
  // The target's client secrets: a message that quotes a command line or a file redacts them.
  for (const auto& [name, reg] : in.tgt.clients)
    if (reg.secret) known_secrets::add(*reg.secret);
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
  // What the implementation under test leaves running (a daemon that left its process group
  // included) is reparented to the runner, which stops it at the end of the run.
  adopt_orphans();

  mock_pool_options po;
  po.work_dir = work;
  po.certs_dir = default_certs_dir();
  if (status s = ensure_certificates(po.certs_dir); !s) {
    std::fprintf(stderr, "tether: %s\n", s.err().message.c_str());
    return exit_bad_input;
  }
  auto filled = fill_placeholders(in.tgt, po.certs_dir);
  if (!filled) {
    std::fprintf(stderr, "tether: %s: %s\n", in.tgt.path.c_str(), filled.err().message.c_str());
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
  // An external RS fetches the keys of the AS it trusts when it starts: that AS comes first.
  if (needs_rs_trust(in.tgt)) {
    auto trust = describe_rs_trust(in.tgt, pool, in.knobs, po.certs_dir, work);
    if (trust) {
      print_rs_trust(*trust, in.tgt, progress);
      std::ofstream(fs::path(o.out_dir) / "rs-trust.json") << trust->dump(2) << "\n";
    } else {
      progress.line("tether: " + trust.err().message);
    }
  }
  std::unique_ptr<child_process> launched;
  std::mutex launched_mu;
  prepare_external(env, launched);
  if (launched)
    env.launched_exit_reason = [&]() -> std::string {
      std::lock_guard<std::mutex> lock(launched_mu);
      auto st = launched->exit_status();
      return st ? "the launched target " + describe_exit(*st) + " (output: " + work + "/launched-target.log)" : "";
    };
  for (const std::string* p : {&env.launch_problem, &env.as_problem})
    if (!p->empty()) progress.line("tether: " + *p + "; the scenarios that need it are errors");
  if (env.external_as_metadata_via == "openid-configuration")
    progress.line("tether: the AS serves no RFC 8414 metadata at its well-known URL; its OpenID Connect discovery "
                  "document " + env.external_as_metadata_url + " is used instead");

  run_totals totals = run_plan(plan, env, o.jobs, [&](const scenario_result& r) { progress.scenario_done(r); });
  env.launched_exit_reason = nullptr;
  if (launched) launched->stop();
  child_registry::kill_all();  // nothing of ours outlives the run
  (void)stop_orphans();        // nor anything our children left behind
  totals.killed_processes = killed_processes();

  std::optional<expectations_outcome> compared;
  if (!expectations_file.empty()) compared = compare_with_expectations(totals.results, expected, catalogue_ids(in.catalogue));

  report_inputs ri;
  ri.tgt = &in.tgt;
  ri.jobs = o.jobs;
  ri.strict = o.strict;
  ri.only = o.only;
  ri.skip = o.skip;
  ri.scenario_files = in.scenario_files;
  ri.expectations = compared ? &*compared : nullptr;
  ri.as_metadata_url = env.external_as_metadata_url;
  ri.as_metadata_via = env.external_as_metadata_via;
  nlohmann::json report = build_report(totals, ri);
  progress.summary(totals.results, totals.duration_ms);
  progress.line(fmt::format("TLS handshakes: {:.1f} ms of {:.1f} ms inside scenarios",
                            report["run"]["tls_handshake_ms"].get<double>(), report["run"]["scenario_ms"].get<double>()));
  if (!totals.killed_processes.empty()) progress.line("tether: " + killed_processes_text(report["run"]["killed_processes"]));
  if (compared) print_expectations(*compared, progress);
  if (status s = reports::write_reports(report, o.out_dir); !s) {
    std::fprintf(stderr, "tether: writing the reports: %s\n", s.err().message.c_str());
    return exit_failed;
  }
  for (const char* f : {"report.json", "junit.xml", "report.md", "report.html"})
    progress.line("  " + (fs::path(o.out_dir) / f).string());
  progress.line("  " + work + " (the mocks' event logs and output)");
  // With expectations, CI passes when nothing changed: known divergences are not failures,
  // and a divergence that went away must be removed from the file (it is named above).
  if (compared) return compared->ok() ? exit_ok : exit_failed;
  const nlohmann::json& sum = report["summary"];
  return sum["fail"].get<int>() + sum["error"].get<int>() > 0 ? exit_failed : exit_ok;
}

}  // namespace tether::runner
