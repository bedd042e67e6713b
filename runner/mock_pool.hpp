#pragma once
// Built-in mock instances, started lazily and shared. Starting a mock per scenario cannot reach
// tens of scenarios per second, so an instance is keyed by its whole configuration (role,
// settings, knobs, the AS an RS trusts) and every scenario that needs that configuration uses
// the same one. A client-role scenario gets fresh private instances: its events carry no trace
// and are judged as a whole.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "runner/event_reader.hpp"
#include "runner/knob_catalog.hpp"
#include "runner/mock_commands.hpp"
#include "runner/process.hpp"

namespace tether::runner {

struct mock_instance {
  mock_config config;
  std::unique_ptr<child_process> process;
  nlohmann::json ready;  // the ready line
  std::string event_log;
  std::unique_ptr<event_reader> events;

  // The reason its steps become `error` when the process is gone ("" while it runs).
  std::string exit_reason();
};

struct mock_pool_options {
  std::string work_dir;      // event logs and mock stderr go here
  std::string certs_dir;
  std::string clients_file;  // the built-in AS's registry
  const knob_catalog* knobs = nullptr;
};

class mock_pool {
 public:
  explicit mock_pool(mock_pool_options options);
  ~mock_pool();

  // A shared instance for this configuration, started on first use (and again if it died).
  result<std::shared_ptr<mock_instance>> acquire(const mock_config& config);
  // A fresh instance nobody else uses; stopped when the last reference goes. Takes a parked
  // spare of the same configuration when there is one.
  result<std::shared_ptr<mock_instance>> start_private(const mock_config& config, bool allow_spare = true);
  // Parks a private instance for a later start_private (the warm-up prepares client-role
  // scenarios' servers this way: starting a mock takes longer than a whole scenario).
  void park(std::shared_ptr<mock_instance> instance);
  std::size_t parked() const;
  // Stops every instance (also done by the destructor).
  void shutdown();
  // Every instance started so far (for the run's info and the tests).
  int started() const { return started_; }

 private:
  result<std::shared_ptr<mock_instance>> start(const mock_config& config);

  struct slot {
    std::mutex mu;
    std::shared_ptr<mock_instance> instance;
  };
  mock_pool_options options_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<slot>> slots_;
  std::multimap<std::string, std::shared_ptr<mock_instance>> spares_;
  int started_ = 0;
  int sequence_ = 0;
};

}  // namespace tether::runner
