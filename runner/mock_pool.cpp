#include "runner/mock_pool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "runner/known_secrets.hpp"

namespace tether::runner {
namespace {

// A file only this user can read (mode 0600 whatever the umask, also over an old file).
status write_private_file(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return make_error("mock.secret", "cannot write " + path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  std::size_t done = 0;
  while (ok && done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  int e = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return make_error("mock.secret", "cannot write " + path + ": " + std::strerror(e));
  }
  return {};
}

// Removes the secret files when the start is over, on every path: the mock read them before
// its ready line, and the work directory outlives the run (CI keeps it as an artifact).
struct secret_files_guard {
  const std::map<std::string, std::string>& files;
  ~secret_files_guard() {
    for (const auto& [path, content] : files) ::unlink(path.c_str());
  }
};

}  // namespace

std::string mock_instance::exit_reason() {
  if (!process) return "";
  auto st = process->exit_status();
  if (!st) return "";
  return "mock exited with status " + std::to_string(*st) + " (tether-" + to_string(config.r) + ", log " +
         event_log + ")";
}

mock_pool::mock_pool(mock_pool_options options) : options_(std::move(options)) {}

mock_pool::~mock_pool() { shutdown(); }

result<std::shared_ptr<mock_instance>> mock_pool::start(const mock_config& config) {
  int n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = ++sequence_;
    ++started_;
  }
  auto inst = std::make_shared<mock_instance>();
  inst->config = config;
  std::string stem = options_.work_dir + "/" + to_string(config.r) + "-" + std::to_string(n);
  inst->event_log = stem + ".events.jsonl";
  std::ofstream(inst->event_log).close();  // exists before the mock appends, so reading never races creation
  mock_launch launch = mock_command(config, inst->event_log, options_.certs_dir, options_.clients_file,
                                    options_.knobs ? *options_.knobs : knob_catalog(), stem);
  for (const auto& secret : launch.secrets) known_secrets::add(secret);
  secret_files_guard remove_secrets{launch.secret_files};
  for (const auto& [path, content] : launch.secret_files)
    if (status s = write_private_file(path, content); !s) return s.err();
  spawn_options so;
  so.argv = launch.argv;
  so.stderr_file = stem + ".stderr.log";
  so.label = std::string("tether-") + to_string(config.r);
  auto child = child_process::spawn(so);
  if (!child) return child.err();
  inst->process = std::move(*child);
  auto deadline = std::chrono::steady_clock::now() + mock_ready_timeout;
  // Skip anything before the ready line (a mock may print a banner).
  while (true) {
    auto line = inst->process->read_line(deadline);
    if (!line) {
      std::string why = inst->exit_reason();
      inst->process->stop();
      std::string cmd;
      for (const auto& a : launch.argv) cmd += (cmd.empty() ? "" : " ") + a;
      // No secret is on the command line (mock_commands.hpp); the redaction also covers a
      // secret a target wrote into a setting that becomes a flag.
      return make_error("mock.start", known_secrets::redact("tether-" + std::string(to_string(config.r)) +
                                                            " did not print its ready line (" +
                                                            (why.empty() ? line.err().message : why) + "); command: " +
                                                            cmd + "; stderr: " + so.stderr_file));
    }
    nlohmann::json ready = nlohmann::json::parse(*line, nullptr, false);
    if (ready.is_object() && ready.contains("ready")) {
      if (status s = check_ready_line(config.r, ready); !s) {
        inst->process->stop();
        return make_error(s.err().code, "tether-" + std::string(to_string(config.r)) + ": " + s.err().message);
      }
      inst->ready = ready;
      break;
    }
  }
  inst->events = std::make_unique<event_reader>(inst->event_log);
  return inst;
}

result<std::shared_ptr<mock_instance>> mock_pool::acquire(const mock_config& config) {
  std::shared_ptr<slot> s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& entry = slots_[config.key()];
    if (!entry) entry = std::make_shared<slot>();
    s = entry;
  }
  // Only the first scenario that needs a configuration starts it; others wait for its ready line.
  std::lock_guard<std::mutex> lock(s->mu);
  if (s->instance && s->instance->exit_reason().empty()) return s->instance;
  auto started = start(config);
  if (!started) return started.err();
  s->instance = *started;
  return s->instance;
}

result<std::shared_ptr<mock_instance>> mock_pool::start_private(const mock_config& config, bool allow_spare) {
  if (allow_spare) {
    std::lock_guard<std::mutex> lock(mu_);
    auto range = spares_.equal_range(config.key());
    for (auto it = range.first; it != range.second; ++it) {
      std::shared_ptr<mock_instance> spare = it->second;
      spares_.erase(it);
      if (spare->exit_reason().empty()) return spare;
      break;  // a dead spare is dropped; start a fresh one
    }
  }
  return start(config);
}

void mock_pool::park(std::shared_ptr<mock_instance> instance) {
  std::lock_guard<std::mutex> lock(mu_);
  spares_.emplace(instance->config.key(), std::move(instance));
}

std::size_t mock_pool::parked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spares_.size();
}

void mock_pool::shutdown() {
  std::map<std::string, std::shared_ptr<slot>> slots;
  std::multimap<std::string, std::shared_ptr<mock_instance>> spares;
  {
    std::lock_guard<std::mutex> lock(mu_);
    slots.swap(slots_);
    spares.swap(spares_);
  }
  for (auto& [key, spare] : spares)
    if (spare->process) spare->process->stop();
  for (auto& [key, s] : slots) {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->instance && s->instance->process) s->instance->process->stop();
  }
}

}  // namespace tether::runner
