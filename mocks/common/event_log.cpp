#include "mocks/common/event_log.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

namespace tether::mocks {

event_log::~event_log() {
  if (file_ && owned_) std::fclose(file_);
}

status event_log::open(const std::string& path) {
  if (path.empty()) return {};
  if (path == "-") {
    file_ = stderr;
    return {};
  }
  file_ = std::fopen(path.c_str(), "a");
  if (!file_)
    return make_error("event_log.open", "cannot open event log " + path + ": " + std::strerror(errno));
  owned_ = true;
  return {};
}

void event_log::write(nlohmann::json event) {
  if (!file_) return;
  event["ts"] = utc_timestamp();
  // Invalid UTF-8 from a hostile request must not abort the mock: replace it.
  std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

std::string utc_timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace tether::mocks
