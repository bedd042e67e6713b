// `tether`: the runner's command line (CLI11). Unknown options and bad input exit with 2.

#include <cstdio>

#include <CLI/CLI.hpp>

#include "runner/commands.hpp"
#include "runner/process.hpp"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  using namespace tether::runner;
  // Before any thread exists, so that every thread inherits the blocked signals and only the
  // clean-up thread receives them.
  install_signal_cleanup();

  CLI::App app{"tether: interoperability suite for sender-constrained OAuth tokens (RFC 8705, RFC 9449)"};
  app.set_version_flag("--version", TETHER_VERSION);
  app.require_subcommand(1);

  run_command_options run;
  CLI::App* run_cmd = app.add_subcommand("run", "run scenarios against a target and write the reports");
  run_cmd->add_option("--target", run.target_file, "target file (default: targets/builtin.json, the built-in mocks)");
  run_cmd->add_option("--scenarios", run.scenario_paths, "scenario file or directory (repeatable; default: scenarios/)");
  run_cmd->add_option("--only", run.only, "run only the scenarios whose ID matches this glob (repeatable)");
  run_cmd->add_option("--skip", run.skip, "leave out the scenarios whose ID matches this glob (repeatable)");
  run_cmd->add_option("--out", run.out_dir, "directory for the reports (default: ./results)");
  run_cmd->add_option("-j,--jobs", run.jobs, "scenarios run in parallel (default 2)")->check(CLI::Range(1, 64));
  run_cmd->add_flag("--strict", run.strict, "an unmet SHOULD is a failure, not a warning");
  run_cmd->add_option("--timeout", run.step_timeout_s, "seconds one request may take (default 10)")
      ->check(CLI::Range(0.1, 3600.0));
  run_cmd->add_option("--expectations", run.expectations_file,
                      "known divergences (tether-expectations/1): exit 0 when every verdict is a pass or expected, "
                      "1 naming each change (default: the target's `expectations`)");

  list_command_options list;
  CLI::App* list_cmd = app.add_subcommand("list", "list the scenarios, or the requirement coverage");
  list_cmd->add_option("--scenarios", list.scenario_paths, "scenario file or directory (repeatable; default: scenarios/)");
  list_cmd->add_flag("--json", list.json, "print JSON");
  list_cmd->add_flag("--coverage", list.coverage, "print each requirement of the catalogue with its scenarios");
  list_cmd->add_flag("--markdown", list.markdown, "with --coverage: print the table of scenarios/COVERAGE.md");

  std::vector<std::string> validate_files;
  CLI::App* validate_cmd = app.add_subcommand("validate", "check scenario, target and client registry files");
  validate_cmd->add_option("files", validate_files, "files to check; a directory stands for the scenario files under it")->required();

  std::vector<std::string> matrix_reports;
  std::string matrix_out;
  CLI::App* matrix_cmd = app.add_subcommand("matrix", "put several report.json files side by side");
  matrix_cmd->add_option("reports", matrix_reports, "report.json files")->required();
  matrix_cmd->add_option("--out", matrix_out, "directory for matrix.md and matrix.html")->required();

  std::string verdict_report, verdict_id;
  CLI::App* verdict_cmd = app.add_subcommand(
      "report-verdict", "exit 0 when a scenario's verdict in a report is pass or info, 77 when skipped, 1 otherwise");
  verdict_cmd->add_option("report", verdict_report, "report.json")->required();
  verdict_cmd->add_option("id", verdict_id, "scenario ID")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // --help and --version exit 0; every other parse problem is bad input (design.md 3).
    return code == 0 ? 0 : exit_bad_input;
  }
  if (*run_cmd) return run_command(run);
  if (*list_cmd) return list_command(list);
  if (*validate_cmd) return validate_command(validate_files);
  if (*matrix_cmd) return matrix_command(matrix_reports, matrix_out);
  if (*verdict_cmd) return report_verdict_command(verdict_report, verdict_id);
  return exit_bad_input;
}
