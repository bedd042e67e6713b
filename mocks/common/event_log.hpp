#pragma once
// One JSON line per request, flushed before the response leaves (docs/mock-events.md), so that
// a client that has its answer can already read what the mock observed.

#include <cstdio>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::mocks {

class event_log {
 public:
  event_log() = default;
  ~event_log();
  event_log(const event_log&) = delete;
  event_log& operator=(const event_log&) = delete;

  // path: a file (appended to), "-" for stderr, "" for no log.
  status open(const std::string& path);
  // Adds "ts" (UTC, milliseconds) and writes one line. Thread-safe.
  void write(nlohmann::json event);
  bool enabled() const { return file_ != nullptr; }

 private:
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
};

// ISO 8601 UTC with milliseconds, e.g. 2026-11-27T10:00:00.123Z.
std::string utc_timestamp();

}  // namespace tether::mocks
