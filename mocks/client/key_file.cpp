#include "mocks/client/key_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tether::client {

result<jose::jwk> load_or_create_key(const std::string& path, const std::string& alg, bool& created) {
  created = false;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("key_file.read", "cannot read key file " + path);
    std::stringstream text;
    text << in.rdbuf();
    auto key = jose::jwk::from_pem(text.str());
    if (!key) return make_error("key_file.parse", "key file " + path + ": " + key.err().message);
    if (!key->has_private()) return make_error("key_file.public", "key file " + path + " holds no private key");
    return key;
  }
  auto key = jose::jwk::generate(alg.empty() ? "ES256" : alg);
  if (!key) return make_error("key_file.generate", "cannot create a key for " + alg + ": " + key.err().message);
  const std::string pem = key->to_pem(/*include_private=*/true);
  // O_EXCL: never overwrite a key another process has just written.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return make_error("key_file.write", "cannot create key file " + path + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < pem.size()) {
    ssize_t n = ::write(fd, pem.data() + written, pem.size() - written);
    if (n <= 0) {
      ::close(fd);
      return make_error("key_file.write", "cannot write key file " + path + ": " + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  created = true;
  return key;
}

}  // namespace tether::client
