// `tether list`, `tether validate`, `tether matrix`, `tether report-verdict`.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "reports/report_model.hpp"
#include "reports/report_writers.hpp"
#include "runner/commands.hpp"
#include "runner/expectations.hpp"
#include "runner/inputs.hpp"
#include "runner/mock_commands.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {

int list_command(const list_command_options& o) {
  loaded_inputs in = load_inputs(o.scenario_paths, "", /*with_target=*/false);
  for (const auto& n : in.notes) std::fprintf(stderr, "tether: %s\n", n.c_str());
  if (!in.problems.empty()) {
    print_problems(in.problems);
    return exit_bad_input;
  }
  if (o.coverage) {
    if (in.requirements.empty()) {
      std::fprintf(stderr, "tether: scenarios/requirements.json is missing or empty\n");
      return exit_bad_input;
    }
    std::fputs((o.markdown ? coverage_markdown(in.catalogue, in.requirements)
                           : coverage_text(in.catalogue, in.requirements)).c_str(), stdout);
    return exit_ok;
  }
  std::vector<const scenario*> all = in.catalogue.all();
  std::sort(all.begin(), all.end(), [](const scenario* a, const scenario* b) { return a->id < b->id; });
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const scenario* s : all)
      out.push_back({{"id", s->id}, {"title", s->title}, {"role", to_string(s->under_test)},
                     {"level", to_string(s->lvl)}, {"refs", s->refs}, {"section", s->spec + " " + s->section},
                     {"question", s->question ? nlohmann::json(*s->question) : nlohmann::json()},
                     {"requires", s->requires_caps}, {"file", s->file}});
    std::printf("%s\n", out.dump(2).c_str());
    return exit_ok;
  }
  for (const scenario* s : all)
    std::printf("%s\n", fmt::format("{:<60} {:<6} {:<6} {}", s->id, to_string(s->under_test), to_string(s->lvl), s->title).c_str());
  std::printf("%zu scenarios\n", all.size());
  return exit_ok;
}

int validate_command(const std::vector<std::string>& files) {
  knob_catalog knobs = load_knob_catalog();
  std::string unchecked;
  for (role r : {role::as, role::rs, role::client})
    if (!knobs.has(r)) unchecked += (unchecked.empty() ? "" : "; ") + knobs.unavailable_reason(r);
  if (!unchecked.empty()) std::fprintf(stderr, "tether: knob names not checked against every mock: %s\n", unchecked.c_str());
  problem_list problems;
  std::vector<std::string> scenario_files;
  std::size_t targets = 0, registries = 0, expectation_files = 0;
  // A directory stands for the scenario files under it, as for `run --scenarios`.
  std::vector<std::string> expanded;
  for (const auto& f : files) {
    std::error_code ec;
    if (!std::filesystem::is_directory(f, ec)) {
      expanded.push_back(f);
      continue;
    }
    auto found = expand_scenario_paths({f}, problems);
    if (found.empty()) problems.add(f, "", "the directory holds no scenario file");
    scenario_files.insert(scenario_files.end(), found.begin(), found.end());
  }
  for (const auto& f : expanded) {
    problem_list parse;
    nlohmann::json doc = parse_json_file(f, parse);
    if (doc.is_discarded()) {
      problems.append(parse);
      continue;
    }
    // Only a string names another document type; any other "schema" (a number, an object) is
    // left to the scenario loader, which reports it with the file and pointer /schema.
    // (json::value() would throw type_error on such a member instead.)
    const auto member = doc.is_object() ? doc.find("schema") : doc.end();
    const std::string schema = member != doc.end() && member->is_string() ? member->get<std::string>() : "";
    if (schema == "tether-target/1") {
      problems.append(parse);
      (void)read_target(doc, f, knobs, problems);
      ++targets;
    } else if (schema == "tether-expectations/1") {
      problems.append(parse);
      (void)read_expectations(doc, f, problems);
      ++expectation_files;
    } else if (schema == "tether-clients/1") {
      std::map<std::string, client_registration> regs;
      load_clients_file(f, regs, problems);
      ++registries;
    } else {
      scenario_files.push_back(f);
    }
  }
  scenario_catalogue cat = load_scenarios(scenario_files, knobs, problems);
  std::string reqs = tether_home() + "/scenarios/requirements.json";
  if (access(reqs.c_str(), R_OK) == 0) check_refs(cat, load_requirements(reqs, problems), problems);
  if (!problems.empty()) {
    std::fputs(problems.to_text().c_str(), stderr);
    std::fprintf(stderr, "tether: %zu problem%s\n", problems.size(), problems.size() == 1 ? "" : "s");
    return exit_bad_input;
  }
  std::printf("valid: %zu scenario file%s (%zu scenarios), %zu target%s, %zu client registr%s, %zu expectations file%s\n",
              scenario_files.size(), scenario_files.size() == 1 ? "" : "s", cat.all().size(), targets,
              targets == 1 ? "" : "s", registries, registries == 1 ? "y" : "ies", expectation_files,
              expectation_files == 1 ? "" : "s");
  return exit_ok;
}

int matrix_command(const std::vector<std::string>& reports_in, const std::string& out_dir) {
  if (status s = reports::write_matrix(reports_in, out_dir); !s) {
    std::fprintf(stderr, "tether: %s\n", s.err().message.c_str());
    return reports::is_input_error(s.err()) ? exit_bad_input : exit_failed;
  }
  std::printf("%s/matrix.md\n%s/matrix.html\n", out_dir.c_str(), out_dir.c_str());
  return exit_ok;
}

int report_verdict_command(const std::string& report_file, const std::string& id) {
  // The checked reader (docs/report-format.md): a result whose members have the wrong type is
  // bad input named by file and pointer, never read as "no verdict" or an uncaught exception.
  auto doc = reports::load_report_file(report_file);
  if (!doc) {
    std::fprintf(stderr, "tether: %s\n", doc.err().message.c_str());
    return exit_bad_input;
  }
  for (const auto& r : doc->results) {
    if (r.id != id) continue;
    const std::string verdict(reports::verdict_name(r.outcome));
    std::printf("%s: %s%s\n", id.c_str(), verdict.c_str(), r.reason.empty() ? "" : (" - " + r.reason).c_str());
    if (r.outcome == reports::verdict::pass || r.outcome == reports::verdict::info) return exit_ok;
    if (r.outcome == reports::verdict::skip) return exit_skipped;
    return exit_failed;
  }
  std::fprintf(stderr, "tether: %s has no result for %s\n", report_file.c_str(), id.c_str());
  return exit_bad_input;
}

}  // namespace tether::runner
