#include "mocks/as/signing_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tether::as {
namespace {

status write_private(const std::string& path, const std::string& pem) {
  // Written beside the target and renamed, so a reader never sees half a key.
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return make_error("signing_key.write", "cannot create " + tmp + ": " + std::strerror(errno));
  bool ok = true;
  for (std::size_t off = 0; ok && off < pem.size();) {
    ssize_t n = ::write(fd, pem.data() + off, pem.size() - off);
    if (n <= 0) ok = false;
    else off += static_cast<std::size_t>(n);
  }
  ok = (::close(fd) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return make_error("signing_key.write", "cannot write signing key " + path + ": " + std::strerror(errno));
  }
  return {};
}

const char* key_needed(const std::string& alg) {
  if (alg == "ES256") return "an EC P-256 key";
  if (alg == "EdDSA") return "an Ed25519 key";
  return "an RSA key of at least 2048 bits";
}

}  // namespace

result<jose::jwk> load_signing_key(const std::string& path, const std::string& alg) {
  result<jose::jwk> key = make_error("signing_key", "no key");
  if (path.empty() || ::access(path.c_str(), F_OK) != 0) {
    key = jose::jwk::generate(alg);
    if (!key) return make_error(key.err().code, "generating a signing key for " + alg + " failed: " + key.err().message);
    if (!path.empty()) {
      if (auto s = write_private(path, key->to_pem(true)); !s) return s.err();
    }
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("signing_key.read", "cannot read signing key " + path);
    std::stringstream text;
    text << in.rdbuf();
    key = jose::jwk::from_pem(text.str());
    if (!key) return make_error(key.err().code, "signing key " + path + ": " + key.err().message);
    if (!key->has_private()) return make_error("signing_key.public", "signing key " + path + " holds no private key");
    if (!key->suits(alg))
      return make_error("signing_key.alg", "signing key " + path + " (" + jose::to_string(key->type()) +
                                               ") does not suit signing_alg " + alg + ", which needs " +
                                               key_needed(alg) + " (change --knob signing_alg or the key file)");
  }
  key->set_member("kid", key->thumbprint());
  key->set_member("alg", alg);
  key->set_member("use", "sig");
  return key;
}

}  // namespace tether::as
