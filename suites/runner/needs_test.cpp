// What a scenario's steps need (runner/scenario_needs.hpp): the catalogue declares every need in
// `requires`, an under-declared scenario is caught, and against a target without the capability
// it is `skip` whatever its `requires` says.

#include <gtest/gtest.h>

#include "runner/scenario_loader.hpp"
#include "runner/scenario_needs.hpp"
#include "runner/selection.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;
const std::string kRoot = TETHER_SOURCE_ROOT;

target builtin_target() {
  problem_list p;
  target t = load_target(kRoot + "/targets/builtin.json", knob_catalog(), p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  return t;
}

scenario one_scenario(const json& sc) {
  json doc = {{"schema", "tether-scenarios/1"}, {"spec", "RFC 9449"}, {"section", "7"}, {"title", "t"},
              {"scenarios", json::array({sc})}};
  problem_list p;
  scenario_file f = read_scenario_file(doc, "t.json", knob_catalog(), p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  return f.scenarios.at(0);
}

// An RS scenario with a certificate-bound token presented with a DPoP proof, and no `requires`:
// what coexist/rs-both-members-* looked like when they ran against RSs without DPoP.
json under_declared_rs() {
  return {{"id", "t/rs/x"}, {"title", "t"}, {"role", "rs"}, {"refs", {"r"}}, {"level", "MUST"}, {"requirement", "r"},
          {"steps",
           {{{"name", "tok"}, {"kind", "setup"}, {"action", "token"}, {"client", "mtls-pki"},
             {"dpop", {{"key", "k1"}}}, {"expect", {{"outcome", "accept"}}}},
            {{"name", "probe"}, {"action", "resource"}, {"token_from", "tok"}, {"scheme", "DPoP"},
             {"dpop", {{"key", "k1"}}}, {"expect", {{"outcome", "accept"}}}}}}};
}

TEST(Needs, TheCatalogueDeclaresWhatItsStepsNeed) {
  problem_list p;
  auto cat = load_scenarios(expand_scenario_paths({kRoot + "/scenarios"}, p), knob_catalog(), p);
  ASSERT_TRUE(p.empty()) << p.to_text();
  target t = builtin_target();
  std::string missing;
  for (const scenario* sc : cat.all())
    for (const auto& need : undeclared_needs(*sc, t.clients))
      missing += sc->id + " (" + sc->file + "): \"" + need + "\" is not in requires\n";
  EXPECT_TRUE(missing.empty()) << missing;
  EXPECT_GT(cat.all().size(), 200u);
}

TEST(Needs, AnUnderDeclaredScenarioIsCaught) {
  target t = builtin_target();
  scenario sc = one_scenario(under_declared_rs());
  std::vector<std::string> missing = undeclared_needs(sc, t.clients);
  EXPECT_EQ(missing, (std::vector<std::string>{"dpop", "mtls_bound_tokens"}));
  sc.requires_caps = {"dpop", "mtls_bound_tokens"};
  EXPECT_TRUE(undeclared_needs(sc, t.clients).empty());
}

TEST(Needs, ATargetWithoutTheCapabilitySkipsEvenWhenRequiresForgotIt) {
  target t = builtin_target();
  t.capabilities = std::vector<std::string>{"mtls_bound_tokens"};
  scenario sc = one_scenario(under_declared_rs());
  std::string why = skip_reason(sc, t, nullptr);
  EXPECT_NE(why.find("\"dpop\""), std::string::npos) << why;
  t.capabilities->push_back("dpop");
  EXPECT_EQ(skip_reason(sc, t, nullptr), "");
}

TEST(Needs, OnlyTheRoleUnderTestIsAsked) {
  target t = builtin_target();
  // An RS scenario whose token comes from the mock AS with a client secret needs nothing of the
  // RS for that; the same token request in an AS scenario needs client_secret.
  json rs = {{"id", "t/rs/y"}, {"title", "t"}, {"role", "rs"}, {"refs", {"r"}}, {"level", "MUST"},
             {"requirement", "r"},
             {"steps", {{{"name", "tok"}, {"kind", "setup"}, {"action", "token"}, {"client", "secret-basic"},
                         {"expect", {{"outcome", "accept"}}}},
                        {{"name", "probe"}, {"action", "resource"}, {"token_from", "tok"},
                         {"expect", {{"outcome", "accept"}}}}}}};
  EXPECT_TRUE(derived_needs(one_scenario(rs), t.clients).empty());
  json as = rs;
  as["role"] = "as";
  as["steps"] = json::array({rs["steps"][0]});
  as["steps"][0]["kind"] = "probe";
  scenario as_sc = one_scenario(as);
  EXPECT_EQ(derived_needs(as_sc, t.clients), (std::set<std::string>{"client_secret"}));
  as_sc.steps[0].params["grant"] = "refresh_token";
  EXPECT_EQ(derived_needs(as_sc, t.clients), (std::set<std::string>{"client_secret", "refresh_token"}));
  // Server nonces of the role under test, from its environment.
  json nonce = rs;
  nonce["environment"] = {{"rs", {{"require_nonce", true}}}};
  EXPECT_EQ(derived_needs(one_scenario(nonce), t.clients), (std::set<std::string>{"dpop_nonce"}));
}

TEST(Needs, AnRsDeclaresTheTokensItServesAndWhetherItAsksForACertificate) {
  problem_list p;
  target t = read_target(json{{"schema", "tether-target/1"}, {"name", "rs"}, {"version", "1"}, {"roles", {"rs"}},
                              {"rs", {{"url", "https://127.0.0.1:9443/api"}, {"token_bindings", {"dpop"}},
                                      {"client_cert_mode", "none"}}},
                              {"clients_file", kRoot + "/targets/builtin-clients.json"}},
                         "/x/t.json", knob_catalog(), p);
  ASSERT_TRUE(p.empty()) << p.to_text();
  // A DPoP-only RS: a scenario with a plain Bearer token is skip, saying why.
  json bearer = {{"id", "t/rs/b"}, {"title", "t"}, {"role", "rs"}, {"refs", {"r"}}, {"level", "MUST"}, {"requirement", "r"},
                 {"steps", {{{"name", "tok"}, {"kind", "setup"}, {"action", "token"}, {"client", "secret-basic"},
                             {"expect", {{"outcome", "accept"}}}},
                            {{"name", "probe"}, {"action", "resource"}, {"token_from", "tok"},
                             {"expect", {{"outcome", "accept"}}}}}}};
  EXPECT_NE(skip_reason(one_scenario(bearer), t, nullptr).find("unbound Bearer token"), std::string::npos);
  // The coexistence scenario presents a certificate-bound token, and a certificate, to an RS that
  // serves DPoP only and asks for none.
  scenario both = one_scenario(under_declared_rs());
  EXPECT_EQ(token_bindings_used(both, t.clients), (std::set<std::string>{"dpop", "mtls"}));
  EXPECT_TRUE(presents_certificate_to_rs(both, t.clients));
  t.settings[role::rs].token_bindings = std::vector<std::string>{"dpop", "mtls"};
  EXPECT_NE(rs_declaration_skip(both, t).find("requests none"), std::string::npos) << rs_declaration_skip(both, t);
  t.settings[role::rs].environment["client_cert_mode"] = "optional";
  EXPECT_EQ(rs_declaration_skip(both, t), "");
  // `cert: null` on the resource step presents none.
  json proof_only = under_declared_rs();
  proof_only["steps"][1]["cert"] = nullptr;
  t.settings[role::rs].environment["client_cert_mode"] = "none";
  EXPECT_FALSE(presents_certificate_to_rs(one_scenario(proof_only), t.clients));
  // An unknown binding is an input error at its pointer.
  problem_list bad;
  (void)read_target(json{{"schema", "tether-target/1"}, {"name", "rs"}, {"version", "1"}, {"roles", {"rs"}},
                         {"rs", {{"url", "https://127.0.0.1:9443/api"}, {"token_bindings", {"dpop", "bearer"}}}},
                         {"clients_file", kRoot + "/targets/builtin-clients.json"}},
                    "/x/t.json", knob_catalog(), bad);
  EXPECT_NE(bad.to_text().find("/rs/token_bindings/1"), std::string::npos) << bad.to_text();
}

}  // namespace
}  // namespace tether::runner
