#include "runner/process.hpp"

#include "core/util/process_table.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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

std::mutex& killed_mu() {
  static std::mutex m;
  return m;
}
std::vector<killed_process>& killed() {
  static std::vector<killed_process> k;
  return k;
}

void record_left_behind(pid_t pid, const std::string& name, const std::string& label) {
  std::lock_guard<std::mutex> lock(killed_mu());
  killed().push_back({pid, name, label});
}

// Every child started in a program that links the registry is in it from its first moment,
// before any code could want to clean it up.
const bool registry_observes_children =
    (util::set_child_observer({&child_registry::add, &child_registry::remove, &record_left_behind}), true);

// Processes whose parent is the runner and which it does not track: children of its children
// that were reparented to it (adopt_orphans).
std::vector<util::process_entry> untracked_children() {
  std::vector<pid_t> tracked = child_registry::live();
  std::vector<util::process_entry> out;
  const pid_t self = getpid();
  for (auto& e : util::list_processes())
    if (e.ppid == self && std::find(tracked.begin(), tracked.end(), e.pid) == tracked.end()) out.push_back(std::move(e));
  return out;
}

}  // namespace

std::vector<killed_process> killed_processes() {
  std::lock_guard<std::mutex> lock(killed_mu());
  return killed();
}

void adopt_orphans() { prctl(PR_SET_CHILD_SUBREAPER, 1); }

std::vector<killed_process> stop_orphans() {
  std::vector<killed_process> found;
  // A dying orphan's own children are reparented to the runner in turn: a few rounds.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < until) {
    std::vector<util::process_entry> orphans = untracked_children();
    if (orphans.empty()) break;
    for (const auto& e : orphans) {
      // Our child, not reaped: its PID cannot be reused while we signal it. Its group is
      // signalled only when it leads it (setsid made it), so no other group is ever reached.
      if (e.pgrp == e.pid) ::kill(-e.pid, SIGKILL);
      ::kill(e.pid, SIGKILL);
      if (e.state != 'Z') found.push_back({e.pid, e.name, "orphan"});
    }
    for (const auto& e : orphans) {
      int ws = 0;
      while (waitpid(e.pid, &ws, 0) < 0 && errno == EINTR) {
      }
    }
  }
  std::lock_guard<std::mutex> lock(killed_mu());
  killed().insert(killed().end(), found.begin(), found.end());
  return found;
}

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
    // And what the runner inherited as a child subreaper (adopt_orphans), with their groups
    // when they lead one; reaped below with the others.
    for (const auto& e : untracked_children()) {
      if (e.pgrp == e.pid) ::kill(-e.pid, SIGKILL);
      ::kill(e.pid, SIGKILL);
      pids.push_back(e.pid);
    }
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
