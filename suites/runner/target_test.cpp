// Target files, skip decisions and globs.

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "runner/known_secrets.hpp"
#include "runner/mock_commands.hpp"
#include "runner/pinned_profiles.hpp"
#include "runner/scenario_loader.hpp"
#include "runner/selection.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;
const std::string kRoot = TETHER_SOURCE_ROOT;

std::string message_at(const problem_list& p, const std::string& pointer) {
  for (const auto& x : p.items())
    if (x.pointer == pointer) return x.message;
  ADD_FAILURE() << "no problem at " << pointer << "; problems:\n" << p.to_text();
  return "";
}

json external_rs_target() {
  return json::parse(R"J({
    "schema": "tether-target/1", "name": "example-rs", "version": "2.4.1", "roles": ["rs"],
    "rs": { "url": "https://127.0.0.1:9443/api", "ca_file": "ca.crt", "client_cert_mode": "required" },
    "clients_file": ")J" + kRoot + R"J(/targets/builtin-clients.json",
    "capabilities": ["mtls", "dpop"],
    "disabled": { "rfc9449/8/*": "nonces are not implemented (tracking #12)" },
    "error_map": { "invalid_dpop_proof": ["invalid_request"], "invalid_token": "unauthorized" }
  })J");
}

TEST(Targets, BuiltinTargetLoads) {
  problem_list p;
  knob_catalog none;
  target t = load_target(kRoot + "/targets/builtin.json", none, p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  EXPECT_EQ(t.name, "tether mocks");
  EXPECT_EQ(t.roles_text(), "as,rs,client");
  EXPECT_TRUE(t.is_builtin(role::as));
  EXPECT_TRUE(t.has_capability("dpop_nonce"));  // no list: the built-in mocks have them all
  ASSERT_TRUE(t.clients.count("mtls-pki"));
  EXPECT_EQ(t.clients["mtls-pki"].auth_method, "tls_client_auth");
  EXPECT_EQ(t.clients["mtls-pki"].cert, "client-a");
  EXPECT_EQ(t.clients["secret-basic"].secret, "secret-basic-test-secret");
  EXPECT_EQ(t.clients.size(), 14u);
}

TEST(Targets, ExternalRoleSettingsAndMaps) {
  problem_list p;
  target t = read_target(external_rs_target(), "/etc/tether/x.json", knob_catalog(), p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  EXPECT_FALSE(t.is_builtin(role::rs));
  EXPECT_EQ(t.settings[role::rs].ca_file, "/etc/tether/ca.crt");  // relative to the file
  EXPECT_EQ(t.settings[role::rs].environment["client_cert_mode"], "required");
  EXPECT_EQ(t.error_map["invalid_token"], std::vector<std::string>{"unauthorized"});
  ASSERT_EQ(t.disabled.size(), 1u);
  EXPECT_FALSE(t.has_capability("dpop_nonce"));
}

TEST(Targets, DisabledPatternNeedsAReason) {
  json doc = external_rs_target();
  doc["disabled"]["rfc8705/*"] = "";
  problem_list p;
  (void)read_target(doc, "t.json", knob_catalog(), p);
  EXPECT_NE(message_at(p, "/disabled/rfc8705~1*").find("needs a reason"), std::string::npos);
}

TEST(Targets, UnknownFieldsAndKnobs) {
  json doc = external_rs_target();
  doc["as"] = {{"builtin", true}, {"knobs", {{"pad_x5t", 1}}}, {"colour", "red"}};
  doc["capabilites"] = json::array();
  knob_catalog k;
  k.set(role::as, {{"pad_x5t", "breaks", "bool", false, "", {}}});
  problem_list p;
  (void)read_target(doc, "t.json", k, p);
  EXPECT_NE(message_at(p, "/capabilites").find("unknown field"), std::string::npos);
  EXPECT_NE(message_at(p, "/as/colour").find("unknown field"), std::string::npos);
  EXPECT_EQ(message_at(p, "/as/knobs/pad_x5t"), "knob \"pad_x5t\" takes true or false");
}

TEST(Targets, ExternalAsNeedsAnHttpsIssuer) {
  json doc = external_rs_target();
  doc["as"] = {{"issuer", "http://as.example"}};
  problem_list p;
  (void)read_target(doc, "t.json", knob_catalog(), p);
  EXPECT_NE(message_at(p, "/as/issuer").find("https://"), std::string::npos);
}

TEST(Targets, UnknownCapabilityAndRole) {
  json doc = external_rs_target();
  doc["capabilities"] = {"dpop", "psychic"};
  doc["roles"] = {"rs", "proxy"};
  problem_list p;
  (void)read_target(doc, "t.json", knob_catalog(), p);
  EXPECT_NE(message_at(p, "/capabilities/1").find("unknown capability"), std::string::npos);
  EXPECT_NE(message_at(p, "/roles/1").find("\"proxy\""), std::string::npos);
}

TEST(Globs, StarCrossesSlashes) {
  EXPECT_TRUE(glob_match("rfc9449/8/*", "rfc9449/8/rs-nonce-required"));
  EXPECT_TRUE(glob_match("rfc9449/*", "rfc9449/4.3/rs-rejects-ath-mismatch"));
  EXPECT_TRUE(glob_match("*ath*", "rfc9449/4.3/rs-rejects-ath-mismatch"));
  EXPECT_FALSE(glob_match("rfc9449/8/*", "rfc9449/4.3/x"));
  EXPECT_TRUE(glob_match("rfc8705/?/x", "rfc8705/3/x"));
  EXPECT_FALSE(glob_match("rfc8705/?/x", "rfc8705/31/x"));
  EXPECT_TRUE(glob_match("exact/id", "exact/id"));
  EXPECT_FALSE(glob_match("exact/id", "exact/id2"));
  EXPECT_TRUE(glob_match("**", ""));
}

TEST(Selection, OnlyAndSkip) {
  EXPECT_TRUE(selected("a/b", {}));
  EXPECT_TRUE(selected("rfc9449/4.3/x", {{"rfc9449/*"}, {}}));
  EXPECT_FALSE(selected("rfc8705/3/x", {{"rfc9449/*"}, {}}));
  EXPECT_FALSE(selected("rfc9449/4.3/x", {{"rfc9449/*"}, {"*/4.3/*"}}));
}

scenario rs_scenario() {
  scenario sc;
  sc.id = "rfc9449/8/rs-nonce";
  sc.under_test = role::rs;
  return sc;
}

TEST(Selection, SkipReasons) {
  problem_list p;
  target t = read_target(external_rs_target(), "t.json", knob_catalog(), p);
  ASSERT_TRUE(p.empty()) << p.to_text();

  scenario as_sc = rs_scenario();
  as_sc.id = "x/y";
  as_sc.under_test = role::as;
  EXPECT_NE(skip_reason(as_sc, t).find("AS is not under test"), std::string::npos);

  std::string pattern;
  EXPECT_EQ(skip_reason(rs_scenario(), t, &pattern),
            "disabled by the target (rfc9449/8/*): nonces are not implemented (tracking #12)");
  EXPECT_EQ(pattern, "rfc9449/8/*");

  scenario caps = rs_scenario();
  caps.id = "x/caps";
  caps.requires_caps = {"dpop", "dpop_nonce"};
  EXPECT_EQ(skip_reason(caps, t), "the target does not have the capability \"dpop_nonce\"");

  scenario env = rs_scenario();
  env.id = "x/env";
  env.environment = {{"rs", {{"client_cert_mode", "optional"}}}};
  EXPECT_EQ(skip_reason(env, t), "needs rs.client_cert_mode = optional; the target's RS declares required");
  env.environment = {{"rs", {{"client_cert_mode", "required"}, {"token_format", "jwt"}}}};
  EXPECT_EQ(skip_reason(env, t), "");  // jwt is the default

  scenario as_knobs = rs_scenario();
  as_knobs.id = "x/as-knobs";
  as_knobs.mocks = {{"as", {{"pad_x5t", true}}}};
  // The pinned AS the external RS trusts applies a knob per token request when the AS's table
  // marks it per_token (tether-as --describe-knobs); otherwise the skip names the knob.
  EXPECT_EQ(skip_reason(as_knobs, t),
            "needs the mock AS knob pad_x5t = true, which is not chosen per token request (tether-as "
            "--describe-knobs: per_token), and the external RS trusts one pinned mock AS");
  knob_catalog catalog;
  knob_info pad{"pad_x5t", "breaks", "bool", false, "", {}, true};
  knob_info nonce{"require_nonce", "setting", "bool", false, "", {}, false};
  catalog.set(role::as, {pad, nonce});
  EXPECT_EQ(skip_reason(as_knobs, t, nullptr, &catalog), "");
  as_knobs.mocks["as"]["require_nonce"] = true;
  EXPECT_NE(skip_reason(as_knobs, t, nullptr, &catalog).find("knob require_nonce = true, which is not chosen per token"),
            std::string::npos);
  // A client under test asks for its own tokens, without the runner's profile header.
  scenario own = rs_scenario();
  own.id = "x/own-tokens";
  own.mocks = {{"as", {{"pad_x5t", true}}}};
  step run;
  run.action = "run_client";
  own.steps.push_back(run);
  EXPECT_NE(skip_reason(own, t, nullptr, &catalog).find("client under test's own token requests"), std::string::npos);
  // An AS setting is the whole AS's: equal to the pinned AS's, it runs; otherwise it says which.
  scenario as_env = rs_scenario();
  as_env.id = "x/as-env";
  as_env.environment = {{"as", {{"token_format", "jwt"}}}};
  EXPECT_EQ(skip_reason(as_env, t, nullptr, &catalog), "");
  as_env.environment = {{"as", {{"token_format", "opaque"}}}};
  EXPECT_EQ(skip_reason(as_env, t, nullptr, &catalog),
            "needs as.token_format = opaque, and the pinned mock AS the external RS trusts runs with jwt (a setting "
            "of the whole AS, not of one token)");

  scenario knobbed = rs_scenario();
  knobbed.id = "x/knobs";
  knobbed.mocks = {{"rs", {{"skip_ath_check", true}}}};
  EXPECT_NE(skip_reason(knobbed, t).find("the RS is external"), std::string::npos);

  // Question Q6 needs a second instance of the RS, which an external target names.
  scenario two = rs_scenario();
  two.id = "x/two-instances";
  step again;
  again.action = "replay";
  again.params = {{"of", "call"}, {"instance", 2}};
  two.steps.push_back(again);
  EXPECT_EQ(skip_reason(two, t),
            "needs a second instance of the RS behind the same URL; the target names none (rs.second_instance)");
  t.settings[role::rs].second_instance = "https://127.0.0.1:9444";
  EXPECT_EQ(skip_reason(two, t), "");
}

TEST(PinnedProfiles, OneSecretHandlePerDistinctKnobSetOfTheScenariosThatRun) {
  scenario pad = rs_scenario(), pad_again = rs_scenario(), both = rs_scenario(), skipped = rs_scenario(),
           plain = rs_scenario();
  pad.mocks = pad_again.mocks = {{"as", {{"pad_x5t", true}}}};
  both.mocks = {{"as", {{"mtls_and_dpop", "bind_both"}}}};
  skipped.mocks = {{"as", {{"omit_cnf", true}}}};
  std::vector<planned> plan = {{&pad, "", ""}, {&pad_again, "", ""}, {&both, "", ""}, {&skipped, "skipped", ""},
                               {&plain, "", ""}};
  pinned_profiles p = pinned_profiles::for_plan(plan);
  std::string h1 = p.handle_for(pad.mocks["as"]), h2 = p.handle_for(both.mocks["as"]);
  EXPECT_EQ(h1.size(), 64u);  // 256 bits, hex
  EXPECT_EQ(h2.size(), 64u);
  EXPECT_NE(h1, h2);
  EXPECT_EQ(p.handle_for(pad_again.mocks["as"]), h1);
  EXPECT_EQ(p.handle_for(skipped.mocks["as"]), "");  // a skipped scenario gets no profile
  EXPECT_EQ(p.handle_for(plain.mocks), "");
  EXPECT_EQ(p.file(), json({{h1, {{"pad_x5t", true}}}, {h2, {{"mtls_and_dpop", "bind_both"}}}}));
  // A handle is a secret: a message that quotes it shows it redacted.
  EXPECT_EQ(known_secrets::redact("header " + h1), "header (redacted)");
  // Another run draws other handles.
  EXPECT_NE(pinned_profiles::for_plan(plan).handle_for(pad.mocks["as"]), h1);
}

TEST(PinnedProfiles, TheAsIsStartedWithThemInAPrivateFileNeverOnItsCommandLine) {
  mock_config c;
  c.r = role::as;
  std::string handle(64, 'a');
  c.token_profiles = {{handle, {{"pad_x5t", true}}}};
  mock_launch l = mock_command(c, "/tmp/e.jsonl", "/tmp/certs", "clients.json", knob_catalog(), "/tmp/as-1");
  for (const auto& a : l.argv) EXPECT_EQ(a.find(handle), std::string::npos) << a;
  ASSERT_EQ(l.secret_files.count("/tmp/as-1.token-profiles"), 1u);
  EXPECT_EQ(json::parse(l.secret_files["/tmp/as-1.token-profiles"]), c.token_profiles);
  EXPECT_NE(std::find(l.argv.begin(), l.argv.end(), "--token-profiles"), l.argv.end());
  EXPECT_NE(std::find(l.secrets.begin(), l.secrets.end(), handle), l.secrets.end());
  // Without profiles, the command is what it was.
  c.token_profiles = json::object();
  l = mock_command(c, "/tmp/e.jsonl", "/tmp/certs", "clients.json", knob_catalog(), "/tmp/as-1");
  EXPECT_EQ(std::find(l.argv.begin(), l.argv.end(), "--token-profiles"), l.argv.end());
  EXPECT_TRUE(l.secret_files.empty());
}

TEST(Targets, PrivateKeyJwtIsRefusedWhenTheFileIsRead) {
  json doc = external_rs_target();
  doc.erase("clients_file");
  doc["clients"] = {{"secret-basic", {{"client_id", "c"}, {"auth_method", "private_key_jwt"}, {"scope", "api"}}}};
  problem_list p;
  (void)read_target(doc, "t.json", knob_catalog(), p);
  EXPECT_NE(p.to_text().find("/clients/secret-basic/auth_method"), std::string::npos) << p.to_text();
  EXPECT_NE(p.to_text().find("RFC 7523"), std::string::npos) << p.to_text();
}

TEST(Selection, RequireNonceIsThreeValuedForAnExternalServer) {
  // never, provides (hands nonces out without demanding them), always; booleans still mean what
  // they meant: true demands, false does not.
  json doc = external_rs_target();
  doc.erase("disabled");
  doc["capabilities"].push_back("dpop_nonce");
  scenario wants = rs_scenario();
  wants.id = "x/nonce";
  for (auto [declared, demands_ok, none_ok] : {std::tuple{json("always"), true, false}, {json(true), true, false},
                                               {json("provides"), false, true}, {json("never"), false, true},
                                               {json(false), false, true}}) {
    doc["rs"]["require_nonce"] = declared;
    problem_list p;
    target t = read_target(doc, "t.json", knob_catalog(), p);
    ASSERT_TRUE(p.empty()) << p.to_text();
    wants.environment = {{"rs", {{"require_nonce", true}}}};
    EXPECT_EQ(skip_reason(wants, t).empty(), demands_ok) << declared << ": " << skip_reason(wants, t);
    wants.environment = {{"rs", {{"require_nonce", false}}}};
    EXPECT_EQ(skip_reason(wants, t).empty(), none_ok) << declared << ": " << skip_reason(wants, t);
  }
  doc["rs"]["require_nonce"] = "sometimes";
  problem_list p;
  (void)read_target(doc, "t.json", knob_catalog(), p);
  EXPECT_NE(p.to_text().find("/rs/require_nonce"), std::string::npos) << p.to_text();
  // A built-in server takes a boolean: the mock has no "provides" mode.
  problem_list b;
  (void)read_target(json{{"schema", "tether-target/1"}, {"name", "b"}, {"version", "1"}, {"roles", {"rs"}},
                         {"rs", {{"builtin", true}, {"environment", {{"require_nonce", "provides"}}}}}},
                    "t.json", knob_catalog(), b);
  EXPECT_NE(b.to_text().find("/rs/environment/require_nonce"), std::string::npos) << b.to_text();
}

TEST(Selection, MissingClientRegistrationSkips) {
  json doc = external_rs_target();
  doc.erase("clients_file");
  doc["as"] = {{"issuer", "https://as.example"}};
  doc["clients"] = {{"dpop-bound", {{"client_id", "suite-dpop"}, {"auth_method", "none"}}}};
  problem_list p;
  target t = read_target(doc, "t.json", knob_catalog(), p);
  json file = {{"schema", "tether-scenarios/1"}, {"spec", "RFC 8705"}, {"section", "3"}, {"title", "t"},
               {"scenarios", {{{"id", "x/mtls"}, {"title", "t"}, {"role", "rs"}, {"refs", {"r"}}, {"level", "MUST"},
                               {"requirement", "r"},
                               {"steps", {{{"name", "tok"}, {"action", "token"}, {"client", "mtls-pki"},
                                           {"expect", {{"outcome", "accept"}}}}}}}}}};
  scenario_file f = read_scenario_file(file, "s.json", knob_catalog(), p);
  ASSERT_TRUE(p.empty()) << p.to_text();
  EXPECT_EQ(skip_reason(f.scenarios[0], t), "the target has no client registration \"mtls-pki\"");
}

}  // namespace
}  // namespace tether::runner
