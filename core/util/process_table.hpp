#pragma once
// The machine's processes as /proc shows them (proc(5), /proc/PID/stat), for the clean-up of
// child processes: the members of a process group, and the processes a child subreaper has
// inherited. Linux only, as the rest of the runner's process control.

#include <sys/types.h>

#include <string>
#include <vector>

namespace tether::util {

struct process_entry {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgrp = 0;
  char state = '?';  // R, S, D, Z (zombie: dead, waiting to be reaped), T, ...
  std::string name;  // the executable's name as the kernel keeps it (comm, at most 15 bytes)
};

// Every process readable now (one that exits while being read is left out).
std::vector<process_entry> list_processes();

// Members of process group `pgid` that are not zombies, except `except`.
std::vector<process_entry> live_group_members(pid_t pgid, pid_t except);

}  // namespace tether::util
