// A target that maps its own client certificates (targets/README.md "Certificates"): a scenario
// that presents a certificate the target does not map is `skip` naming it, never run with the
// suite's own file paired with the target's (runner/certificate_needs.hpp).

#include <gtest/gtest.h>

#include "runner/scenario_loader.hpp"
#include "runner/selection.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;
const std::string kRoot = TETHER_SOURCE_ROOT;

json read_guide(const std::string& name) {
  problem_list p;
  json doc = parse_json_file(kRoot + "/docs/guides/" + name, p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  return doc;
}

target as_target(const json& doc) {
  problem_list p;
  target t = read_target(doc, kRoot + "/docs/guides/mapped.json", knob_catalog(), p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  return t;
}

// The guide's external AS, registered for the suite with its own client-a only.
json maps_only_client_a(json doc) {
  doc["certificates"] = {{"client-a", {{"cert", "own/client-a.crt"}, {"key", "own/client-a.key"}}}};
  return doc;
}

scenario_catalogue catalogue() {
  problem_list p;
  auto cat = load_scenarios(expand_scenario_paths({kRoot + "/scenarios"}, p), knob_catalog(), p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  return cat;
}

std::map<std::string, std::string> reasons(const scenario_catalogue& cat, const target& t) {
  std::map<std::string, std::string> out;
  for (const scenario* sc : cat.all()) out[sc->id] = skip_reason(*sc, t);
  return out;
}

TEST(CertificateVariants, AVariantTheTargetDoesNotMapIsASkipNamingIt) {
  auto cat = catalogue();
  auto why = reasons(cat, as_target(maps_only_client_a(read_guide("as-target.json"))));
  const std::map<std::string, std::string> variant_of = {
      {"rfc8705/2.1/as-authenticates-rekeyed-cert-with-registered-dn", "client-a-rekeyed"},
      {"rfc8705/7.1/as-confidential-refresh-with-renewed-cert", "client-a-rekeyed"},
      {"rfc8705/2.1/as-rejects-cert-from-untrusted-ca", "client-other-ca"},
      {"rfc8705/2.1/as-rejects-expired-cert", "client-expired"},
      {"rfc8705/2.1/as-rejects-other-clients-cert", "client-b"},
      {"rfc8705/2.1/as-rejects-self-signed-cert-for-pki-client", "client-self-signed"}};
  for (const auto& [id, cert] : variant_of) {
    ASSERT_TRUE(why.count(id)) << id << " is not in the catalogue";
    EXPECT_NE(why[id].find("\"" + cert + "\""), std::string::npos) << id << ": " << why[id];
  }
}

TEST(CertificateVariants, WhatRunsPresentsOnlyTheTargetsOwnCertificates) {
  auto cat = catalogue();
  json doc = maps_only_client_a(read_guide("as-target.json"));
  target t = as_target(doc);
  int runs = 0;
  for (const scenario* sc : cat.all()) {
    if (sc->under_test != role::as || !skip_reason(*sc, t).empty()) continue;
    ++runs;
    // Read from the scenario's text and the target's registrations, not from the code judged.
    std::string steps;
    for (const auto& st : sc->steps) steps += st.params.dump();
    for (const auto& name : vocabulary::certificate_names())
      if (name != "client-a")
        EXPECT_EQ(steps.find("\"" + name + "\""), std::string::npos) << sc->id << " presents the suite's " << name;
    for (const auto& st : sc->steps)
      if (st.params.contains("client") && doc["clients"].contains(st.params["client"].get<std::string>()))
        if (const json& reg = doc["clients"][st.params["client"].get<std::string>()]; reg.contains("cert"))
          EXPECT_EQ(reg["cert"], "client-a") << sc->id << " uses " << st.params["client"];
  }
  // The scenarios about client-a itself still run.
  EXPECT_GT(runs, 10);
  EXPECT_EQ(skip_reason(*cat.find("rfc8705/2/as-requires-client-id-with-mtls"), t), "");
}

TEST(CertificateVariants, WithoutAMappingTheSuitesOwnSetIsWhole) {
  auto cat = catalogue();
  auto why = reasons(cat, as_target(read_guide("as-target.json")));
  for (const auto& [id, reason] : why)
    EXPECT_EQ(reason.find("the target does not map"), std::string::npos) << id << ": " << reason;
  EXPECT_EQ(why["rfc8705/2.1/as-authenticates-rekeyed-cert-with-registered-dn"], "");
}

TEST(CertificateVariants, AnRsTargetMappingClientANeedsItsOwnProxyAndVariantsToo) {
  auto cat = catalogue();
  json doc = maps_only_client_a(read_guide("rs-target.json"));
  doc["rs"]["trusted_proxy"] = "rfc9440";
  auto why = reasons(cat, as_target(doc));
  EXPECT_NE(why["rfc8705/3/rs-rejects-rekeyed-cert-same-subject"].find("\"client-a-rekeyed\""), std::string::npos)
      << why["rfc8705/3/rs-rejects-rekeyed-cert-same-subject"];
  EXPECT_NE(why["rfc8705/6.5/rs-accepts-forwarded-cert-rfc9440"].find("\"proxy\""), std::string::npos)
      << why["rfc8705/6.5/rs-accepts-forwarded-cert-rfc9440"];
  // Mapping the proxy too lets the forwarded-certificate scenario run with both of the target's own.
  doc["certificates"]["proxy"] = {{"cert", "own/proxy.crt"}, {"key", "own/proxy.key"}};
  why = reasons(cat, as_target(doc));
  EXPECT_EQ(why["rfc8705/6.5/rs-accepts-forwarded-cert-rfc9440"].find("the target does not map"), std::string::npos)
      << why["rfc8705/6.5/rs-accepts-forwarded-cert-rfc9440"];
}

}  // namespace
}  // namespace tether::runner
