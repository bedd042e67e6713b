// The runner's reader of a mock's event log (runner/event_reader.cpp, docs/mock-events.md) on any
// bytes: the log is written by a process under test and may be torn, foreign or hostile. The
// bytes are the file's contents, written in two parts (the first byte picks the split, as a mock
// still writing would leave it), read with sync() after each, then taken by trace, by prefix and
// whole, grouped and scrubbed as the report builder does. Nothing may crash or throw.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "runner/event_reader.hpp"

namespace {

// One file per process, rewritten for each input: the reader opens a path, not a stream.
const std::string& log_path() {
  static const std::string path = [] {
    const char* shm = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    std::string p = std::string(shm) + "/tether-fuzz-event-log-" + std::to_string(getpid()) + ".jsonl";
    std::atexit([] { std::remove(log_path().c_str()); });
    return p;
  }();
  return path;
}

void write_file(const char* mode, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(log_path().c_str(), mode);
  if (f == nullptr) __builtin_trap();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) __builtin_trap();
  std::fclose(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t split = 1 + data[0] % size;  // in [1, size]
  write_file("wb", data + 1, split - 1);
  tether::runner::event_reader reader(log_path());
  reader.sync();
  write_file("ab", data + split, size - split);
  reader.sync();

  // The traces the runner asks for: none (a client under test sends none), a step's, a prefix.
  auto untraced = reader.take("");
  auto step = reader.take("t1");
  auto prefixed = reader.take_prefix("t1/");
  auto rest = reader.take_all();
  for (auto* events : {&untraced, &step, &prefixed, &rest}) {
    const nlohmann::json grouped = tether::runner::group_events(*events, "as");
    (void)tether::runner::scrub_secrets(grouped).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
