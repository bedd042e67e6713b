// The certificate generator: the set is what certs/README.md promises (keys, extensions,
// validity, manifest), ensure_suite_certificates() leaves a good set alone and replaces a
// broken or expiring one, and concurrent callers end with one coherent set.

#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certs/certgen.hpp"
#include "core/util/openssl_ptr.hpp"
#include "suite_certs.hpp"

namespace tether::certs {
namespace {

using tls::testing::read_file;
using tls::testing::suite_cert;
using tls::testing::suite_certs_dir;

int64_t now_s() { return static_cast<int64_t>(std::time(nullptr)); }

struct temp_dir {
  std::string path = tls::testing::make_temp_dir("gen");
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string set() const { return path + "/certs"; }
};

TEST(certgen, names_are_the_documented_set) {
  EXPECT_EQ(suite_certificate_names(),
            (std::vector<std::string>{"ca", "ca-2", "client-a", "client-b", "client-a-rekeyed",
                                      "client-other-ca", "client-self-signed", "client-expired",
                                      "proxy", "server"}));
}

TEST(certgen, keys_are_p256_pkcs8_with_mode_0600) {
  for (const auto& name : suite_certificate_names()) {
    const std::string path = suite_certs_dir() + "/" + name + ".key";
    const std::string text = read_file(path);
    EXPECT_EQ(text.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << name;  // PKCS#8, unencrypted
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
    ossl::bio_ptr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    ossl::pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(key) << name;
    char group[64] = {};
    EXPECT_EQ(EVP_PKEY_get_group_name(key.get(), group, sizeof group, nullptr), 1);
    EXPECT_STREQ(group, "prime256v1") << name;
    EXPECT_EQ(X509_check_private_key(suite_cert(name).native(), key.get()), 1) << name;
  }
}

TEST(certgen, extensions_fit_each_role) {
  for (const auto& name : suite_certificate_names()) {
    const auto cert = suite_cert(name);
    X509* x = cert.native();
    ASSERT_NE(x, nullptr);
    const bool ca = name == "ca" || name == "ca-2";
    EXPECT_EQ(X509_check_ca(x) != 0, ca) << name;
    const uint32_t ku = X509_get_key_usage(x);
    EXPECT_EQ((ku & KU_KEY_CERT_SIGN) != 0, ca) << name;
    EXPECT_EQ((ku & KU_DIGITAL_SIGNATURE) != 0, !ca) << name;
    const uint32_t eku = X509_get_extended_key_usage(x);
    if (!ca) {
      EXPECT_EQ(eku, name == "server" ? uint32_t{XKU_SSL_SERVER} : uint32_t{XKU_SSL_CLIENT})
          << name;
    }
    ASSERT_NE(X509_get0_subject_key_id(x), nullptr) << name;
    ASSERT_NE(X509_get0_authority_key_id(x), nullptr) << name;
  }
  // The AKI of an issued certificate names its issuer's SKI (RFC 5280 4.2.1.1).
  for (const auto& [leaf, issuer] : {std::pair{"client-other-ca", "ca-2"}, {"client-a", "ca"},
                                      {"client-self-signed", "client-self-signed"}}) {
    const auto l = suite_cert(leaf), i = suite_cert(issuer);
    EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(l.native()),
                                    X509_get0_subject_key_id(i.native())),
              0)
        << leaf;
  }
}

TEST(certgen, serials_are_random_and_distinct) {
  std::set<std::string> serials;
  for (const auto& name : suite_certificate_names()) {
    ossl::bn_ptr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(suite_cert(name).native()), nullptr));
    ASSERT_TRUE(bn);
    EXPECT_FALSE(BN_is_negative(bn.get()));
    EXPECT_GE(BN_num_bits(bn.get()), 64) << name;  // not a counter
    char* hex = BN_bn2hex(bn.get());
    serials.insert(hex);
    OPENSSL_free(hex);
  }
  EXPECT_EQ(serials.size(), suite_certificate_names().size());
}

TEST(certgen, manifest_describes_every_certificate) {
  auto manifest = nlohmann::json::parse(read_file(suite_certs_dir() + "/manifest.json"), nullptr,
                                        false);
  ASSERT_TRUE(manifest.is_object());
  EXPECT_EQ(manifest.value("schema", ""), "tether-certs/1");
  EXPECT_TRUE(manifest["generated_at_epoch"].is_number_integer());
  for (const auto& name : suite_certificate_names()) {
    const auto& entry = manifest["certificates"][name];
    auto cert = suite_cert(name);
    EXPECT_EQ(entry.value("cert_file", ""), name + ".crt");
    EXPECT_EQ(entry.value("key_file", ""), name + ".key");
    EXPECT_EQ(entry.value("subject", ""), cert.subject_dn()) << name;
    EXPECT_EQ(entry.value("issuer", ""), cert.issuer_dn()) << name;
    EXPECT_EQ(entry.value("x5t#S256", ""), cert.x5t_s256()) << name;
    EXPECT_EQ(entry.value("not_after_epoch", int64_t{0}), cert.not_after()) << name;
    EXPECT_EQ(entry.value("not_before_epoch", int64_t{0}), cert.not_before()) << name;
    EXPECT_EQ(entry.value("not_after", "").size(), 20u) << name;  // 2026-01-02T03:04:05Z
    EXPECT_FALSE(entry.value("purpose", "").empty()) << name;
  }
  EXPECT_EQ(manifest["certificates"]["client-a"]["san"]["ip"],
            nlohmann::json({"10.0.0.1", "2001:db8::1"}));
}

TEST(certgen, generation_time_is_honoured) {
  temp_dir tmp;
  const int64_t t = 1767225600;  // 2026-01-01T00:00:00Z
  ASSERT_TRUE(generate_suite_certificates(tmp.set(), t));
  auto manifest = nlohmann::json::parse(read_file(tmp.set() + "/manifest.json"), nullptr, false);
  EXPECT_EQ(manifest.value("generated_at", ""), "2026-01-01T00:00:00Z");
  EXPECT_EQ(manifest["certificates"]["client-a"].value("not_before", ""), "2025-12-31T23:00:00Z");
  EXPECT_EQ(manifest["certificates"]["client-a"].value("not_after", ""), "2026-01-31T00:00:00Z");
  EXPECT_EQ(manifest["certificates"]["client-expired"].value("not_after", ""),
            "2025-12-02T00:00:00Z");
  EXPECT_TRUE(check_suite_certificates(tmp.set(), 7 * 86400, t));
  auto late = check_suite_certificates(tmp.set(), 7 * 86400, t + 25 * 86400);
  ASSERT_FALSE(late);
  EXPECT_NE(late.err().message.find("expires"), std::string::npos) << late.err().message;
}

TEST(certgen, ensure_twice_is_a_no_op) {
  temp_dir tmp;
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  const std::string ca = read_file(tmp.set() + "/ca.crt");
  const std::string manifest = read_file(tmp.set() + "/manifest.json");
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  EXPECT_EQ(read_file(tmp.set() + "/ca.crt"), ca);
  EXPECT_EQ(read_file(tmp.set() + "/manifest.json"), manifest);
}

TEST(certgen, ensure_regenerates_a_set_with_a_missing_file) {
  temp_dir tmp;
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  const std::string ca = read_file(tmp.set() + "/ca.crt");
  std::filesystem::remove(tmp.set() + "/client-b.key");
  auto broken = check_suite_certificates(tmp.set());
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.err().message.find("client-b.key"), std::string::npos);
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  EXPECT_TRUE(check_suite_certificates(tmp.set()));
  EXPECT_NE(read_file(tmp.set() + "/ca.crt"), ca);  // a whole new set, not a patched one
}

TEST(certgen, a_corrupt_manifest_reads_as_stale) {
  temp_dir tmp;
  ASSERT_TRUE(generate_suite_certificates(tmp.set()));
  for (const char* bad : {"{\"certificates\": {\"ca\": {\"x5t#S256\": 5}}}", "[1, 2]", "{",
                          ""}) {
    tls::testing::write_file(tmp.set() + "/manifest.json", bad);
    auto stale = check_suite_certificates(tmp.set());
    ASSERT_FALSE(stale) << bad;
    EXPECT_EQ(stale.err().code, "certgen.stale");
  }
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  EXPECT_TRUE(check_suite_certificates(tmp.set()));
}

TEST(certgen, ensure_regenerates_an_expiring_or_mixed_set) {
  temp_dir tmp;
  ASSERT_TRUE(generate_suite_certificates(tmp.set(), now_s() - 25 * 86400));
  EXPECT_FALSE(check_suite_certificates(tmp.set()));
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  EXPECT_TRUE(check_suite_certificates(tmp.set()));

  // A certificate from another generation: right names, wrong issuer key.
  temp_dir other;
  ASSERT_TRUE(generate_suite_certificates(other.set()));
  std::filesystem::copy_file(other.set() + "/ca.crt", tmp.set() + "/ca.crt",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(other.set() + "/ca.key", tmp.set() + "/ca.key",
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_FALSE(check_suite_certificates(tmp.set()));
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  EXPECT_TRUE(check_suite_certificates(tmp.set()));
}

TEST(certgen, concurrent_callers_end_with_one_coherent_set) {
  temp_dir tmp;
  std::vector<std::thread> threads;
  std::vector<int> ok(6, 0);
  for (size_t i = 0; i < ok.size(); ++i)
    threads.emplace_back([&, i] { ok[i] = ensure_suite_certificates(tmp.set()) ? 1 : 0; });
  for (auto& t : threads) t.join();
  for (int v : ok) EXPECT_EQ(v, 1);
  EXPECT_TRUE(check_suite_certificates(tmp.set()));
  // One generation, reached through ".current"; no temporary entry left behind.
  size_t generations = 0, leftovers = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.set())) {
    const std::string name = e.path().filename().string();
    generations += name.rfind(".set-", 0) == 0;
    leftovers += name.rfind(".tmp-", 0) == 0;
  }
  EXPECT_EQ(generations, 1u);
  EXPECT_EQ(leftovers, 0u);
  EXPECT_TRUE(std::filesystem::is_symlink(tmp.set() + "/client-a.crt"));
}

TEST(certgen, replacing_keeps_other_files_and_at_most_two_generations) {
  // ${PROJECT_BINARY_DIR}/certs is also CMake's binary directory of certs/: never wiped.
  temp_dir tmp;
  std::filesystem::create_directories(tmp.set() + "/CMakeFiles");
  tls::testing::write_file(tmp.set() + "/build.ninja.part", "keep me");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(regenerate_suite_certificates(tmp.set()));
  EXPECT_EQ(read_file(tmp.set() + "/build.ninja.part"), "keep me");
  EXPECT_TRUE(std::filesystem::is_directory(tmp.set() + "/CMakeFiles"));
  size_t generations = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.set()))
    generations += e.path().filename().string().rfind(".set-", 0) == 0;
  EXPECT_EQ(generations, 2u);  // the live one and the one a reader may still be opening
  EXPECT_TRUE(check_suite_certificates(tmp.set()));
}

TEST(certgen, a_plain_directory_written_by_generate_is_taken_over) {
  temp_dir tmp;
  ASSERT_TRUE(generate_suite_certificates(tmp.set(), now_s() - 29 * 86400));
  EXPECT_FALSE(std::filesystem::is_symlink(tmp.set() + "/ca.crt"));
  ASSERT_TRUE(ensure_suite_certificates(tmp.set()));
  EXPECT_TRUE(std::filesystem::is_symlink(tmp.set() + "/ca.crt"));
  EXPECT_TRUE(check_suite_certificates(tmp.set()));
}

TEST(certgen, openssl_command_line_accepts_the_chains) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "openssl is not on PATH";
  const std::string d = suite_certs_dir();
  auto verify = [&](const std::string& ca, const std::string& leaf) {
    return std::system(("openssl verify -CAfile '" + d + "/" + ca + ".crt' '" + d + "/" + leaf +
                        ".crt' >/dev/null 2>&1")
                           .c_str()) == 0;
  };
  EXPECT_TRUE(verify("ca", "client-a"));
  EXPECT_TRUE(verify("ca", "server"));
  EXPECT_TRUE(verify("ca-2", "client-other-ca"));
  EXPECT_FALSE(verify("ca", "client-other-ca"));
  EXPECT_FALSE(verify("ca", "client-expired"));
}

}  // namespace
}  // namespace tether::certs
