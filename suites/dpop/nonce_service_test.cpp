// Server nonces (RFC 9449 8, 8.1, 9): valid while fresh, stale after their lifetime, unknown
// when forged, tampered with or issued by another server.

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/dpop/nonce_service.hpp"

namespace tether::dpop {
namespace {

constexpr int64_t now = 1700000000;

bool is_nqchar(char c) {
  // RFC 6749 appendix A: NQCHAR = %x21 / %x23-5B / %x5D-7E (no space, '"' or '\').
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

TEST(nonce_service, issued_nonce_is_valid_and_fits_the_8_1_syntax) {
  nonce_service service(120);
  const auto nonce = service.issue(now);
  ASSERT_FALSE(nonce.empty());
  for (char c : nonce) EXPECT_TRUE(is_nqchar(c)) << "'" << c << "' in " << nonce;
  EXPECT_EQ(service.verify(nonce, now), nonce_service::check::valid);
  EXPECT_EQ(service.verify(nonce, now + 120), nonce_service::check::valid);
  EXPECT_EQ(service.lifetime(), 120);
}

TEST(nonce_service, nonces_are_unpredictable) {
  // Section 8: "Nonce values MUST be unpredictable": two nonces of the same second differ.
  nonce_service service;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(service.issue(now));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(nonce_service, nonce_is_stale_after_its_lifetime) {
  nonce_service service(60);
  const auto nonce = service.issue(now);
  EXPECT_EQ(service.verify(nonce, now + 61), nonce_service::check::stale);
  EXPECT_EQ(service.verify(nonce, now - 61), nonce_service::check::stale);
}

TEST(nonce_service, nonce_from_another_service_is_unknown) {
  // Section 9: a nonce is only accepted by the server that issued it.
  nonce_service as;
  nonce_service rs;
  EXPECT_EQ(rs.verify(as.issue(now), now), nonce_service::check::unknown);
}

TEST(nonce_service, tampered_or_garbage_nonce_is_unknown) {
  nonce_service service;
  std::string nonce = service.issue(now);
  std::string tampered = nonce;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';  // inside the issue time: the MAC must catch it
  EXPECT_EQ(service.verify(tampered, now), nonce_service::check::unknown);
  for (const char* junk : {"", "x", "eyJ7S_zG.eyJH0-Z.HX4w-7v", "====", "not base64url!"}) {
    EXPECT_EQ(service.verify(junk, now), nonce_service::check::unknown) << junk;
  }
  EXPECT_EQ(service.verify(std::string(100000, 'A'), now), nonce_service::check::unknown);
  EXPECT_EQ(service.verify(nonce + "A", now), nonce_service::check::unknown);
}

}  // namespace
}  // namespace tether::dpop
