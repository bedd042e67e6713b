#include "core/util/child_process.hpp"

#include "core/util/process_table.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

extern char** environ;

namespace tether::util {
namespace {

std::string find_in_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find(':', start);
    std::string dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return name;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::atomic<void (*)(pid_t, const std::string&)> started_hook{nullptr};
std::atomic<void (*)(pid_t)> ended_hook{nullptr};
std::atomic<void (*)(pid_t, const std::string&, const std::string&)> left_behind_hook{nullptr};

void pause_briefly() { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }

}  // namespace

void set_child_observer(child_observer observer) {
  started_hook = observer.started;
  ended_hook = observer.ended;
  left_behind_hook = observer.left_behind;
}

std::string describe_exit(int status) {
  if (status > 128) return "was killed by signal " + std::to_string(status - 128);
  return "exited with status " + std::to_string(status);
}

result<std::unique_ptr<child_process>> child_process::spawn(const spawn_options& o) {
  if (o.argv.empty()) return make_error("process.argv", "no command to start");
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::string program = find_in_path(o.argv[0]);
  const char* cwd = o.cwd.empty() ? nullptr : o.cwd.c_str();
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    if (!o.env.count(key)) env_strings.push_back(kv);
  }
  for (const auto& [k, v] : o.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (const auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if ((o.pipe_stdin && pipe2(in_pipe, O_CLOEXEC) != 0) || (o.pipe_stdout && pipe2(out_pipe, O_CLOEXEC) != 0) ||
      pipe2(err_pipe, O_CLOEXEC) != 0)
    return make_error("process.pipe", std::string("cannot create a pipe: ") + std::strerror(errno));
  int out_file = -1;
  if (!o.pipe_stdout)
    out_file = ::open(o.stdout_file.empty() ? "/dev/null" : o.stdout_file.c_str(),
                      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int err_file = ::open(o.stderr_file.empty() ? "/dev/null" : o.stderr_file.c_str(),
                        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_in = o.pipe_stdin ? -1 : ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) return make_error("process.fork", std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    // If the parent dies without cleaning up (SIGKILL), the kernel kills its children.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    dup2(o.pipe_stdin ? in_pipe[0] : null_in, 0);
    dup2(o.pipe_stdout ? out_pipe[1] : out_file, 1);
    dup2(err_file, 2);
    if (cwd && chdir(cwd) != 0) {
      int e = errno;
      ssize_t ignored = write(err_pipe[1], &e, sizeof e);
      (void)ignored;
      _exit(127);
    }
    execve(program.c_str(), argv.data(), envp.data());
    int e = errno;
    ssize_t ignored = write(err_pipe[1], &e, sizeof e);
    (void)ignored;
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so the group exists before anyone signals it
  ::close(err_pipe[1]);
  if (o.pipe_stdin) ::close(in_pipe[0]);
  if (o.pipe_stdout) ::close(out_pipe[1]);
  if (out_file >= 0) ::close(out_file);
  if (err_file >= 0) ::close(err_file);
  if (null_in >= 0) ::close(null_in);

  std::unique_ptr<child_process> child(new child_process());
  child->pid_ = pid;
  child->label_ = o.label.empty() ? o.argv[0] : o.label;
  child->stdin_fd_ = o.pipe_stdin ? in_pipe[1] : -1;
  child->stdout_fd_ = o.pipe_stdout ? out_pipe[0] : -1;
  if (auto hook = started_hook.load()) hook(pid, child->label_);

  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(err_pipe[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  ::close(err_pipe[0]);
  if (n > 0) {
    child->stop(std::chrono::milliseconds(0));
    return make_error("process.exec", "cannot start " + o.argv[0] + (o.cwd.empty() ? "" : " in " + o.cwd) + ": " +
                                          std::strerror(exec_errno));
  }
  return child;
}

child_process::~child_process() { stop(); }

result<std::string> child_process::read_line(std::chrono::steady_clock::time_point deadline) {
  while (true) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (eof_ || stdout_fd_ < 0) return make_error("process.eof", label_ + " closed its output");
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return make_error("process.timeout", label_ + " did not answer in time");
    int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    pollfd p{stdout_fd_, POLLIN, 0};
    int r = poll(&p, 1, ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return make_error("process.read", std::string("poll: ") + std::strerror(errno));
    if (r == 0) continue;
    char chunk[65536];
    ssize_t got = read(stdout_fd_, chunk, sizeof chunk);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) eof_ = true;
    else buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

std::string child_process::read_all(std::chrono::steady_clock::time_point deadline) {
  std::string out = std::move(buffer_);
  buffer_.clear();
  bool exited = false;
  char chunk[65536];
  while (stdout_fd_ >= 0 && !eof_) {
    // Once the child has exited, only what is already in the pipe is read: a process it left
    // in the background may hold the pipe open until the deadline, or for ever.
    if (!exited && exit_status()) exited = true;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    int ms = exited ? 0 : static_cast<int>(std::min<long long>(left, 10));  // 10 ms: how soon an exit is seen
    pollfd p{stdout_fd_, POLLIN, 0};
    int r = poll(&p, 1, ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    if (r == 0) {
      if (exited) break;
      continue;
    }
    ssize_t got = read(stdout_fd_, chunk, sizeof chunk);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) eof_ = true;
    else out.append(chunk, static_cast<std::size_t>(got));
  }
  return out;
}

status child_process::write_all(const std::string& data) {
  if (stdin_fd_ < 0) return make_error("process.write", label_ + " has no input pipe");
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(stdin_fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error("process.write", label_ + " stopped reading its input");
    done += static_cast<std::size_t>(n);
  }
  return {};
}

void child_process::close_stdin() { close_fd(stdin_fd_); }

void child_process::reap(int ws) {
  {
    std::lock_guard<std::mutex> lock(exit_mu_);
    if (!exit_) {
      if (WIFEXITED(ws)) exit_ = WEXITSTATUS(ws);
      else if (WIFSIGNALED(ws)) exit_ = 128 + WTERMSIG(ws);
      else exit_ = 255;
    }
    reaped_ = true;
  }
  if (auto hook = ended_hook.load()) hook(pid_);
}

std::optional<int> child_process::exit_status() {
  std::lock_guard<std::mutex> lock(exit_mu_);
  if (exit_ || pid_ <= 0) return exit_;
  siginfo_t info{};
  // WNOWAIT: the exit is seen, the zombie stays (and with it the PID and PGID) until stop().
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0) {
    if (info.si_pid == pid_) exit_ = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
  } else if (errno == ECHILD) {
    // Reaped by someone else (a waitpid(-1) elsewhere in the program): its PID may be reused,
    // so it is never signalled again.
    exit_ = 255;
    reaped_ = true;
  }
  return exit_;
}

bool child_process::is_reaped() {
  std::lock_guard<std::mutex> lock(exit_mu_);
  return reaped_;
}

void child_process::wait_for_leader() {
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  (void)exit_status();
}

void child_process::stop(std::chrono::milliseconds grace) {
  close_fd(stdin_fd_);
  // exit_status() first: it also learns whether the child was reaped elsewhere.
  const bool exited_before = pid_ > 0 && exit_status().has_value();
  if (pid_ > 0 && !is_reaped()) {
    auto until = std::chrono::steady_clock::now() + grace;
    std::vector<process_entry> left;
    if (exited_before) {
      // The child is gone; what it started in its group and left running was left behind.
      left = live_group_members(pid_, pid_);
      if (!left.empty()) ::kill(-pid_, SIGTERM);
    } else {
      ::kill(-pid_, SIGTERM);
      while (!exit_status() && std::chrono::steady_clock::now() < until) pause_briefly();
      if (!exit_status()) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);  // also if it moved to another group: it is still our child, not reaped
        wait_for_leader();
      }
    }
    // The rest of the group had the same SIGTERM; what outlives the grace period did not stop
    // with its leader. The zombie leader keeps the PGID from being reused until the SIGKILL.
    std::vector<process_entry> alive = live_group_members(pid_, pid_);
    while (!alive.empty() && std::chrono::steady_clock::now() < until) {
      pause_briefly();
      alive = live_group_members(pid_, pid_);
    }
    if (!exited_before) left = alive;
    ::kill(-pid_, SIGKILL);
    if (auto hook = left_behind_hook.load())
      for (const auto& e : left) hook(e.pid, e.name, label_);
    // Group members whose parent died are ours to reap when we are a child subreaper
    // (PR_SET_CHILD_SUBREAPER); then the leader, last, which frees its PID.
    auto reap_until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (true) {
      int ws = 0;
      pid_t r = waitpid(-pid_, &ws, WNOHANG);
      if (r == pid_) reap(ws);
      else if (r > 0) continue;
      else if (r < 0 && errno == EINTR) continue;
      else if (r < 0 || std::chrono::steady_clock::now() >= reap_until) break;
      else pause_briefly();
    }
    if (!is_reaped()) {
      int ws = 0;
      pid_t r;
      do {
        r = waitpid(pid_, &ws, 0);
      } while (r < 0 && errno == EINTR);
      if (r == pid_) reap(ws);
    }
  }
  close_fd(stdout_fd_);
}

}  // namespace tether::util
