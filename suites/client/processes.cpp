#include "processes.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "support.hpp"

namespace tether::client::testing {
namespace {
using clock_type = std::chrono::steady_clock;
}  // namespace

child_process::child_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                             bool pipe_stdin, const std::string& stderr_file) {
  util::spawn_options o;
  o.argv = argv;
  o.env = env;
  o.pipe_stdin = pipe_stdin;
  o.stderr_file = stderr_file;
  if (auto c = util::child_process::spawn(o)) child_ = std::move(*c);
}

std::string child_process::read_line(int timeout_ms) {
  if (!child_) return "";
  auto line = child_->read_line(clock_type::now() + std::chrono::milliseconds(timeout_ms));
  return line ? *line : "";
}

bool child_process::write(const std::string& text) { return child_ && child_->write_all(text).ok(); }

void child_process::close_stdin() {
  if (child_) child_->close_stdin();
}

int child_process::wait_exit(int timeout_ms, std::string* all_output) {
  if (!child_) return -1;
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  std::string out = child_->read_all(deadline);
  if (all_output) *all_output = out;
  while (!child_->exit_status() && clock_type::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto code = child_->exit_status();
  if (!code) child_->stop(std::chrono::milliseconds(1000));
  return code && *code < 128 ? *code : -1;
}

int child_process::stop(int timeout_ms) {
  if (!child_) return -1;
  child_->stop(std::chrono::milliseconds(timeout_ms));
  auto code = child_->exit_status();
  return code && *code < 128 ? *code : -1;
}

std::string as_binary() { return TETHER_AS_BINARY; }
std::string rs_binary() { return TETHER_RS_BINARY; }
std::string client_binary() { return TETHER_CLIENT_BINARY; }

namespace {

mock_server start(std::vector<std::string> argv, const std::string& tag) {
  mock_server m;
  const std::string dir = make_temp_dir(tag);
  m.event_log = dir + "/events.jsonl";
  m.stderr_file = dir + "/stderr.log";
  argv.insert(argv.end(), {"--event-log", m.event_log, "--certs", certs_dir()});
  m.process = std::make_unique<child_process>(argv, std::map<std::string, std::string>{}, false, m.stderr_file);
  // Generous: the machine is shared, and this is a start-up wait, not a timed assertion.
  std::string line = m.process->read_line(60000);
  m.ready = nlohmann::json::parse(line, nullptr, false);
  if (!m.ready.is_object() || m.ready.value("ready", false) != true) {
    m.process->stop();
    m.process.reset();
  }
  return m;
}

}  // namespace

mock_server start_as(const std::vector<std::string>& knobs) {
  std::vector<std::string> argv = {as_binary(), "--port", "0", "--mtls-port", "0"};
  for (const auto& k : knobs) argv.insert(argv.end(), {"--knob", k});
  return start(argv, "as");
}

mock_server start_rs(const mock_server& as, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {rs_binary(), "--issuer", as.ready.value("issuer", ""), "--jwks-uri",
                                   as.ready.value("jwks_uri", "")};
  if (std::find(extra.begin(), extra.end(), "--port") == extra.end()) argv.insert(argv.end(), {"--port", "0"});
  argv.insert(argv.end(), extra.begin(), extra.end());
  return start(argv, "rs");
}

}  // namespace tether::client::testing
