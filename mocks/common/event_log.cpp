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
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms));
  return std::string(date) + millis;
}

}  // namespace tether::mocks
