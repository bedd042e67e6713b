#pragma once
// The last lines of a launched implementation's output: quoted in the reason when it exits
// before it is ready, and in the verdict of a step whose connection it closed without answering,
// so that a crash reads as a crash.

#include <string>

namespace tether::runner {

// At most the last three lines, joined by spaces, cut to 400 characters; "" for an empty or
// unreadable file.
std::string log_tail(const std::string& path);

}  // namespace tether::runner
