#include "processes.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.hpp"

namespace tether::client::testing {
namespace {

using clock_type = std::chrono::steady_clock;

int left_ms(clock_type::time_point deadline) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

}  // namespace

child_process::child_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                             bool pipe_stdin, const std::string& stderr_file) {
  int out_pipe[2];
  int in_pipe[2] = {-1, -1};
  if (pipe(out_pipe) != 0) return;
  if (pipe_stdin && pipe(in_pipe) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    if (pipe_stdin) {
      dup2(in_pipe[0], STDIN_FILENO);
      ::close(in_pipe[0]);
      ::close(in_pipe[1]);
    } else {
      int null_fd = ::open("/dev/null", O_RDONLY);
      dup2(null_fd, STDIN_FILENO);
    }
    int err_fd = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<std::string> copy = argv;
    std::vector<char*> args;
    for (auto& a : copy) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  ::close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  if (pipe_stdin) {
    ::close(in_pipe[0]);
    in_fd_ = in_pipe[1];
  }
}

child_process::~child_process() {
  if (pid_ > 0) stop(2000);
  if (in_fd_ >= 0) ::close(in_fd_);
  if (out_fd_ >= 0) ::close(out_fd_);
}

bool child_process::fill(int timeout_ms) {
  if (eof_) return false;
  pollfd p{out_fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char buf[65536];
  ssize_t n = ::read(out_fd_, buf, sizeof buf);
  if (n == 0) eof_ = true;
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::string child_process::read_line(int timeout_ms) {
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (eof_ || clock_type::now() >= deadline) return "";
    fill(std::min(left_ms(deadline), 200));
  }
}

bool child_process::write(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(in_fd_, text.data() + done, text.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void child_process::close_stdin() {
  if (in_fd_ >= 0) ::close(in_fd_);
  in_fd_ = -1;
}

int child_process::wait_exit(int timeout_ms, std::string* all_output) {
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  while (!eof_ && clock_type::now() < deadline) fill(std::min(left_ms(deadline), 200));
  if (all_output) *all_output = buffer_;
  while (pid_ > 0 && clock_type::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop(1000);
  return -1;
}

int child_process::stop(int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  while (clock_type::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
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
