// URLs in a target file are parsed strictly (core/http/uri_syntax.hpp): "https://h:8443x/y" is
// an input error naming the file and pointer, not port 8443 with request target "x/y"; the
// runner's port placeholders still read as ports (runner/launch_placeholders.hpp).

#include <gtest/gtest.h>

#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

using nlohmann::json;

problem_list load(const json& doc) {
  problem_list p;
  (void)read_target(doc, "t.json", knob_catalog(), p);
  return p;
}

json external(const std::string& issuer, const std::string& rs_url) {
  return json{{"schema", "tether-target/1"},
              {"name", "x"},
              {"roles", {"rs"}},
              {"as", {{"issuer", issuer}}},
              {"rs", {{"url", rs_url}, {"urls", {{"/a", rs_url}}}, {"second_instance", rs_url}}},
              {"launch", {{"command", {"x"}}, {"ready_url", rs_url}}}};
}

TEST(TargetUrls, JunkAfterThePortIsAnInputErrorAtEachUrlMember) {
  const std::string bad = "https://127.0.0.1:8443x/y";
  problem_list p = load(external(bad, bad));
  const std::string all = p.to_text();
  for (const char* pointer : {"/as/issuer", "/rs/url", "/rs/urls/~1a", "/rs/second_instance", "/launch/ready_url"})
    EXPECT_NE(all.find(std::string("t.json: ") + pointer + ": expected an https:// URL"), std::string::npos)
        << pointer << "\n" << all;
  EXPECT_NE(all.find("has port '8443x', not 1 to 65535"), std::string::npos) << all;
}

TEST(TargetUrls, PortsOutOfRangeOrEmptyAreInputErrors) {
  for (const char* bad : {"https://127.0.0.1:0/", "https://127.0.0.1:65536/", "https://127.0.0.1:/x",
                          "https://127.0.0.1:1a", "http://127.0.0.1:8443/"}) {
    const std::string all = load(external(bad, "https://127.0.0.1:8443/")).to_text();
    EXPECT_NE(all.find("t.json: /as/issuer: expected an https:// URL"), std::string::npos) << bad << "\n" << all;
  }
}

TEST(TargetUrls, GoodUrlsAndPortPlaceholdersAreAccepted) {
  for (const char* good : {"https://127.0.0.1:8443/x", "https://as.example", "https://[::1]:9/a",
                           "https://127.0.0.1:{port}", "https://127.0.0.1:{port:rs}/api?x=1"}) {
    problem_list p = load(external(good, good));
    EXPECT_TRUE(p.empty()) << good << "\n" << p.to_text();
  }
  // A placeholder does not excuse what follows it.
  EXPECT_FALSE(load(external("https://127.0.0.1:{port}x/y", "https://127.0.0.1:1/")).empty());
}

}  // namespace
}  // namespace tether::runner
