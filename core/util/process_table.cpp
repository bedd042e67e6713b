#include "core/util/process_table.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace tether::util {
namespace {

// /proc/PID/stat is "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses,
// so it ends at the last ')' (proc(5)).
bool read_stat(pid_t pid, process_entry& e) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[512];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  std::string text(buf, static_cast<std::size_t>(n));
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open || close + 2 >= text.size())
    return false;
  e.pid = pid;
  e.name = text.substr(open + 1, close - open - 1);
  const char* p = text.c_str() + close + 2;
  e.state = *p;
  char* end = nullptr;
  e.ppid = static_cast<pid_t>(std::strtol(p + 1, &end, 10));
  e.pgrp = static_cast<pid_t>(std::strtol(end, nullptr, 10));
  return true;
}

}  // namespace

std::vector<process_entry> list_processes() {
  std::vector<process_entry> out;
  DIR* dir = ::opendir("/proc");
  if (!dir) return out;
  while (dirent* d = ::readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(d->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    process_entry e;
    if (read_stat(static_cast<pid_t>(pid), e)) out.push_back(std::move(e));
  }
  ::closedir(dir);
  return out;
}

std::vector<process_entry> live_group_members(pid_t pgid, pid_t except) {
  std::vector<process_entry> out;
  for (auto& e : list_processes())
    if (e.pgrp == pgid && e.pid != except && e.state != 'Z' && e.state != 'X') out.push_back(std::move(e));
  return out;
}

}  // namespace tether::util
