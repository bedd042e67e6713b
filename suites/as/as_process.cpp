#include "as_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "as_test_support.hpp"

extern char** environ;

namespace tether::as::testing {
namespace {

// Hang guards, not timing assertions: a healthy start or stop takes well under a second.
constexpr auto ready_deadline = std::chrono::seconds(60);
constexpr auto stop_deadline = std::chrono::seconds(30);

int status_of(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

// Spawns the binary with stdout on a pipe (returned) and stderr into err_path.
pid_t spawn(const std::vector<std::string>& args, const std::string& err_path, int& stdout_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> argv_text = {as_binary()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  stdout_fd = fds[0];
  return pid;
}

// Reads from fd until a newline, EOF or the deadline.
std::string read_line(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string line;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now()).count());
    if (poll(&p, 1, left > 0 ? left : 0) <= 0) break;
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n <= 0 || c == '\n') break;
    line += c;
  }
  return line;
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

}  // namespace

std::string as_binary() { return TETHER_AS_BINARY; }

as_process::as_process(const std::vector<std::string>& args) {
  dir_ = make_temp_dir("proc");
  std::vector<std::string> all = {"--port", "0", "--mtls-port", "0", "--certs", certs_dir(),
                                  "--clients", builtin_clients_file(), "--event-log", dir_ + "/events.jsonl"};
  all.insert(all.end(), args.begin(), args.end());
  int out = -1;
  pid_ = spawn(all, dir_ + "/stderr.txt", out);
  if (pid_ < 0) {
    ADD_FAILURE() << "cannot start " << as_binary();
    return;
  }
  std::string line = read_line(out, std::chrono::steady_clock::now() + ready_deadline);
  close(out);
  ready_ = nlohmann::json::parse(line, nullptr, false);
  if (!ready() || ready_.value("ready", false) != true) {
    ready_ = nullptr;
    ADD_FAILURE() << "no ready line from tether-as; stdout: " << line << "\nstderr: " << stderr_text();
  }
}

as_process::~as_process() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool as_process::alive() const { return pid_ > 0 && kill(pid_, 0) == 0 && exit_status_ < 0; }

int as_process::stop() {
  if (pid_ <= 0) return exit_status_;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + stop_deadline;
  int raw = 0;
  while (true) {
    pid_t r = waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) {
      exit_status_ = status_of(raw);
      break;
    }
    if (r < 0 || std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &raw, 0);
      exit_status_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
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
  int out = -1;
  pid_t pid = spawn(args, dir + "/stderr.txt", out);
  if (pid < 0) {
    ADD_FAILURE() << "cannot start " << as_binary();
    return r;
  }
  r.out = read_all(out);
  close(out);
  int raw = 0;
  waitpid(pid, &raw, 0);
  r.status = status_of(raw);
  r.err = read_text(dir + "/stderr.txt");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return r;
}

}  // namespace tether::as::testing
