#pragma once
// Reads a mock's event log (docs/mock-events.md) as it grows. The mocks flush each event before
// answering, so once a step's observation is back, reading to the end of the file yields every
// event of that step; events are matched to steps by their `trace` (the Tether-Trace header).

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::runner {

class event_reader {
 public:
  explicit event_reader(std::string path);

  // Reads the lines written since the last call and files them by trace.
  void sync();
  // The events of one trace (removed from the reader). A replay with `concurrent` has several.
  std::vector<nlohmann::json> take(const std::string& trace);
  // The events of every trace that starts with `prefix` (removed), in the order they were logged: a client
  // under test sends "<TETHER_TRACE>/<request>" for each of its requests.
  std::vector<nlohmann::json> take_prefix(const std::string& prefix);
  // Every event not taken yet, with or without a trace (a client under test sends no trace).
  std::vector<nlohmann::json> take_all();

 private:
  std::string path_;
  std::mutex mu_;
  long long offset_ = 0;
  std::string partial_;
  std::map<std::string, std::vector<nlohmann::json>> by_trace_;
  std::vector<nlohmann::json> order_;  // for take_all, in log order
};

// {"as": {"token": [...]}, "rs": {"resource": [...]}}: events grouped by server then endpoint.
nlohmann::json group_events(const std::vector<nlohmann::json>& events, const std::string& default_server);

// Drops what a report must not carry: client secrets, passwords and private key members.
nlohmann::json scrub_secrets(const nlohmann::json& value);

}  // namespace tether::runner
