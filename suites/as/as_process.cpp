#include "as_process.hpp"

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "as_test_support.hpp"

namespace tether::as::testing {
namespace {

using clock_type = std::chrono::steady_clock;

// Hang guards, not timing assertions: a healthy start or stop takes well under a second.
constexpr auto ready_deadline = std::chrono::seconds(60);
constexpr auto stop_deadline = std::chrono::seconds(30);

// tether-as with stdout on a pipe and stderr into err_path; null when it cannot start.
std::unique_ptr<util::child_process> spawn(const std::vector<std::string>& args, const std::string& err_path) {
  util::spawn_options o;
  o.argv = {as_binary()};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.stderr_file = err_path;
  o.label = "tether-as";
  auto child = util::child_process::spawn(o);
  if (!child) {
    ADD_FAILURE() << child.err().message;
    return nullptr;
  }
  return std::move(*child);
}

}  // namespace

std::string as_binary() { return TETHER_AS_BINARY; }

as_process::as_process(const std::vector<std::string>& args) {
  dir_ = make_temp_dir("proc");
  std::vector<std::string> all = {"--port", "0", "--mtls-port", "0", "--certs", certs_dir(),
                                  "--clients", builtin_clients_file(), "--event-log", dir_ + "/events.jsonl"};
  all.insert(all.end(), args.begin(), args.end());
  child_ = spawn(all, dir_ + "/stderr.txt");
  if (!child_) return;
  auto line = child_->read_line(clock_type::now() + ready_deadline);
  ready_ = line ? nlohmann::json::parse(*line, nullptr, false) : nlohmann::json();
  if (!ready() || ready_.value("ready", false) != true) {
    ready_ = nullptr;
    ADD_FAILURE() << "no ready line from tether-as; stdout: " << (line ? *line : line.err().message)
                  << "\nstderr: " << stderr_text();
  }
}

as_process::~as_process() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool as_process::alive() const { return child_ && !child_->exit_status(); }

int as_process::stop() {
  if (!child_) return exit_status_;
  child_->stop(stop_deadline);
  exit_status_ = child_->exit_status().value_or(-1);
  child_.reset();
  return exit_status_;
}

std::vector<nlohmann::json> as_process::events() const {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_text(dir_ + "/events.jsonl"));
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line, nullptr, false));
  return out;
}

std::string as_process::stderr_text() const { return read_text(dir_ + "/stderr.txt"); }

exit_result run_to_exit(const std::vector<std::string>& args) {
  exit_result r;
  std::string dir = make_temp_dir("run");
  auto child = spawn(args, dir + "/stderr.txt");
  if (!child) return r;
  // A hang guard: --help and bad input end at once.
  r.out = child->read_all(clock_type::now() + ready_deadline);
  const auto deadline = clock_type::now() + stop_deadline;
  while (!child->exit_status() && clock_type::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!child->exit_status()) child->stop();
  r.status = child->exit_status().value_or(-1);
  r.err = read_text(dir + "/stderr.txt");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return r;
}

}  // namespace tether::as::testing
