#include "reports/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace tether::reports {
namespace {

error io_error(std::string_view code, std::string_view path, std::string_view doing, int err) {
  return make_error(std::string(code), fmt::format("cannot {} {}: {}", doing, path, std::strerror(err)));
}

// Closes the descriptor and removes the temporary file unless released after a good rename.
class temp_file {
 public:
  temp_file(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() {
    close_fd();
    if (!released_) ::unlink(name_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  int close_fd() {
    int rc = 0;
    if (fd_ >= 0) rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }
  void release() { released_ = true; }

 private:
  int fd_;
  std::string name_;
  bool released_ = false;
};

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

}  // namespace

status ensure_directory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("io.directory", fmt::format("cannot create directory {}: {}", dir, ec.message()));
  if (!std::filesystem::is_directory(dir, ec)) {
    return make_error("io.directory", fmt::format("cannot create directory {}: a file of that name exists", dir));
  }
  return {};
}

status write_file_atomically(const std::string& path, std::string_view content) {
  const std::filesystem::path target(path);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  // A hidden name in the same directory: same file system (so rename is atomic), and a glob such
  // as *.json in a CI artefact step never picks up a temporary file.
  std::string pattern = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return io_error("io.write", path, "create a temporary file for", errno);
  temp_file tmp(fd, name.data());

  if (auto st = write_all(tmp.fd(), content, path); !st) return st;
  // mkstemp creates 0600; a report is meant to be read by others (CI artefact servers, a web root).
  if (::fchmod(tmp.fd(), 0644) != 0) return io_error("io.write", path, "set the mode of", errno);
  if (::fsync(tmp.fd()) != 0) return io_error("io.write", path, "flush", errno);
  if (tmp.close_fd() != 0) return io_error("io.write", path, "close", errno);
  if (::rename(tmp.name().c_str(), path.c_str()) != 0) return io_error("io.write", path, "replace", errno);
  tmp.release();

  // Make the rename itself durable; failing to sync the directory loses nothing already written.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace tether::reports
