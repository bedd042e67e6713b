#include "core/util/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

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

}  // namespace

void set_child_observer(child_observer observer) {
  started_hook = observer.started;
  ended_hook = observer.ended;
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
  std::string out;
  while (true) {
    auto line = read_line(deadline);
    if (!line) break;
    out += *line + "\n";
  }
  out += buffer_;
  buffer_.clear();
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
  if (WIFEXITED(ws)) exit_ = WEXITSTATUS(ws);
  else if (WIFSIGNALED(ws)) exit_ = 128 + WTERMSIG(ws);
  else exit_ = 255;
  if (auto hook = ended_hook.load()) hook(pid_);
}

std::optional<int> child_process::exit_status() {
  if (exit_ || pid_ <= 0) return exit_;
  int ws = 0;
  pid_t r = waitpid(pid_, &ws, WNOHANG);
  if (r == pid_) reap(ws);
  return exit_;
}

void child_process::stop(std::chrono::milliseconds grace) {
  close_fd(stdin_fd_);
  if (pid_ > 0 && !exit_) {
    if (!exit_status()) {
      ::kill(-pid_, SIGTERM);
      auto until = std::chrono::steady_clock::now() + grace;
      while (!exit_status() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (!exit_) {
        ::kill(-pid_, SIGKILL);
        int ws = 0;
        if (waitpid(pid_, &ws, 0) == pid_) reap(ws);
      }
    }
    // The leader is gone; anything it started in its group goes too.
    ::kill(-pid_, SIGKILL);
  }
  close_fd(stdout_fd_);
}

}  // namespace tether::util
