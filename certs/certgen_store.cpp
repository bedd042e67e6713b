// Keeping the certificate set usable: check what a directory holds, and replace the set as a
// whole when it is incomplete, incoherent or about to expire. Test programs and mocks start in
// parallel (ctest -j), so generation is serialised by a lock file, and a new set appears at
// one instant: each generation lives in its own hidden subdirectory, the link ".current"
// names the live one and is switched by a single rename, and <name>.crt, <name>.key and
// manifest.json are fixed links through ".current". The directory itself is never replaced,
// because it may hold other things (${PROJECT_BINARY_DIR}/certs is also CMake's binary
// directory of certs/).

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "certs/certgen.hpp"
#include "certs/certgen_internal.hpp"
#include "core/tls/certificate.hpp"
#include "core/util/openssl_ptr.hpp"

namespace tether::certs {
namespace {

namespace fs = std::filesystem;

error problem(const std::string& dir, const std::string& what) {
  return make_error("certgen.stale", "certificate set in " + dir + ": " + what);
}

result<ossl::pkey_ptr> load_key(const fs::path& path) {
  ossl::bio_ptr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ossl::drain_errors();
    return make_error("certgen.stale", "cannot read " + path.string());
  }
  ossl::pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ossl::drain_errors();
  if (!key) return make_error("certgen.stale", path.string() + " is not a PEM private key");
  return key;
}

// Serialises generators across processes; released when the descriptor closes.
class dir_lock {
 public:
  explicit dir_lock(const fs::path& lock_path)
      : fd_(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0)
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
  }
  ~dir_lock() {
    if (fd_ >= 0) ::close(fd_);
  }
  dir_lock(const dir_lock&) = delete;
  dir_lock& operator=(const dir_lock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_;
};

std::string random_suffix() {
  unsigned char bytes[6];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return std::to_string(::getpid());
  std::string out;
  for (unsigned char b : bytes) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", b);
    out += hex;
  }
  return std::to_string(::getpid()) + "-" + out;
}

constexpr const char* current_link = ".current";
constexpr const char* generation_prefix = ".set-";

std::vector<std::string> set_files() {
  std::vector<std::string> files;
  for (const auto& spec : detail::suite_specs()) {
    files.push_back(spec.name + ".crt");
    files.push_back(spec.name + ".key");
  }
  files.push_back("manifest.json");  // last: once it is linked, every other file is
  return files;
}

// Makes `path` a symbolic link to `target`, replacing what is there by one rename.
status place_link(const fs::path& path, const std::string& target, const std::string& id) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(path, ec)) && fs::read_symlink(path, ec) == target)
    return {};
  const fs::path tmp = path.parent_path() / (".tmp-" + id + "-" + path.filename().string());
  if (::symlink(target.c_str(), tmp.c_str()) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return make_error("certgen.write", "cannot link " + path.string() + ": " + why);
  }
  return {};
}

// Removes generations other than the live one and the one it replaced (a reader may still be
// opening files through the old link), and temporary entries a killed generator left behind.
void prune(const fs::path& dir, const std::set<std::string>& keep) {
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const bool ours = name.rfind(generation_prefix, 0) == 0 || name.rfind(".tmp-", 0) == 0;
    if (ours && !keep.count(name)) doomed.push_back(entry.path());
  }
  for (const auto& path : doomed) fs::remove_all(path, ec);
}

status replace_locked(const fs::path& dir) {
  const std::string id = random_suffix();
  const std::string generation = generation_prefix + id;
  std::error_code ec;
  if (auto s = generate_suite_certificates((dir / generation).string()); !s) {
    fs::remove_all(dir / generation, ec);
    return s;
  }
  const std::string previous = fs::read_symlink(dir / current_link, ec).string();
  if (auto s = place_link(dir / current_link, generation, id); !s) {
    fs::remove_all(dir / generation, ec);
    return s;
  }
  for (const auto& file : set_files())
    if (auto s = place_link(dir / file, std::string(current_link) + "/" + file, id); !s) return s;
  prune(dir, {generation, previous});
  return {};
}

status locked_replace(const std::string& dir, int64_t min_valid_s, bool force) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error("certgen.write", "cannot create directory " + dir + ": " + ec.message());
  dir_lock lock(fs::path(dir) / ".lock");
  if (!lock.held()) return make_error("certgen.write", "cannot create the lock file in " + dir);
  // Another process may have replaced the set while this one waited for the lock.
  if (!force && check_suite_certificates(dir, min_valid_s)) return {};
  return replace_locked(dir);
}

}  // namespace

status check_suite_certificates(const std::string& dir, int64_t min_valid_s, int64_t now) {
  now = detail::now_or(now);
  const fs::path root(dir);
  std::ifstream in(root / "manifest.json");
  if (!in) return problem(dir, "manifest.json is missing");
  std::stringstream text;
  text << in.rdbuf();
  auto manifest = nlohmann::json::parse(text.str(), nullptr, false);
  if (manifest.is_discarded() || !manifest.contains("certificates") ||
      !manifest["certificates"].is_object())
    return problem(dir, "manifest.json is not a certificate manifest");
  const auto& listed = manifest["certificates"];

  std::map<std::string, tls::certificate> loaded;
  for (const auto& spec : detail::suite_specs()) {
    auto cert = tls::certificate::load_file((root / (spec.name + ".crt")).string());
    if (!cert) return problem(dir, cert.err().message);
    auto key = load_key(root / (spec.name + ".key"));
    if (!key) return problem(dir, key.err().message);
    if (X509_check_private_key(cert->native(), key->get()) != 1) {
      ossl::drain_errors();
      return problem(dir, spec.name + ".key does not belong to " + spec.name + ".crt");
    }
    auto entry = listed.find(spec.name);
    // Checked member by member: a corrupt manifest must read as stale, not throw.
    const nlohmann::json* x5t = nullptr;
    if (entry != listed.end() && entry->is_object() && entry->contains("x5t#S256"))
      x5t = &(*entry)["x5t#S256"];
    if (!x5t || !x5t->is_string() || x5t->get_ref<const std::string&>() != cert->x5t_s256())
      return problem(dir, "manifest.json does not describe " + spec.name + ".crt");
    auto issuer = spec.issuer.empty() ? loaded.end() : loaded.find(spec.issuer);
    X509* signer = issuer == loaded.end() ? cert->native() : issuer->second.native();
    if (X509_verify(cert->native(), X509_get0_pubkey(signer)) != 1) {
      ossl::drain_errors();
      return problem(dir, spec.name + ".crt is not signed by " +
                              (spec.issuer.empty() ? "its own key" : spec.issuer + ".crt"));
    }
    if (spec.expired()) {
      if (cert->not_after() >= now) return problem(dir, spec.name + ".crt has not expired");
    } else if (cert->not_before() > now) {
      return problem(dir, spec.name + ".crt is not valid yet (" +
                              detail::iso8601(cert->not_before()) + ")");
    } else if (cert->not_after() < now + min_valid_s) {
      return problem(dir, spec.name + ".crt expires at " + detail::iso8601(cert->not_after()));
    }
    loaded.emplace(spec.name, std::move(cert.value()));
  }
  return {};
}

status ensure_suite_certificates(const std::string& dir, int64_t min_valid_s) {
  if (check_suite_certificates(dir, min_valid_s)) return {};
  return locked_replace(dir, min_valid_s, /*force=*/false);
}

status regenerate_suite_certificates(const std::string& dir) {
  return locked_replace(dir, 0, /*force=*/true);
}

}  // namespace tether::certs
