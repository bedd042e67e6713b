#include "rs_process.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace tether::rs::testing {

namespace {

using clock_type = std::chrono::steady_clock;

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
  child_.reset();
  if (!stderr_file_.empty()) std::remove(stderr_file_.c_str());
}

bool rs_process::start(const std::vector<std::string>& args, int timeout_ms) {
  return start_binary(rs_binary(), args, timeout_ms);
}

bool rs_process::start_binary(const std::string& binary_path, const std::vector<std::string>& args,
                              int timeout_ms) {
  static std::atomic<int> counter{0};
  stderr_file_ = (std::filesystem::temp_directory_path() /
                  ("tether-rs-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".err"))
                     .string();
  util::spawn_options o;
  o.argv = {binary_path};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.stderr_file = stderr_file_;
  o.label = binary_path;
  auto spawned = util::child_process::spawn(o);
  if (!spawned) {
    errors_ = spawned.err().message;
    return false;
  }
  child_ = std::move(*spawned);
  auto line = child_->read_line(clock_type::now() + std::chrono::milliseconds(timeout_ms));
  if (!line) {
    // It exited (bad input) or never became ready: keep what it said for the test's message.
    output_ += child_->read_all(clock_type::now() + std::chrono::milliseconds(200));
    return false;
  }
  output_ += *line + "\n";
  ready_ = nlohmann::json::parse(*line, nullptr, false);
  return ready_.is_object() && ready_.value("ready", false);
}

const std::string& rs_process::errors() const {
  if (stderr_file_.empty()) return errors_;
  std::ifstream in(stderr_file_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  errors_ = text.str();
  return errors_;
}

int rs_process::wait_exit(int timeout_ms) {
  if (!child_) return -1;
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  output_ += child_->read_all(deadline);
  while (!child_->exit_status() && clock_type::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (auto code = child_->exit_status()) return *code < 128 ? *code : -1;
  return stop(1000) == 0 ? -2 : -1;
}

int rs_process::stop(int timeout_ms) {
  if (!child_) return -1;
  child_->stop(std::chrono::milliseconds(timeout_ms));
  auto code = child_->exit_status();
  return code && *code < 128 ? *code : -1;
}

}  // namespace tether::rs::testing
