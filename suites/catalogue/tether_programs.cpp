#include "suites/catalogue/tether_programs.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "runner/process.hpp"

namespace tether::catalogue {
namespace fs = std::filesystem;
using runner::child_process;
using runner::spawn_options;

namespace {

using clock_type = std::chrono::steady_clock;

// The runner finds the mocks through these variables first, so that it starts the binaries of
// this build whatever else is installed.
std::map<std::string, std::string> program_environment() {
  const program_paths& p = programs();
  return {{"TETHER_AS_BIN", p.mocks.at("as")},
          {"TETHER_RS_BIN", p.mocks.at("rs")},
          {"TETHER_CLIENT_BIN", p.mocks.at("client")},
          {"TETHER_HOME", p.source_root},
          {"NO_COLOR", "1"}};
}

struct finished {
  int code = -1;
  std::string out;
};

// Runs a program to its end (or the deadline, after which it is stopped and reported).
result<finished> run_program(spawn_options o, std::chrono::seconds limit) {
  auto deadline = clock_type::now() + limit;
  auto child = child_process::spawn(o);
  if (!child) return child.err();
  finished f;
  if (o.pipe_stdout) f.out = (*child)->read_all(deadline);
  std::optional<int> code;
  while (!(code = (*child)->exit_status()) && clock_type::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  (*child)->stop();
  if (!code)
    return make_error("program.timeout", o.argv[0] + " did not finish within " + std::to_string(limit.count()) + " s");
  f.code = *code;
  return f;
}

result<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("file.missing", path + " was not written");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded()) return make_error("file.json", path + " is not valid JSON");
  return doc;
}

}  // namespace

const program_paths& programs() {
  static const program_paths p = [] {
    program_paths x;
    x.tether = TETHER_RUNNER_BINARY;
    x.mocks = {{"as", TETHER_AS_BINARY}, {"rs", TETHER_RS_BINARY}, {"client", TETHER_CLIENT_BINARY}};
    x.source_root = TETHER_SOURCE_ROOT;
    x.work_root = CATALOGUE_WORK_DIR;
    return x;
  }();
  return p;
}

result<std::map<std::string, std::string>> breaks_knobs(const std::string& role) {
  spawn_options o;
  o.argv = {programs().mocks.at(role), "--describe-knobs"};
  o.label = "tether-" + role + " --describe-knobs";
  auto ran = run_program(o, std::chrono::seconds(60));
  if (!ran) return ran.err();
  if (ran->code != 0)
    return make_error("knobs.exit", o.label + " exited with status " + std::to_string(ran->code));
  nlohmann::json table = nlohmann::json::parse(ran->out, nullptr, false);
  if (!table.is_array()) return make_error("knobs.output", o.label + " did not print a JSON array");
  std::map<std::string, std::string> out;
  for (const auto& k : table) {
    if (!k.is_object() || !k.contains("name") || !k["name"].is_string())
      return make_error("knobs.output", o.label + " printed a knob without a name");
    if (k.value("kind", std::string()) == "breaks") out[k["name"].get<std::string>()] = k.value("type", std::string());
  }
  return out;
}

result<std::map<std::string, std::string>> catalogue_roles() {
  spawn_options o;
  o.argv = {programs().tether, "list", "--json", "--scenarios", programs().source_root + "/scenarios"};
  o.env = program_environment();
  o.label = "tether list";
  auto ran = run_program(o, std::chrono::seconds(120));
  if (!ran) return ran.err();
  if (ran->code != 0)
    return make_error("list.exit", "tether list --json exited with status " + std::to_string(ran->code) +
                                       ": a scenario file does not load (tether validate says which)");
  nlohmann::json list = nlohmann::json::parse(ran->out, nullptr, false);
  if (!list.is_array()) return make_error("list.output", "tether list --json did not print a JSON array");
  std::map<std::string, std::string> out;
  for (const auto& s : list)
    if (s.is_object() && s.contains("id") && s["id"].is_string()) out[s["id"].get<std::string>()] = s.value("role", "");
  return out;
}

result<std::string> write_target(const std::string& dir, const std::string& role, const nlohmann::json& knobs) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error("target.dir", "cannot create " + dir + ": " + ec.message());
  nlohmann::json t = {{"schema", "tether-target/1"},
                      {"name", "tether-" + role + " with " + knobs.dump()},
                      {"version", "mutant"},
                      {"roles", nlohmann::json::array({role})},
                      {"clients_file", programs().source_root + "/targets/builtin-clients.json"}};
  for (const char* r : {"as", "rs", "client"}) {
    t[r] = {{"builtin", true}};
    if (role == r) t[r]["knobs"] = knobs;
  }
  const std::string path = dir + "/target.json";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << t.dump(2) << "\n";
  if (!fs::exists(path, ec)) return make_error("target.write", "cannot write " + path);
  return path;
}

result<run_outcome> run_scenarios(const std::string& dir, const std::string& target_file,
                                  const std::vector<std::string>& ids) {
  std::error_code ec;
  const std::string out_dir = dir + "/out";
  fs::remove_all(out_dir, ec);
  fs::create_directories(dir, ec);
  run_outcome r;
  r.log_file = dir + "/tether-run.log";
  fs::remove(r.log_file, ec);
  spawn_options o;
  o.argv = {programs().tether, "run", "--target", target_file, "--scenarios", programs().source_root + "/scenarios",
            "--out", out_dir, "-j", "2"};
  for (const auto& id : ids) o.argv.insert(o.argv.end(), {"--only", id});
  o.env = program_environment();
  o.pipe_stdout = false;
  o.stdout_file = r.log_file;
  o.stderr_file = r.log_file;
  o.label = "tether run";
  auto ran = run_program(o, std::chrono::seconds(1200));
  if (!ran) return ran.err();
  // 0: all passed, 1: some failed; anything else means the run itself did not happen.
  if (ran->code != 0 && ran->code != 1)
    return make_error("run.exit", "tether run exited with status " + std::to_string(ran->code) + " (see " +
                                      r.log_file + ")");
  auto read = read_run(dir);
  if (!read) return read.err();
  read->exit_code = ran->code;
  return read;
}

result<run_outcome> read_run(const std::string& dir) {
  run_outcome r;
  r.log_file = dir + "/tether-run.log";
  const std::string path = dir + "/out/report.json";
  auto report = read_json_file(path);
  if (!report) return report.err();
  if (!report->contains("results") || !(*report)["results"].is_array())
    return make_error("run.report", path + " has no results array");
  for (const auto& s : (*report)["results"]) {
    const std::string id = s.value("id", std::string());
    r.verdicts[id] = s.value("verdict", std::string());
    r.reasons[id] = s.value("reason", std::string());
  }
  return r;
}

}  // namespace tether::catalogue
