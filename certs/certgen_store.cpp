// Keeping the certificate set usable: check what a directory holds, and replace it as a whole
// when it is incomplete, incoherent or about to expire. Test programs and mocks start in
// parallel (ctest -j), so generation is serialised by a lock file and the new set appears by
// a directory rename: a reader sees the old set or the new one, never a mixture being written.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
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

fs::path parent_of(const fs::path& dir) {
  fs::path p = dir.parent_path();
  return p.empty() ? fs::path(".") : p;
}

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

// Generates into a sibling directory, then puts it in place with one rename (or one atomic
// exchange when dir already exists: renameat2 RENAME_EXCHANGE, Linux 3.15).
status replace_locked(const fs::path& dir) {
  const fs::path tmp = parent_of(dir) / ("." + dir.filename().string() + ".new-" + random_suffix());
  std::error_code ec;
  if (auto s = generate_suite_certificates(tmp.string()); !s) {
    fs::remove_all(tmp, ec);
    return s;
  }
  auto fail = [&](const std::string& what) -> status {
    std::string why = std::strerror(errno);
    fs::remove_all(tmp, ec);
    return make_error("certgen.write", what + ": " + why);
  };
  if (!fs::exists(fs::symlink_status(dir, ec))) {
    if (::rename(tmp.c_str(), dir.c_str()) != 0) return fail("cannot rename into " + dir.string());
    return {};
  }
  if (!fs::is_directory(dir, ec)) {
    fs::remove_all(tmp, ec);
    return make_error("certgen.write", dir.string() + " exists and is not a directory");
  }
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(tmp, ec);  // now the old set
    return {};
  }
  // Filesystems without RENAME_EXCHANGE: move the old set aside first (a short window in which
  // dir is absent, never half-written).
  const fs::path old = parent_of(dir) / ("." + dir.filename().string() + ".old-" + random_suffix());
  if (::rename(dir.c_str(), old.c_str()) != 0) return fail("cannot move aside " + dir.string());
  if (::rename(tmp.c_str(), dir.c_str()) != 0) return fail("cannot rename into " + dir.string());
  fs::remove_all(old, ec);
  return {};
}

fs::path lock_path_of(const fs::path& dir) {
  return parent_of(dir) / ("." + dir.filename().string() + ".lock");
}

fs::path normalised(const std::string& dir) {
  fs::path p = fs::path(dir).lexically_normal();
  if (p.has_filename() || p.empty()) return p;
  return p.parent_path();  // "certs/" -> "certs"
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
    if (entry == listed.end() || !entry->is_object() ||
        entry->value("x5t#S256", std::string()) != cert->x5t_s256())
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
  const fs::path target = normalised(dir);
  std::error_code ec;
  fs::create_directories(parent_of(target), ec);
  dir_lock lock(lock_path_of(target));
  if (!lock.held())
    return make_error("certgen.write", "cannot create lock file " + lock_path_of(target).string());
  // Another process may have replaced the set while this one waited for the lock.
  if (check_suite_certificates(dir, min_valid_s)) return {};
  return replace_locked(target);
}

status regenerate_suite_certificates(const std::string& dir) {
  const fs::path target = normalised(dir);
  std::error_code ec;
  fs::create_directories(parent_of(target), ec);
  dir_lock lock(lock_path_of(target));
  if (!lock.held())
    return make_error("certgen.write", "cannot create lock file " + lock_path_of(target).string());
  return replace_locked(target);
}

}  // namespace tether::certs
