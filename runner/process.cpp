#include "runner/process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <thread>

#include "reports/temporaries.hpp"

namespace tether::runner {

namespace child_registry {
namespace {
std::mutex& mu() {
  static std::mutex m;
  return m;
}
std::map<pid_t, std::string>& children() {
  static std::map<pid_t, std::string> c;
  return c;
}
std::string& log_file() {
  static std::string f;
  return f;
}
}  // namespace

void add(pid_t pid, const std::string& label) {
  std::lock_guard<std::mutex> lock(mu());
  children()[pid] = label;
  if (!log_file().empty()) {
    std::ofstream out(log_file(), std::ios::app);
    out << pid << " " << label << "\n";
  }
}

void remove(pid_t pid) {
  std::lock_guard<std::mutex> lock(mu());
  children().erase(pid);
}

void kill_all() {
  std::lock_guard<std::mutex> lock(mu());
  for (const auto& [pid, label] : children()) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
}

void set_log_file(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu());
  log_file() = path;
}

std::vector<pid_t> live() {
  std::lock_guard<std::mutex> lock(mu());
  std::vector<pid_t> v;
  for (const auto& [pid, label] : children()) v.push_back(pid);
  return v;
}

}  // namespace child_registry

namespace {
// Every child started in a program that links the registry is in it from its first moment,
// before any code could want to clean it up.
const bool registry_observes_children =
    (util::set_child_observer({&child_registry::add, &child_registry::remove}), true);
}  // namespace

void install_signal_cleanup() {
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set]() {
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    std::vector<pid_t> pids = child_registry::live();
    child_registry::kill_all();
    const char* name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
    std::string msg = std::string("tether: interrupted by ") + name + "; every child process was stopped\n";
    ssize_t ignored = write(2, msg.data(), msg.size());
    (void)ignored;
    // Reap them (bounded), so that none is left behind as a zombie waiting for a new parent.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (pid_t pid : pids)
      while (waitpid(pid, nullptr, WNOHANG) == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    reports::temporaries::remove_all_for_exit();  // _exit() runs no destructor to remove them
    _exit(128 + sig);
  }).detach();
}

}  // namespace tether::runner
