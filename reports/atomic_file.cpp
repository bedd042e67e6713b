#include "reports/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "reports/temporaries.hpp"

namespace tether::reports {
namespace fs = std::filesystem;
namespace {

// Hidden (a glob such as *.json in a CI artefact step never picks it up), with the writer's
// process ID, so that a later writer can tell a staging directory left by a killed process
// from one that a running process is still filling.
constexpr std::string_view staging_prefix = ".tether-staging-";
// Inside the staging directory: the previous file, kept until the new set is in place.
constexpr std::string_view previous_prefix = ".previous-";

error io_error(std::string_view code, std::string_view path, std::string_view doing, int err) {
  return make_error(std::string(code), fmt::format("cannot {} {}: {}", doing, path, std::strerror(err)));
}

std::string in_dir(const std::string& dir, std::string_view name) { return (fs::path(dir) / name).string(); }

status write_all(int fd, std::string_view content, const std::string& shown) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("io.write", shown, "write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// Writes one file of the set into the staging directory and flushes it to disk. Errors name
// the file where it is meant to end up.
status write_staged(const std::string& staged, std::string_view content, const std::string& shown) {
  int fd = -1;
  {
    temporaries::hold registry;  // inside the registered staging directory: no creation after clean-up
    fd = ::open(staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  }
  if (fd < 0) return io_error("io.write", shown, "create a temporary file for", errno);
  status st = write_all(fd, content, shown);
  // A report is meant to be read by others (CI artefact servers, a web root), whatever the umask.
  if (st && ::fchmod(fd, 0644) != 0) st = io_error("io.write", shown, "set the mode of", errno);
  if (st && ::fsync(fd) != 0) st = io_error("io.write", shown, "flush", errno);
  if (::close(fd) != 0 && st) st = io_error("io.write", shown, "close", errno);
  return st;
}

void sync_directory(const std::string& dir) {
  // Makes the renames durable; failing to sync the directory loses nothing already written.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

// Removes the staging directories of writers that no longer run (killed by SIGKILL, which no
// clean-up can catch). A directory whose process is alive belongs to a write under way.
void remove_abandoned_staging(const std::string& dir) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(staging_prefix, 0) != 0) continue;
    const std::string rest = name.substr(staging_prefix.size());
    const pid_t pid = static_cast<pid_t>(std::strtol(rest.c_str(), nullptr, 10));
    if (pid == ::getpid()) continue;  // this process's own, under way in another thread
    if (pid > 0 && (::kill(pid, 0) == 0 || errno != ESRCH)) continue;  // its writer is alive
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

// The staging directory: registered while it exists, removed with whatever it holds when the
// set is not published.
class staging_dir {
 public:
  explicit staging_dir(std::string path) : path_(std::move(path)) {}
  staging_dir(const staging_dir&) = delete;
  staging_dir& operator=(const staging_dir&) = delete;
  ~staging_dir() {
    temporaries::hold registry;
    std::error_code ec;
    fs::remove_all(path_, ec);
    registry.forget(path_);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

status ensure_directory(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error("io.directory", fmt::format("cannot create directory {}: {}", dir, ec.message()));
  if (!fs::is_directory(dir, ec)) {
    return make_error("io.directory", fmt::format("cannot create directory {}: a file of that name exists", dir));
  }
  return {};
}

status write_file_set(const std::string& dir, const std::vector<named_content>& files) {
  if (files.empty()) return {};
  remove_abandoned_staging(dir);

  std::unique_ptr<staging_dir> staging;
  {
    std::string pattern = in_dir(dir, fmt::format("{}{}-XXXXXX", staging_prefix, ::getpid()));
    temporaries::hold registry;
    if (::mkdtemp(pattern.data()) == nullptr)
      return io_error("io.write", in_dir(dir, files.front().name), "create a temporary file for", errno);
    registry.add(pattern);
    staging = std::make_unique<staging_dir>(pattern);
  }
  for (const auto& f : files) {
    if (auto st = write_staged(in_dir(staging->path(), f.name), f.content, in_dir(dir, f.name)); !st) return st;
  }
  // rename(2) cannot put a file where a directory is: found now, before anything is replaced.
  for (const auto& f : files) {
    struct stat st {};
    const std::string target = in_dir(dir, f.name);
    if (::lstat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return io_error("io.write", target, "replace", EISDIR);
  }

  status result;
  {
    // One step for the signal thread: it removes the staging directory before or after all of
    // the renames, never between two of them.
    temporaries::hold registry;
    std::vector<bool> kept(files.size(), false), existed(files.size(), false);
    for (std::size_t i = 0; i < files.size(); ++i) {
      // The previous file, kept by a second name until the new set is in place, so that a
      // failed rename can put the previous set back.
      kept[i] = ::link(in_dir(dir, files[i].name).c_str(),
                       in_dir(staging->path(), std::string(previous_prefix) + files[i].name).c_str()) == 0;
      existed[i] = kept[i] || errno != ENOENT;
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string target = in_dir(dir, files[i].name);
      if (::rename(in_dir(staging->path(), files[i].name).c_str(), target.c_str()) == 0) continue;
      result = io_error("io.write", target, "replace", errno);
      for (std::size_t j = 0; j < i; ++j) {
        const std::string done = in_dir(dir, files[j].name);
        if (kept[j]) ::rename(in_dir(staging->path(), std::string(previous_prefix) + files[j].name).c_str(), done.c_str());
        else if (!existed[j]) ::unlink(done.c_str());  // else a file system without links: the new file stays
      }
      break;
    }
  }
  sync_directory(dir);
  return result;
}

status write_file_atomically(const std::string& path, std::string_view content) {
  const fs::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : std::string(".");
  return write_file_set(dir, {{target.filename().string(), content}});
}

}  // namespace tether::reports
