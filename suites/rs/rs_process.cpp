#include "rs_process.hpp"

#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tether::rs::testing {

namespace {

using clock_type = std::chrono::steady_clock;

int remaining_ms(clock_type::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

std::string drain(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

std::string rs_binary() { return TETHER_RS_BINARY; }

std::string as_binary() {
#ifdef TETHER_AS_BINARY
  return TETHER_AS_BINARY;
#else
  return "";
#endif
}

rs_process::~rs_process() {
  if (pid_ > 0) stop(5000);
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

bool rs_process::start(const std::vector<std::string>& args, int timeout_ms) {
  return start_binary(rs_binary(), args, timeout_ms);
}

bool rs_process::start_binary(const std::string& binary_path, const std::vector<std::string>& args,
                              int timeout_ms) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return false;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    std::vector<char*> argv;
    std::string binary = binary_path;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  fcntl(err_fd_, F_SETFL, O_NONBLOCK);

  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  while (clock_type::now() < deadline) {
    read_available(remaining_ms(deadline));
    auto newline = output_.find('\n');
    if (newline != std::string::npos) {
      ready_ = nlohmann::json::parse(output_.substr(0, newline), nullptr, false);
      return ready_.is_object() && ready_.value("ready", false);
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      read_available(0);
      pid_ = -1;
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return false;
    }
  }
  return false;
}

void rs_process::read_available(int timeout_ms) {
  pollfd fds[1] = {{out_fd_, POLLIN, 0}};
  if (poll(fds, 1, timeout_ms > 100 ? 100 : timeout_ms) > 0) output_ += drain(out_fd_);
}

const std::string& rs_process::errors() const {
  if (err_fd_ >= 0) errors_ += drain(err_fd_);
  return errors_;
}

int rs_process::wait_exit(int timeout_ms) {
  if (pid_ <= 0) return exit_status_;
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  while (pid_ > 0 && clock_type::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      read_available(0);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return stop(1000) == 0 ? -2 : -1;
}

int rs_process::stop(int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  while (clock_type::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

}  // namespace tether::rs::testing
