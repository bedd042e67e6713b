// Generation of the suite's certificate set with the OpenSSL 3 API: ECDSA P-256 keys, v3
// certificates with the extensions a real PKI would put there, random serials, and a manifest
// that says what each certificate is for.

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certs/certgen.hpp"
#include "certs/certgen_internal.hpp"
#include "core/tls/certificate.hpp"
#include "core/util/openssl_ptr.hpp"

namespace tether::certs {
namespace detail {

const std::vector<cert_spec>& suite_specs() {
  constexpr int64_t hour = 3600, day = 24 * hour;
  // Validity starts an hour back so that a peer whose clock runs slightly behind still accepts.
  constexpr int64_t from = -hour, to = 30 * day;
  const std::string client_a_san =
      "DNS:client-a.tether.test,URI:https://client-a.tether.test/,IP:10.0.0.1,"
      "IP:2001:db8::1,email:client-a@tether.test";
  static const std::vector<cert_spec> specs = {
      {"ca", "Tether Test CA", "", "", cert_role::ca, "", from, to,
       "Trust anchor for the PKI method (RFC 8705 2.1); issues every CA-issued certificate here"},
      {"ca-2", "Tether Other CA", "", "", cert_role::ca, "", from, to,
       "A second CA that relying parties do not trust by default; issues client-other-ca"},
      {"client-a", "client-a", "Tether Test", "ca", cert_role::client, client_a_san, from, to,
       "The well-behaved client: tls_client_auth by DN or SAN and certificate-bound tokens "
       "(RFC 8705 2.1, 3)"},
      {"client-b", "client-b", "Tether Test", "ca", cert_role::client,
       "DNS:client-b.tether.test,URI:https://client-b.tether.test/,IP:10.0.0.2,"
       "IP:2001:db8::2,email:client-b@tether.test",
       from, to,
       "A second client (other key and DN): wrong-client and mismatched-certificate probes "
       "(RFC 8705 2, 3)"},
      {"client-a-rekeyed", "client-a", "Tether Test", "ca", cert_role::client, client_a_san, from,
       to,
       "client-a's subject with a new key: same DN, different x5t#S256 (RFC 8705 3, 6.3)"},
      {"client-other-ca", "client-a", "Tether Test", "ca-2", cert_role::client, client_a_san,
       from, to, "client-a's subject issued by ca-2: right DN, wrong CA (RFC 8705 2.1, 7.4)"},
      {"client-self-signed", "client-self-signed", "Tether Test", "", cert_role::client,
       "DNS:client-self-signed.tether.test", from, to,
       "Self-signed client for self_signed_tls_client_auth and public clients (RFC 8705 2.2, 4)"},
      {"client-expired", "client-a", "Tether Test", "ca", cert_role::client, client_a_san,
       -60 * day, -30 * day,
       "client-a's subject, issued by ca, validity entirely in the past (RFC 5280 6.1.3)"},
      {"proxy", "tether-proxy", "Tether Test", "ca", cert_role::client,
       "DNS:tether-proxy.tether.test", from, to,
       "The trusted TLS-terminating proxy hop: forwarded-certificate headers are believed only "
       "on its connections (RFC 8705 6.5, RFC 9440)"},
      {"server", "localhost", "", "ca", cert_role::server, "DNS:localhost,IP:127.0.0.1", from,
       to, "TLS server certificate of the mock AS and RS on localhost / 127.0.0.1"},
  };
  return specs;
}

int64_t now_or(int64_t now) { return now != 0 ? now : static_cast<int64_t>(std::time(nullptr)); }

std::string iso8601(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace detail

namespace {

using detail::cert_role;
using detail::cert_spec;

struct issued {
  ossl::pkey_ptr key;
  ossl::x509_ptr cert;
};

error ossl_error(const std::string& what) {
  return make_error("certgen.openssl", what + ": " + ossl::drain_errors());
}

status add_ext(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  std::unique_ptr<X509_EXTENSION, ossl::deleter<X509_EXTENSION_free>> ext(
      X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return ossl_error(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
  return {};
}

status set_name(X509_NAME* name, const cert_spec& spec) {
  // Encoded O first, CN last, so that the RFC 4514 string (last RDN first) reads "CN=...,O=...".
  auto add = [&](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                      -1, 0) == 1;
  };
  if (!spec.organization.empty() && !add("O", spec.organization))
    return ossl_error("subject O of " + spec.name);
  if (!add("CN", spec.common_name)) return ossl_error("subject CN of " + spec.name);
  return {};
}

status add_extensions(X509* cert, const issued* issuer, EVP_PKEY* key, const cert_spec& spec) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer->cert.get() : cert, cert, nullptr, nullptr, 0);
  if (!issuer) X509V3_set_issuer_pkey(&ctx, key);  // self-signed: AKI from the own key
  const bool ca = spec.role == cert_role::ca;
  std::vector<std::pair<int, std::string>> exts = {
      {NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE"},
      {NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"},
  };
  if (spec.role == cert_role::client) exts.emplace_back(NID_ext_key_usage, "clientAuth");
  if (spec.role == cert_role::server) exts.emplace_back(NID_ext_key_usage, "serverAuth");
  if (!spec.san.empty()) exts.emplace_back(NID_subject_alt_name, spec.san);
  for (const auto& [nid, value] : exts)
    if (auto s = add_ext(cert, &ctx, nid, value); !s) return s;
  return {};
}

result<issued> make_certificate(const cert_spec& spec, const issued* issuer, int64_t now) {
  issued out;
  out.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  out.cert.reset(X509_new());
  if (!out.key || !out.cert) return ossl_error("key or certificate allocation for " + spec.name);
  X509* x = out.cert.get();
  if (X509_set_version(x, X509_VERSION_3) != 1) return ossl_error("version of " + spec.name);

  // RFC 5280 4.1.2.2: positive, at most 20 octets; 159 random bits keep it unpredictable.
  ossl::bn_ptr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 159, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)))
    return ossl_error("serial of " + spec.name);

  if (auto s = set_name(X509_get_subject_name(x), spec); !s) return s.err();
  const X509_NAME* issuer_name =
      issuer ? X509_get_subject_name(issuer->cert.get()) : X509_get_subject_name(x);
  if (X509_set_issuer_name(x, issuer_name) != 1) return ossl_error("issuer of " + spec.name);
  if (!ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(now + spec.not_before_offset)) ||
      !ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(now + spec.not_after_offset)))
    return ossl_error("validity of " + spec.name);
  if (X509_set_pubkey(x, out.key.get()) != 1) return ossl_error("public key of " + spec.name);
  if (auto s = add_extensions(x, issuer, out.key.get(), spec); !s) return s.err();

  EVP_PKEY* signer = issuer ? issuer->key.get() : out.key.get();
  if (X509_sign(x, signer, EVP_sha256()) <= 0) return ossl_error("signature of " + spec.name);
  return out;
}

// Each file appears by rename, complete, and replaces whatever was at its path (a link of an
// earlier layout included) instead of writing through it.
status write_file(const std::filesystem::path& path, const std::string& content, mode_t mode) {
  const std::filesystem::path tmp =
      path.parent_path() / (".tmp-" + std::to_string(::getpid()) + "-" + path.filename().string());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error("certgen.write", "cannot create " + tmp.string());
  bool ok = ::fchmod(fd, mode) == 0;
  for (size_t off = 0; ok && off < content.size();) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n <= 0) ok = false;
    else off += static_cast<size_t>(n);
  }
  ok = (::close(fd) == 0) && ok;
  if (ok) ok = ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) {
    ::unlink(tmp.c_str());
    return make_error("certgen.write", "cannot write " + path.string());
  }
  return {};
}

std::string key_pem(EVP_PKEY* key) {
  ossl::bio_ptr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted: a test key.
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

nlohmann::ordered_json describe(const cert_spec& spec, const tls::certificate& cert) {
  nlohmann::ordered_json ips = nlohmann::ordered_json::array();
  for (const auto& raw : cert.san_ip()) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(raw.size() == 4 ? AF_INET : AF_INET6, raw.data(), text, sizeof text);
    ips.push_back(text);
  }
  return {
      {"cert_file", spec.name + ".crt"},
      {"key_file", spec.name + ".key"},
      {"subject", cert.subject_dn()},
      {"issuer", cert.issuer_dn()},
      {"issued_by", spec.issuer.empty() ? spec.name : spec.issuer},
      {"x5t#S256", cert.x5t_s256()},
      {"not_before", detail::iso8601(cert.not_before())},
      {"not_before_epoch", cert.not_before()},
      {"not_after", detail::iso8601(cert.not_after())},
      {"not_after_epoch", cert.not_after()},
      {"san",
       {{"dns", cert.san_dns()}, {"uri", cert.san_uri()}, {"email", cert.san_email()},
        {"ip", ips}}},
      {"purpose", spec.purpose},
  };
}

}  // namespace

std::vector<std::string> suite_certificate_names() {
  std::vector<std::string> names;
  for (const auto& spec : detail::suite_specs()) names.push_back(spec.name);
  return names;
}

status generate_suite_certificates(const std::string& dir, int64_t now) {
  now = detail::now_or(now);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("certgen.write", "cannot create directory " + dir + ": " + ec.message());

  std::map<std::string, issued> made;
  nlohmann::ordered_json certificates = nlohmann::ordered_json::object();
  for (const auto& spec : detail::suite_specs()) {
    const issued* issuer = nullptr;
    if (!spec.issuer.empty()) {
      auto it = made.find(spec.issuer);
      if (it == made.end())
        return make_error("certgen.spec", spec.name + " names an unknown issuer " + spec.issuer);
      issuer = &it->second;
    }
    auto cert = make_certificate(spec, issuer, now);
    if (!cert) return cert.err();
    X509_up_ref(cert->cert.get());
    auto view = tls::certificate::adopt(cert->cert.get());
    const std::filesystem::path base = std::filesystem::path(dir) / spec.name;
    if (auto s = write_file(base.string() + ".crt", view.pem(), 0644); !s) return s;
    if (auto s = write_file(base.string() + ".key", key_pem(cert->key.get()), 0600); !s) return s;
    certificates[spec.name] = describe(spec, view);
    made.emplace(spec.name, std::move(cert.value()));
  }
  nlohmann::ordered_json manifest = {
      {"schema", "tether-certs/1"},
      {"generated_at", detail::iso8601(now)},
      {"generated_at_epoch", now},
      {"certificates", certificates},
  };
  // Written last: a directory with a manifest is one whose certificates were all written.
  return write_file(std::filesystem::path(dir) / "manifest.json", manifest.dump(2) + "\n", 0644);
}

}  // namespace tether::certs
