#include "runner/client_worker.hpp"

#include "runner/mock_commands.hpp"

namespace tether::runner {

client_worker::client_worker(std::string certs_dir, std::string stderr_file)
    : certs_dir_(std::move(certs_dir)), stderr_file_(std::move(stderr_file)) {}

status client_worker::ensure_started() {
  if (process_ && !process_->exit_status()) return {};
  if (process_) process_->stop();
  spawn_options o;
  o.argv = client_worker_command(certs_dir_);
  o.pipe_stdin = true;
  o.stderr_file = stderr_file_;
  o.label = "tether-client serve";
  auto child = child_process::spawn(o);
  if (!child) return child.err();
  process_ = std::move(*child);
  ++restarts_;
  return {};
}

result<nlohmann::json> client_worker::call(const std::string& op, nlohmann::json fields,
                                           std::chrono::steady_clock::time_point deadline) {
  if (status s = ensure_started(); !s) return s.err();
  long long id = next_id_++;
  fields["id"] = id;
  fields["op"] = op;
  if (status s = process_->write_all(fields.dump() + "\n"); !s) {
    std::string why = process_->exit_status() ? "tether-client " + describe_exit(*process_->exit_status())
                                              : s.err().message;
    stop();
    return make_error("worker.write", why);
  }
  while (true) {
    auto line = process_->read_line(deadline);
    if (!line) {
      bool timed_out = line.err().code == "process.timeout";
      std::optional<int> exited = process_->exit_status();
      stop();
      if (timed_out) return make_error("worker.timeout", "no answer from tether-client before the deadline");
      return make_error("worker.exit", "tether-client " + (exited ? describe_exit(*exited) : std::string("closed its output")));
    }
    nlohmann::json answer = nlohmann::json::parse(*line, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) continue;  // not protocol output
    if (answer.value("id", -1LL) != id) continue;                // a late answer to an abandoned request
    return answer;
  }
}

void client_worker::end_run(const std::string& run) {
  if (!process_ || process_->exit_status()) return;
  auto answer = call("end_run", {{"run", run}}, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  (void)answer;
}

void client_worker::stop() {
  if (process_) process_->stop(std::chrono::milliseconds(200));
  process_.reset();
}

}  // namespace tether::runner
