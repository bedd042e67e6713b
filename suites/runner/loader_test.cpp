// Loader rules, one test per rule: each checks the JSON pointer and the message of the problem.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runner/coverage.hpp"
#include "runner/scenario_loader.hpp"

namespace tether::runner {
namespace {

const std::string kData = std::string(RUNNER_TEST_DATA);

nlohmann::json base_file() {
  return nlohmann::json::parse(R"({
    "schema": "tether-scenarios/1", "spec": "RFC 9449", "section": "4.3", "title": "t",
    "notes": { "AthMismatch": { "bug_type": "BINDING_BYPASS", "description": "d" } },
    "scenarios": [{
      "id": "t/rfc9449/4.3/base", "title": "t", "role": "rs", "refs": ["9449-4.3-12a-ath"], "level": "MUST",
      "requirement": "r", "flags": ["AthMismatch"],
      "steps": [
        {"name": "tok", "kind": "setup", "action": "token", "client": "dpop-bound", "dpop": {"key": "k1"},
         "expect": {"outcome": "accept"}},
        {"name": "control", "kind": "control", "action": "resource", "token_from": "tok", "dpop": {"key": "k1"},
         "expect": {"outcome": "accept"}},
        {"name": "probe", "action": "resource", "token_from": "tok", "dpop": {"key": "k1", "defects": {"ath": "other_token"}},
         "expect": {"outcome": "reject", "status": [401], "error": "invalid_dpop_proof"}}
      ]}]})");
}

knob_catalog test_knobs() {
  knob_catalog k;
  k.set(role::as, {{"pad_x5t", "breaks", "bool", false, "", {}}, {"token_lifetime_s", "setting", "int", 300, "", {}},
                   {"mode", "emulates", "choice", "a", "", {"a", "b"}}});
  k.set(role::rs, {{"skip_ath_check", "breaks", "bool", false, "", {}}});
  return k;
}

problem_list load(const nlohmann::json& doc, const knob_catalog& knobs = test_knobs()) {
  problem_list out;
  (void)read_scenario_file(doc, "f.json", knobs, out);
  return out;
}

// The problem at `pointer`, or fails the test.
std::string message_at(const problem_list& p, const std::string& pointer) {
  for (const auto& x : p.items())
    if (x.pointer == pointer) return x.message;
  ADD_FAILURE() << "no problem at " << pointer << "; problems:\n" << p.to_text();
  return "";
}

nlohmann::json& step(nlohmann::json& doc, int i) { return doc["scenarios"][0]["steps"][i]; }

TEST(ScenarioLoader, BaseFileIsValid) {
  problem_list p = load(base_file());
  EXPECT_TRUE(p.empty()) << p.to_text();
}

TEST(ScenarioLoader, EveryInvalidExampleIsReportedAtItsPointer) {
  problem_list ignored;
  nlohmann::json cases = parse_json_file(kData + "/invalid_cases.json", ignored);
  ASSERT_TRUE(cases.contains("cases"));
  ASSERT_GE(cases["cases"].size(), 15u);
  for (const auto& [file, want] : cases["cases"].items()) {
    problem_list p;
    std::string path = kData + "/invalid/" + file;
    nlohmann::json doc = parse_json_file(path, p);
    ASSERT_FALSE(doc.is_discarded()) << file;
    (void)read_scenario_file(doc, path, test_knobs(), p);
    std::string msg = message_at(p, want["pointer"].get<std::string>());
    EXPECT_NE(msg.find(want["message"].get<std::string>()), std::string::npos)
        << file << ": message was: " << msg;
  }
}

TEST(ScenarioLoader, InstanceTwoIsForResourceRequestsOnly) {
  auto doc = base_file();
  auto& steps = doc["scenarios"][0]["steps"];
  steps.push_back({{"name", "again"}, {"action", "replay"}, {"of", "tok"}, {"instance", 2},
                   {"expect", {{"outcome", "either"}}}});
  problem_list p = load(doc);
  EXPECT_NE(message_at(p, "/scenarios/0/steps/" + std::to_string(steps.size() - 1) + "/instance")
                .find("applies to a replay of a resource step"),
            std::string::npos)
      << p.to_text();
}

TEST(ScenarioLoader, TheMetadataDocumentIsTheAsOnesAndReplacesAPath) {
  auto doc = base_file();
  auto& steps = doc["scenarios"][0]["steps"];
  steps.push_back({{"name", "meta"}, {"action", "fetch"}, {"server", "as"}, {"document", "metadata"},
                   {"expect", {{"outcome", "accept"}}}});
  EXPECT_TRUE(load(doc).empty()) << load(doc).to_text();
  std::string at = "/scenarios/0/steps/" + std::to_string(steps.size() - 1);
  steps.back()["server"] = "rs";
  EXPECT_NE(message_at(load(doc), at + "/document").find("\"server\" must be \"as\""), std::string::npos);
  steps.back()["server"] = "as";
  steps.back()["path"] = "/.well-known/oauth-authorization-server";
  EXPECT_NE(message_at(load(doc), at + "/document").find("not both"), std::string::npos);
  steps.back().erase("path");
  steps.back()["document"] = "jwks";
  EXPECT_FALSE(load(doc).empty());
}

TEST(ScenarioLoader, ProblemFormatNamesFilePointerAndSentence) {
  auto doc = base_file();
  step(doc, 2)["expect"]["status"] = "401";
  problem_list p = load(doc);
  ASSERT_EQ(p.size(), 1u) << p.to_text();
  EXPECT_EQ(format_problem(p.items()[0]),
            "f.json: /scenarios/0/steps/2/expect/status: expected an integer, an array of integers or "
            "{\"any_of\", \"level\"}");
}

TEST(ScenarioLoader, UnknownFieldInNestedObjectIsAnError) {
  auto doc = base_file();
  step(doc, 2)["expect"]["scheme"] = {{"any_of", {"DPoP"}}, {"levle", "MUST"}};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/2/expect/scheme/levle").find("unknown field"), std::string::npos);
}

TEST(ScenarioLoader, ProbeExpectingRejectNeedsAControlStep) {
  auto doc = base_file();
  step(doc, 1)["kind"] = "setup";
  std::string msg = message_at(load(doc), "/scenarios/0/steps/2");
  EXPECT_NE(msg.find("no \"control\" step"), std::string::npos) << msg;
}

TEST(ScenarioLoader, ReferenceToUnknownStep) {
  auto doc = base_file();
  step(doc, 2)["token_from"] = "tokn";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/2/token_from").find("unknown step \"tokn\""), std::string::npos);
}

TEST(ScenarioLoader, ReferenceToLaterStepIsUnknown) {
  auto doc = base_file();
  step(doc, 1)["token_from"] = "probe";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/1/token_from").find("earlier step"), std::string::npos);
}

TEST(ScenarioLoader, ReferenceToStepOfWrongAction) {
  auto doc = base_file();
  step(doc, 2)["token_from"] = "control";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/2/token_from").find("is a resource step; expected a token step"),
            std::string::npos);
}

TEST(ScenarioLoader, JtiOfNamesAnEarlierStepThatSendsAProof) {
  auto doc = base_file();
  step(doc, 2)["dpop"]["defects"] = {{"jti_of", "control"}};
  EXPECT_TRUE(load(doc).empty()) << load(doc).to_text();
  step(doc, 2)["dpop"]["defects"] = {{"jti_of", "probe"}};  // itself: not an earlier step
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/2/dpop/defects/jti_of").find("unknown step \"probe\""),
            std::string::npos);
  step(doc, 1)["dpop"]["defects"] = {{"jti_of", 7}};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/1/dpop/defects/jti_of").find("expected the name of an earlier step"),
            std::string::npos);
}

TEST(ScenarioLoader, CheckReferenceToUnknownStep) {
  auto doc = base_file();
  step(doc, 0)["expect"]["checks"] = {{{"pointer", "/token/cnf/jkt"}, {"equals", {{"step", "nope"}, {"pointer", "/x"}}}}};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/0/expect/checks/0/equals/step").find("unknown step"),
            std::string::npos);
}

TEST(ScenarioLoader, CheckMayReferToItsOwnStep) {
  auto doc = base_file();
  step(doc, 0)["expect"]["checks"] = {{{"pointer", "/token/cnf/jkt"}, {"equals", {{"step", "tok"}, {"pointer", "/request/dpop/jkt"}}}}};
  EXPECT_TRUE(load(doc).empty());
}

TEST(ScenarioLoader, UnknownCertificateName) {
  auto doc = base_file();
  step(doc, 1)["cert"] = "client-z";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/1/cert").find("unknown certificate \"client-z\""), std::string::npos);
}

TEST(ScenarioLoader, NullCertificateMeansNone) {
  auto doc = base_file();
  step(doc, 1)["cert"] = nullptr;
  EXPECT_TRUE(load(doc).empty());
}

TEST(ScenarioLoader, UnknownClientRegistration) {
  auto doc = base_file();
  step(doc, 0)["client"] = "dpop";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/0/client").find("unknown client registration \"dpop\""),
            std::string::npos);
}

TEST(ScenarioLoader, UnknownCapability) {
  auto doc = base_file();
  doc["scenarios"][0]["requires"] = {"dpop", "teleport"};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/requires/1").find("unknown capability \"teleport\""), std::string::npos);
}

TEST(ScenarioLoader, UnknownKnobOfAMock) {
  auto doc = base_file();
  doc["scenarios"][0]["mocks"] = {{"as", {{"pad_x5", true}}}};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/mocks/as/pad_x5").find("unknown knob \"pad_x5\" of tether-as"),
            std::string::npos);
}

TEST(ScenarioLoader, KnobValueOfTheWrongType) {
  auto doc = base_file();
  doc["scenarios"][0]["mocks"] = {{"as", {{"pad_x5t", "yes"}, {"mode", "c"}}}};
  problem_list p = load(doc);
  EXPECT_EQ(message_at(p, "/scenarios/0/mocks/as/pad_x5t"), "knob \"pad_x5t\" takes true or false");
  EXPECT_NE(message_at(p, "/scenarios/0/mocks/as/mode").find("takes one of a, b"), std::string::npos);
}

TEST(ScenarioLoader, KnobsOfTheRoleUnderTestAreRefused) {
  auto doc = base_file();
  doc["scenarios"][0]["mocks"] = {{"rs", {{"skip_ath_check", true}}}};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/mocks/rs").find("role under test"), std::string::npos);
}

TEST(ScenarioLoader, KnobsAreNotCheckedWhenTheTableIsUnavailable) {
  auto doc = base_file();
  doc["scenarios"][0]["mocks"] = {{"as", {{"anything", true}}}};
  knob_catalog none;
  none.set_unavailable(role::as, "not built");
  EXPECT_TRUE(load(doc, none).empty());
}

TEST(ScenarioLoader, UndefinedFlag) {
  auto doc = base_file();
  doc["scenarios"][0]["flags"] = {"AthMismatch", "Nope"};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/flags/1").find("not defined in the file's \"notes\""), std::string::npos);
}

TEST(ScenarioLoader, DuplicateStepName) {
  auto doc = base_file();
  step(doc, 1)["name"] = "tok";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/1/name").find("used twice"), std::string::npos);
}

TEST(ScenarioLoader, RefreshGrantNeedsFrom) {
  auto doc = base_file();
  step(doc, 0)["grant"] = "refresh_token";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/0").find("needs the step it continues"), std::string::npos);
}

TEST(ScenarioLoader, RunClientNeedsClientRole) {
  auto doc = base_file();
  step(doc, 0) = {{"name", "run"}, {"action", "run_client"}, {"flow", "token"}, {"client", "dpop-bound"},
                  {"binding", "dpop"}, {"expect", nlohmann::json::object()}};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/0/action").find("\"role\": \"client\""), std::string::npos);
}

TEST(ScenarioLoader, InvalidRegularExpression) {
  auto doc = base_file();
  step(doc, 0)["expect"]["checks"] = {{{"pointer", "/token/cnf/jkt"}, {"matches", "(unclosed"}}};
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/0/expect/checks/0/matches").find("regular expression"),
            std::string::npos);
}

TEST(ScenarioLoader, TlsRejectOnlyWithReject) {
  auto doc = base_file();
  step(doc, 1)["expect"]["tls_reject"] = "allowed";
  EXPECT_NE(message_at(load(doc), "/scenarios/0/steps/1/expect/tls_reject").find("only to an outcome of \"reject\""),
            std::string::npos);
}

TEST(ScenarioLoader, DuplicateJsonMemberIsAnError) {
  problem_list p;
  (void)parse_json_text(R"({"a": 1, "b": {"c": [1, {"d": 1, "d": 2}]}, "a": 3})", "f.json", p);
  ASSERT_EQ(p.size(), 2u) << p.to_text();
  EXPECT_EQ(p.items()[0].pointer, "/b/c/1/d");
  EXPECT_EQ(p.items()[1].pointer, "/a");
  EXPECT_NE(p.items()[0].message.find("duplicate member"), std::string::npos);
}

TEST(ScenarioLoader, SyntaxErrorNamesLineAndColumn) {
  problem_list p;
  (void)parse_json_text("{\n  \"a\": 1,\n  \"b\": }\n", "f.json", p);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(format_problem(p.items()[0]), "f.json: /: not valid JSON (line 3, column 8)");
}

TEST(ScenarioLoader, DuplicateIdsAcrossFilesNameBothPlaces) {
  auto dir = std::filesystem::temp_directory_path() / ("tether-dup-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.json") << base_file().dump();
  std::ofstream(dir / "b.json") << base_file().dump();
  problem_list p;
  auto files = expand_scenario_paths({dir.string()}, p);
  ASSERT_EQ(files.size(), 2u);
  (void)load_scenarios(files, test_knobs(), p);
  ASSERT_EQ(p.size(), 1u) << p.to_text();
  EXPECT_EQ(p.items()[0].file, (dir / "b.json").string());
  EXPECT_EQ(p.items()[0].pointer, "/scenarios/0/id");
  EXPECT_NE(p.items()[0].message.find("also defined at " + (dir / "a.json").string() + ": /scenarios/0/id"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ScenarioLoader, DirectoriesSkipSchemaFolderAndOtherDocuments) {
  auto dir = std::filesystem::temp_directory_path() / ("tether-dir-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "schema");
  std::ofstream(dir / "a.json") << base_file().dump();
  std::ofstream(dir / "schema" / "x.json") << "{}";
  std::ofstream(dir / "requirements.json") << R"({"schema": "tether-requirements/1", "requirements": []})";
  problem_list p;
  auto files = expand_scenario_paths({dir.string()}, p);
  EXPECT_TRUE(p.empty());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], (dir / "a.json").string());
  std::filesystem::remove_all(dir);
}

TEST(ScenarioLoader, UnknownRequirementRef) {
  problem_list p;
  scenario_catalogue cat;
  cat.files.push_back(read_scenario_file(base_file(), "f.json", test_knobs(), p));
  check_refs(cat, {{"9449-4.3-1-single", "4.3", "AS/RS", "s", "low", ""}}, p);
  EXPECT_NE(message_at(p, "/scenarios/0/refs/0").find("unknown requirement \"9449-4.3-12a-ath\""), std::string::npos);
}

TEST(ScenarioLoader, ARequirementMarkedNotTestedMustHaveNoScenario) {
  problem_list p;
  scenario_catalogue cat;
  cat.files.push_back(read_scenario_file(base_file(), "f.json", test_knobs(), p));
  requirement r{"9449-4.3-12a-ath", "4.3", "RS", "s", "low", "a reason"};
  check_refs(cat, {r}, p);
  EXPECT_NE(message_at(p, "/scenarios/0/refs/0").find("marked not_tested"), std::string::npos) << p.to_text();
}

TEST(Coverage, AnUntestedRequirementShowsItsReasonAndIsCounted) {
  problem_list p;
  scenario_catalogue cat;
  cat.files.push_back(read_scenario_file(base_file(), "f.json", test_knobs(), p));
  std::vector<requirement> reqs = {{"9449-4.3-12a-ath", "4.3", "RS", "s", "low", ""},
                                   {"9449-10.1-AS-par-both", "10.1", "AS", "s", "low", "needs PAR"},
                                   {"9449-11.2-AS-lifetime", "11.2", "AS", "s", "low", ""}};
  std::string md = coverage_markdown(cat, reqs);
  EXPECT_NE(md.find("| not tested: needs PAR |"), std::string::npos) << md;
  EXPECT_NE(md.find("1 of 3 requirements have at least one scenario; 1 are not tested, each with its reason; 1 have "
                    "neither"),
            std::string::npos)
      << md;
  EXPECT_NE(coverage_text(cat, reqs).find("not tested: needs PAR"), std::string::npos);
}

TEST(ScenarioLoader, ExampleScenariosAreValid) {
  problem_list p;
  auto files = expand_scenario_paths({kData + "/scenarios"}, p);
  auto cat = load_scenarios(files, test_knobs(), p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  EXPECT_GE(cat.all().size(), 5u);
}

TEST(ScenarioLoader, ExampleRefsAreInTheRequirementCatalogue) {
  problem_list p;
  auto reqs = load_requirements(std::string(TETHER_SOURCE_ROOT) + "/scenarios/requirements.json", p);
  auto cat = load_scenarios(expand_scenario_paths({kData + "/scenarios"}, p), test_knobs(), p);
  check_refs(cat, reqs, p);
  EXPECT_TRUE(p.empty()) << p.to_text();
  EXPECT_GT(reqs.size(), 90u);
}

}  // namespace
}  // namespace tether::runner
