#pragma once
// Helpers for the tests that run `tether` itself against real processes: a scratch directory,
// a target file written from JSON, a run with its exit status, console output and report, and
// the programs it needs (skipping, with their names, until they are built).

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runner/mock_commands.hpp"
#include "runner/process.hpp"

namespace tether::runner::testing {

namespace fs = std::filesystem;

inline const std::string kTether = std::string(TETHER_BINARY_ROOT) + "/runner/tether";
inline const std::string kSource = TETHER_SOURCE_ROOT;
inline const std::string kBuiltinClients = kSource + "/targets/builtin-clients.json";

// Every mock program that is not built yet, comma-separated ("" when all are there).
inline std::string missing_programs() {
  std::string missing;
  for (role r : {role::as, role::rs, role::client})
    if (!mock_binary_exists(r)) missing += (missing.empty() ? "" : ", ") + mock_binary(r);
  return missing;
}

// A fresh directory under the temporary directory, removed by the destructor when the test
// passed (kept to read when it failed).
struct scratch {
  fs::path dir;
  explicit scratch(const std::string& name) {
    dir = fs::temp_directory_path() / ("tether-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~scratch() {
    if (!::testing::Test::HasFailure()) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  }
  std::string write(const std::string& name, const std::string& text) const {
    fs::path p = dir / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string write_json(const std::string& name, const nlohmann::json& j) const { return write(name, j.dump(2)); }
};

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct run_output {
  std::optional<int> exit;
  std::string log;  // stdout and stderr
  nlohmann::json report;
  fs::path out;

  // id -> verdict
  std::map<std::string, std::string> verdicts() const {
    std::map<std::string, std::string> v;
    if (report.is_object())
      for (const auto& r : report["results"]) v[r["id"]] = r["verdict"];
    return v;
  }
  nlohmann::json result(const std::string& id) const {
    if (report.is_object())
      for (const auto& r : report["results"])
        if (r["id"] == id) return r;
    return nullptr;
  }
};

// `tether run --out OUT ARGS...` (bounded by a generous deadline; the tests never time it).
inline run_output run_tether(const std::vector<std::string>& args, const fs::path& out,
                             std::map<std::string, std::string> env = {}) {
  fs::remove_all(out);
  fs::create_directories(out);
  std::string log = (out.parent_path() / (out.filename().string() + ".log")).string();
  fs::remove(log);
  std::vector<std::string> argv = {kTether, "run", "--out", out.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  env["NO_COLOR"] = "1";
  run_output r;
  r.out = out;
  spawn_options so;
  so.argv = argv;
  so.env = env;
  so.pipe_stdout = false;
  so.stdout_file = log;
  so.stderr_file = log;
  so.label = "tether";
  auto t = child_process::spawn(so);
  if (!t) {
    r.log = t.err().message;
    return r;
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (!(*t)->exit_status() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  r.exit = (*t)->exit_status();
  (*t)->stop();
  r.log = read_text(log);
  std::ifstream rf(out / "report.json");
  r.report = nlohmann::json::parse(rf, nullptr, false);
  return r;
}

}  // namespace tether::runner::testing
