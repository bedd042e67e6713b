// forwarded_origin: what the break knob htu_from_forwarded_headers believes. The knob must
// build the URI from exactly the fields a careless RS reads (RFC 7239 Forwarded first, else
// X-Forwarded-Host / X-Forwarded-Proto), or the scenarios that probe it prove nothing.

#include <gtest/gtest.h>

#include "mocks/rs/forwarded_origin.hpp"

namespace tether::rs {
namespace {

const std::string own = "https://127.0.0.1:8443";

std::optional<std::string> from(std::initializer_list<std::pair<const char*, const char*>> fields) {
  http::header_list h;
  for (const auto& [name, value] : fields) h.add(name, value);
  return forwarded_origin(h, own);
}

TEST(ForwardedOrigin, NoForwardingFieldsMeansNone) {
  EXPECT_EQ(from({}), std::nullopt);
  EXPECT_EQ(from({{"Forwarded", "for=192.0.2.60"}}), std::nullopt);  // names neither host nor proto
}

TEST(ForwardedOrigin, XForwardedHostReplacesTheAuthority) {
  EXPECT_EQ(from({{"X-Forwarded-Host", "rs.attacker.tether.test"}}), "https://rs.attacker.tether.test");
  EXPECT_EQ(from({{"x-forwarded-host", " evil:444 , proxy.internal"}}), "https://evil:444");
}

TEST(ForwardedOrigin, XForwardedProtoReplacesTheSchemeOnly) {
  EXPECT_EQ(from({{"X-Forwarded-Proto", "HTTP"}}), "http://127.0.0.1:8443");
  EXPECT_EQ(from({{"X-Forwarded-Proto", "http"}, {"X-Forwarded-Host", "h"}}), "http://h");
}

TEST(ForwardedOrigin, ForwardedFirstElementQuotedValuesAndPrecedence) {
  EXPECT_EQ(from({{"Forwarded", "for=192.0.2.60;Proto=http;HOST=\"h.example:81\", host=second"}}),
            "http://h.example:81");
  EXPECT_EQ(from({{"Forwarded", "host=a"}, {"X-Forwarded-Host", "b"}}), "https://a");  // RFC 7239 wins
}

}  // namespace
}  // namespace tether::rs
