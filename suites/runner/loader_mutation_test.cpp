// Every input loader against type-mutated input (suites/runner/json_mutations.hpp): each value of
// a valid file replaced in turn by a value of each other JSON type. A loader answers each with a
// result or with problems, one of which names the file and the mutated value's pointer (or one
// enclosing it); it never lets an exception out, which in `tether` is an abort (exit 134)
// instead of bad input (exit 2, design.md 3). The command-line checks at the end run `tether`
// itself on the two inputs that used to abort.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include "reports/report_model.hpp"
#include "runner/coverage.hpp"
#include "runner/expectations.hpp"
#include "runner/mock_commands.hpp"
#include "runner/scenario_loader.hpp"
#include "runner/target_loader.hpp"
#include "json_mutations.hpp"
#include "run_tether.hpp"

namespace tether::runner {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tether::testing::encloses;
using tether::testing::type_mutations;
using testing::kSource;
using testing::scratch;

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

const knob_catalog& knobs() {
  static const knob_catalog k = load_knob_catalog();
  return k;
}

// A problem about the mutated value is at its pointer, at a member enclosing it (a missing
// required member is reported at the object) or inside it (an object put in the place of a
// string lacks the members an object there needs).
bool related(const std::string& problem_pointer, const std::string& mutated) {
  return encloses(problem_pointer, mutated) || encloses(mutated, problem_pointer);
}

using loader = std::function<void(const json& doc, problem_list& out)>;

// Feeds `load` every type mutation of the file at `path` whose pointer starts with `under`.
// The unmutated file must load without problems, so that each problem comes from the mutation.
void check_mutations(const std::string& path, const loader& load, const std::string& under = "") {
  const json original = read_json(path);
  problem_list baseline;
  load(original, baseline);
  ASSERT_TRUE(baseline.empty()) << path << " is not a clean starting point:\n" << baseline.to_text();
  std::size_t tried = 0, refused = 0;
  for (const auto& m : type_mutations(original, under)) {
    const std::string label = path + " with " + (m.pointer.empty() ? "/" : m.pointer) + " = " + m.replacement;
    problem_list out;
    try {
      load(m.doc, out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << ": exception escaped the loader: " << e.what();
      continue;
    }
    ++tried;
    if (out.empty()) continue;  // a value of another type that the format allows
    ++refused;
    bool named = false;
    for (const auto& p : out.items()) named = named || (p.file == path && related(p.pointer, m.pointer));
    EXPECT_TRUE(named) << label << ": no problem names the file and " << m.pointer << ", a member enclosing it or one inside it:\n"
                       << out.to_text();
  }
  EXPECT_GT(tried, 0u);
  EXPECT_GT(refused, tried / 2) << path << ": most wrong types must be refused";
}

loader scenario_loader(const std::string& path) {
  return [path](const json& doc, problem_list& out) {
    scenario_catalogue cat;
    cat.files.push_back(read_scenario_file(doc, path, knobs(), out));
    // As `tether validate` does next: the refs of each scenario against the requirements.
    problem_list ignored;
    check_refs(cat, load_requirements(kSource + "/scenarios/requirements.json", ignored), out);
  };
}

TEST(LoaderMutations, Scenarios) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(std::string(RUNNER_TEST_DATA) + "/scenarios"))
    files.push_back(e.path().string());
  // Catalogue files with what the test scenarios lack: environment, mocks, authorize, distinct.
  for (const char* f : {"rfc9068/as-2.1-header.json", "rfc9068/rs-4-validation.json",
                        "rfc8705/as-7.1-confidential-refresh.json", "rfc9449/client-9-rs-nonces.json"})
    files.push_back(kSource + "/scenarios/" + f);
  for (const auto& f : files) check_mutations(f, scenario_loader(f));
}

TEST(LoaderMutations, Targets) {
  std::vector<std::string> files = {kSource + "/targets/builtin.json", kSource + "/targets/oidc-provider.json"};
  for (const auto& e : fs::directory_iterator(kSource + "/targets/emulations")) files.push_back(e.path().string());
  for (const auto& f : files)
    check_mutations(f, [&f](const json& doc, problem_list& out) { (void)read_target(doc, f, knobs(), out); });
}

TEST(LoaderMutations, ClientRegistry) {
  // load_clients_file reads a path: each mutation is written to a file beside the original's
  // name, so that the problems must name that file.
  scratch dir("client-registry-mutations");
  const std::string copy = (dir.dir / "builtin-clients.json").string();
  fs::copy_file(kSource + "/targets/builtin-clients.json", copy);
  check_mutations(copy, [&copy](const json& doc, problem_list& out) {
    std::ofstream(copy, std::ios::trunc) << doc.dump(2);
    std::map<std::string, client_registration> into;
    load_clients_file(copy, into, out);
  });
}

TEST(LoaderMutations, Expectations) {
  const std::string f = kSource + "/suites/interop/oidc-provider/expectations.json";
  check_mutations(f, [&f](const json& doc, problem_list& out) { (void)read_expectations(doc, f, out); });
}

TEST(LoaderMutations, Requirements) {
  scratch dir("requirements-mutations");
  const std::string copy = (dir.dir / "requirements.json").string();
  // The list is long and uniform: its first entries stand for the others.
  json trimmed = read_json(kSource + "/scenarios/requirements.json");
  trimmed["requirements"].erase(trimmed["requirements"].begin() + 3, trimmed["requirements"].end());
  std::ofstream(copy) << trimmed.dump(2);
  check_mutations(copy, [&copy](const json& doc, problem_list& out) {
    std::ofstream(copy, std::ios::trunc) << doc.dump(2);
    (void)load_requirements(copy, out);
  });
}

// The report reader answers with an error "<file> <pointer>: <problem>" (reports/report_model.hpp).
TEST(LoaderMutations, ReportReader) {
  const std::string f = kSource + "/suites/reports/testdata/report-fixture.json";
  const json original = read_json(f);
  ASSERT_TRUE(reports::read_report(original, f).ok());
  std::size_t refused = 0;
  for (const auto& m : type_mutations(original)) {
    const std::string label = (m.pointer.empty() ? "/" : m.pointer) + " = " + m.replacement;
    try {
      auto r = reports::read_report(m.doc, f);
      if (r.ok()) continue;
      ++refused;
      const std::string& msg = r.err().message;
      // The problem's pointer is the mutated one or encloses it.
      const std::string prefix = f + " ";
      ASSERT_EQ(msg.rfind(prefix, 0), 0u) << label << ": " << msg;
      const std::string pointer = msg.substr(prefix.size(), msg.find(": ", prefix.size()) - prefix.size());
      EXPECT_TRUE(related(pointer == "/" ? "" : pointer, m.pointer)) << label << ": " << msg;
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << ": exception escaped the reader: " << e.what();
    }
  }
  EXPECT_GT(refused, 0u);
}

// --- `tether` itself ----------------------------------------------------------------------

struct cli_result {
  int exit = -1;
  std::string output;
};

cli_result run_cli(const std::vector<std::string>& args) {
  std::string cmd = "'" + testing::kTether + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>&1";
  cli_result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int st = ::pclose(p);
  r.exit = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

TEST(LoaderMutations, ValidateWithANonStringSchemaIsBadInput) {
  scratch dir("validate-schema-types");
  for (const auto& value : tether::testing::values_of_every_type()) {
    if (value.is_string()) continue;
    const std::string file = dir.write_json("x.json", json{{"schema", value}});
    cli_result r = run_cli({"validate", file});
    EXPECT_EQ(r.exit, 2) << "schema " << value.dump() << ":\n" << r.output;
    EXPECT_NE(r.output.find(file + ": /schema: "), std::string::npos) << r.output;
  }
}

TEST(LoaderMutations, ReportVerdictOnResultsOfTheWrongTypeIsBadInput) {
  scratch dir("report-verdict-types");
  const json fixture = read_json(kSource + "/suites/reports/testdata/report-fixture.json");
  const std::string id = fixture["results"][0]["id"];
  for (const char* member : {"id", "verdict", "reason"}) {
    for (const auto& value : tether::testing::values_of_every_type()) {
      if (value.is_string()) continue;
      json doc = fixture;
      doc["results"][0][member] = value;
      const std::string file = dir.write_json("report.json", doc);
      cli_result r = run_cli({"report-verdict", file, id});
      const std::string label = std::string(member) + " = " + value.dump();
      EXPECT_EQ(r.exit, 2) << label << ":\n" << r.output;
      EXPECT_NE(r.output.find(file + " /results/0/" + member + ": "), std::string::npos) << label << ":\n" << r.output;
    }
  }
}

}  // namespace
}  // namespace tether::runner
