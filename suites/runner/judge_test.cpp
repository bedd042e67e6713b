// The verdict rules of scenarios/README.md, each path with hand-written observations, and the
// check operators. Expected verdicts come from the README's rules, not from the code.

#include <gtest/gtest.h>

#include "runner/judge.hpp"
#include "runner/observation_summary.hpp"
#include "runner/scenario_loader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;

// An answer as tether-client reports it, with the summary the runner adds.
json answer(int status, const std::string& scheme = "", const std::string& challenge_error = "",
            const std::string& body_error = "") {
  json obs = {{"response", {{"status", status}, {"challenges", json::array()}, {"json", json::object()}}},
              {"tls", {{"ok", true}, {"stage", ""}, {"error", ""}, {"alert", false}}}};
  if (!scheme.empty()) {
    json params = json::object();
    if (!challenge_error.empty()) params["error"] = challenge_error;
    obs["response"]["challenges"].push_back({{"scheme", scheme}, {"params", params}});
  }
  if (!body_error.empty()) obs["response"]["json"]["error"] = body_error;
  obs["summary"] = summarize_observation(obs);
  return obs;
}

json no_answer(const std::string& stage, bool alert = false) {
  json obs = {{"tls", {{"ok", false}, {"stage", stage}, {"error", "refused"}, {"alert", alert}}}};
  obs["summary"] = summarize_observation(obs);
  return obs;
}

// Each step of sc judged on its observation, in order, then the verdict: what the executor does.
verdict_decision judge_steps(const scenario& sc, const std::vector<const json*>& obs, bool strict = false,
                             const error_map* errors = nullptr) {
  std::vector<step_record> recs;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    step_record r;
    r.st = &sc.steps[i];
    r.observation = *obs[i];
    r.error = observation_error(*obs[i]);
    judge_context ctx;
    ctx.scenario_level = sc.lvl;
    ctx.errors = errors;
    r.expectations = judge_step(*r.st, *obs[i], ctx);
    recs.push_back(r);
  }
  return decide_verdict(sc, recs, strict);
}

// A scenario with a setup token step, a control and a probe; `probe_expect` is the probe's expect.
struct fixture {
  scenario sc;
  explicit fixture(json probe_expect, const std::string& level = "MUST", bool question = false) {
    json doc = {{"schema", "tether-scenarios/1"}, {"spec", "RFC 9449"}, {"section", "4.3"}, {"title", "t"},
                {"scenarios", {{{"id", "t/x/y"}, {"title", "t"}, {"role", "rs"}, {"refs", {"r"}}, {"level", level},
                                {"requirement", "r"},
                                {"steps", {{{"name", "tok"}, {"kind", "setup"}, {"action", "token"}, {"client", "dpop-bound"},
                                            {"expect", {{"outcome", "accept"}}}},
                                           {{"name", "control"}, {"kind", "control"}, {"action", "resource"},
                                            {"token_from", "tok"}, {"expect", {{"outcome", "accept"}}}},
                                           {{"name", "probe"}, {"action", "resource"}, {"token_from", "tok"},
                                            {"expect", probe_expect}}}}}}}};
    if (question) doc["scenarios"][0]["question"] = "Q1";
    problem_list p;
    scenario_file f = read_scenario_file(doc, "t.json", knob_catalog(), p);
    EXPECT_TRUE(p.empty()) << p.to_text();
    sc = f.scenarios.at(0);
  }
  verdict_decision judge(const json& setup, const json& control, const json& probe, bool strict = false,
                         const error_map* errors = nullptr) {
    return judge_steps(sc, {&setup, &control, &probe}, strict, errors);
  }
};

json reject_401_expect() {
  return {{"outcome", "reject"},
          {"status", {{"any_of", {401}}, {"level", "SHOULD"}}},
          {"error", {{"any_of", {"invalid_token"}}, {"level", "SHOULD"}}},
          {"scheme", {{"any_of", {"Bearer"}}, {"level", "MUST"}}}};
}

TEST(Judge, RejectWithTheExpectedAnswerPasses) {
  fixture f(reject_401_expect());
  auto v = f.judge(answer(200), answer(200), answer(401, "Bearer", "invalid_token"));
  EXPECT_EQ(v.verdict, "pass");
  EXPECT_EQ(v.reason, "");
}

TEST(Judge, AcceptedProbeExpectedToRejectFails) {
  fixture f(reject_401_expect());
  auto v = f.judge(answer(200), answer(200), answer(200));
  EXPECT_EQ(v.verdict, "fail");
  EXPECT_NE(v.reason.find("outcome"), std::string::npos) << v.reason;
}

TEST(Judge, FailedControlIsErrorNeverPass) {
  fixture f(reject_401_expect());
  auto v = f.judge(answer(200), answer(401, "Bearer", "invalid_token"), answer(401, "Bearer", "invalid_token"));
  EXPECT_EQ(v.verdict, "error");
  EXPECT_NE(v.reason.find("control"), std::string::npos) << v.reason;
}

TEST(Judge, FailedSetupIsError) {
  fixture f(reject_401_expect());
  auto v = f.judge(answer(400, "", "", "invalid_client"), answer(200), answer(401, "Bearer", "invalid_token"));
  EXPECT_EQ(v.verdict, "error");
  EXPECT_NE(v.reason.find("setup"), std::string::npos);
}

TEST(Judge, UnmetShouldIsWarnAndFailWhenStrict) {
  fixture f(reject_401_expect());
  json probe = answer(400, "Bearer", "invalid_request");
  EXPECT_EQ(f.judge(answer(200), answer(200), probe).verdict, "warn");
  EXPECT_EQ(f.judge(answer(200), answer(200), probe, /*strict=*/true).verdict, "fail");
}

TEST(Judge, UnmetMustOutranksUnmetShould) {
  fixture f(reject_401_expect());
  // Wrong status (SHOULD) and no Bearer challenge (MUST).
  auto v = f.judge(answer(200), answer(200), answer(400, "DPoP", "invalid_request"));
  EXPECT_EQ(v.verdict, "fail");
  EXPECT_NE(v.reason.find("scheme"), std::string::npos) << v.reason;
}

TEST(Judge, UnmetMayIsInfo) {
  fixture f(json{{"outcome", "reject"}, {"status", {{"any_of", {401}}, {"level", "MAY"}}}});
  auto v = f.judge(answer(200), answer(200), answer(400));
  EXPECT_EQ(v.verdict, "info");
}

TEST(Judge, EitherOutcomeIsInfoAndRecordsTheAnswer) {
  fixture f(json{{"outcome", "either"}});
  auto v = f.judge(answer(200), answer(200), answer(401, "DPoP", "invalid_token"));
  EXPECT_EQ(v.verdict, "info");
  EXPECT_NE(v.reason.find("401 invalid_token DPoP"), std::string::npos) << v.reason;
}

TEST(Judge, QuestionIsInfoAtBest) {
  fixture f(reject_401_expect(), "MUST", /*question=*/true);
  auto v = f.judge(answer(200), answer(200), answer(401, "Bearer", "invalid_token"));
  EXPECT_EQ(v.verdict, "info");
  EXPECT_NE(v.reason.find("Q1"), std::string::npos);
  // A MUST that is not met still fails.
  EXPECT_EQ(f.judge(answer(200), answer(200), answer(200)).verdict, "fail");
}

TEST(Judge, UnreachableServerIsError) {
  fixture f(json{{"outcome", "either"}});
  auto v = f.judge(answer(200), answer(200), no_answer("connect"));
  EXPECT_EQ(v.verdict, "error");
  EXPECT_NE(v.reason.find("could not be reached"), std::string::npos);
}

TEST(Judge, TimeoutIsError) {
  fixture f(reject_401_expect());
  EXPECT_EQ(f.judge(answer(200), answer(200), no_answer("timeout")).verdict, "error");
}

TEST(Judge, TlsRefusalMeetsRejectOnlyWhenAllowed) {
  json allowed = reject_401_expect();
  allowed["tls_reject"] = "allowed";
  fixture yes(allowed);
  EXPECT_EQ(yes.judge(answer(200), answer(200), no_answer("handshake")).verdict, "pass");
  fixture no(reject_401_expect());
  EXPECT_EQ(no.judge(answer(200), answer(200), no_answer("handshake")).verdict, "fail");
}

TEST(Judge, AlertAfterTheHandshakeIsATlsRefusal) {
  // TLS 1.3: the server refuses the client certificate after the client finished its handshake.
  EXPECT_EQ(no_answer("read", true)["summary"]["outcome"], "tls_reject");
  EXPECT_EQ(no_answer("read", false)["summary"]["outcome"], "unexpected");
}

TEST(Judge, OutcomeClasses) {
  EXPECT_EQ(answer(204)["summary"]["outcome"], "accept");
  EXPECT_EQ(answer(403)["summary"]["outcome"], "reject");
  EXPECT_EQ(answer(302)["summary"]["outcome"], "unexpected");
  EXPECT_EQ(answer(500)["summary"]["outcome"], "unexpected");
  EXPECT_EQ(no_answer("connect")["summary"]["outcome"], "unreachable");
}

TEST(Judge, RedirectIsNoAnswerToJudge) {
  // The suite reads a redirect and never follows it: nothing about the requirement can be read
  // from it, whatever the step expected (a hostile RS that redirects everything gets `error`).
  json redirect = answer(302);
  redirect["response"]["headers"] = json::array({json::array({"Location", "https://elsewhere.example/login"})});
  redirect["summary"] = summarize_observation(redirect);
  EXPECT_EQ(redirect["summary"]["outcome"], "unexpected");
  for (json expect : {reject_401_expect(), json{{"outcome", "accept"}}, json{{"outcome", "either"}}}) {
    fixture f(expect);
    verdict_decision v = f.judge(answer(200), answer(200), redirect);
    EXPECT_EQ(v.verdict, "error") << expect;
    EXPECT_NE(v.reason.find("answered 302 (a redirect to https://elsewhere.example/login)"), std::string::npos)
        << v.reason;
  }
  // At the authorization endpoint the redirect is the answer (RFC 6749 4.1.2).
  redirect["action"] = "authorize";
  EXPECT_EQ(observation_error(redirect), "");
}

json tls_failure(const std::string& stage, const std::string& kind, const std::string& error, bool alert = false) {
  json obs = {{"tls", {{"ok", false}, {"stage", stage}, {"error", error}, {"alert", alert}, {"kind", kind}}}};
  obs["summary"] = summarize_observation(obs);
  return obs;
}

TEST(Judge, AServerThatDoesNotSpeakTlsIsAnErrorNotARefusal) {
  json plain = tls_failure("handshake", "not_tls", "wrong version number");
  EXPECT_EQ(plain["summary"]["outcome"], "unexpected");
  json allowed = reject_401_expect();
  allowed["tls_reject"] = "allowed";
  for (json expect : {allowed, json{{"outcome", "accept"}}, json{{"outcome", "either"}}}) {
    fixture f(expect);
    verdict_decision v = f.judge(answer(200), answer(200), plain);
    EXPECT_EQ(v.verdict, "error") << expect;
    EXPECT_NE(v.reason.find("does not speak TLS (handshake: wrong version number)"), std::string::npos) << v.reason;
  }
  // The same stage with an alert from the peer is a refusal.
  EXPECT_EQ(tls_failure("handshake", "alert", "sslv3 alert bad certificate", true)["summary"]["outcome"],
            "tls_reject");
}

TEST(Judge, AnUntrustedServerCertificateOrAnOversizedAnswerIsAnError) {
  fixture f(json{{"outcome", "accept"}});
  verdict_decision v =
      f.judge(answer(200), answer(200), tls_failure("handshake", "server_certificate", "certificate verify failed"));
  EXPECT_EQ(v.verdict, "error");
  EXPECT_NE(v.reason.find("does not trust the server's certificate"), std::string::npos) << v.reason;
  v = f.judge(answer(200), answer(200), tls_failure("read", "too_large", "body limit exceeded"));
  EXPECT_EQ(v.verdict, "error");
  EXPECT_NE(v.reason.find("larger than the suite reads (read: body limit exceeded)"), std::string::npos) << v.reason;
}

TEST(Judge, AConnectionClosedWithoutAnAnswerIsReportedAsSuch) {
  json closed = tls_failure("read", "closed", "stream truncated");
  EXPECT_EQ(closed["summary"]["outcome"], "unexpected");
  EXPECT_EQ(closed["summary"]["closed"], true);
  EXPECT_EQ(describe_answer(closed["summary"]), "closed without an HTTP response");
  EXPECT_TRUE(closed_without_response(closed));
  fixture f(reject_401_expect());
  verdict_decision v = f.judge(answer(200), answer(200), closed);
  EXPECT_EQ(v.verdict, "fail");
  EXPECT_NE(v.reason.find("closed without an HTTP response"), std::string::npos) << v.reason;
  EXPECT_EQ(answer(401)["summary"]["closed"], false);
}

TEST(Judge, ChallengeExpectationsApplyToRefusalsOnly) {
  // rfc6750/3.1/rs-two-authorization-fields: a SHOULD scenario whose probe was accepted is a
  // `warn`; the MUST-level scheme of a refusal that did not happen is not judged.
  json expect = {{"outcome", "reject"},
                 {"status", {{"any_of", {400}}, {"level", "SHOULD"}}},
                 {"error", {{"any_of", {"invalid_request"}}, {"level", "SHOULD"}}},
                 {"scheme", {{"any_of", {"Bearer", "DPoP"}}, {"level", "MUST"}}}};
  fixture f(expect, "SHOULD");
  verdict_decision v = f.judge(answer(200), answer(200), answer(200));
  EXPECT_EQ(v.verdict, "warn");
  EXPECT_EQ(v.reason.find("scheme"), std::string::npos) << v.reason;
  auto ex = judge_step(f.sc.steps[2], answer(200), judge_context{});
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex[0].what, "outcome");
  // A refusal is judged on all of them.
  EXPECT_EQ(judge_step(f.sc.steps[2], answer(400, "Bearer", "invalid_request"), judge_context{}).size(), 4u);
}

TEST(Judge, ATlsRefusalTheStepDoesNotAllowIsTheOutcomesFailureAlone) {
  fixture f(reject_401_expect());
  verdict_decision v = f.judge(answer(200), answer(200), no_answer("handshake"));
  EXPECT_EQ(v.verdict, "fail");
  EXPECT_NE(v.reason.find("outcome"), std::string::npos) << v.reason;
  EXPECT_EQ(v.reason.find("WWW-Authenticate"), std::string::npos) << v.reason;
  EXPECT_EQ(judge_step(f.sc.steps[2], no_answer("handshake"), judge_context{}).size(), 1u);
}

TEST(Judge, AVerdictNeverExceedsTheScenariosLevel) {
  json expect = {{"outcome", "reject"}, {"scheme", {{"any_of", {"Bearer"}}, {"level", "MUST"}}}};
  fixture should(expect, "SHOULD");
  EXPECT_EQ(should.judge(answer(200), answer(200), answer(401, "DPoP")).verdict, "warn");
  fixture may(expect, "MAY");
  EXPECT_EQ(may.judge(answer(200), answer(200), answer(401, "DPoP")).verdict, "info");
  EXPECT_EQ(may.judge(answer(200), answer(200), answer(200)).verdict, "info");
  fixture must(expect, "MUST");
  EXPECT_EQ(must.judge(answer(200), answer(200), answer(401, "DPoP")).verdict, "fail");
}

TEST(Judge, AnUnmetPreconditionIsSkipNeverErrorOrFail) {
  // rfc6750/3.1/rs-token-in-header-and-body: RFC 6750 2.2 makes the form-body method optional;
  // an RS that does not take a token from the body is not "accepting two methods".
  json doc = {{"schema", "tether-scenarios/1"}, {"spec", "RFC 6750"}, {"section", "3.1"}, {"title", "t"},
              {"scenarios", {{{"id", "t/x/body"}, {"title", "t"}, {"role", "rs"}, {"refs", {"r"}}, {"level", "SHOULD"},
                              {"requirement", "r"},
                              {"steps", {{{"name", "body-only"}, {"kind", "precondition"}, {"action", "resource"},
                                          {"token", "AT"}, {"token_in", "body"}, {"method", "POST"},
                                          {"expect", {{"outcome", "accept"}}}},
                                         {{"name", "control"}, {"kind", "control"}, {"action", "resource"},
                                          {"token", "AT"}, {"expect", {{"outcome", "accept"}}}},
                                         {{"name", "probe"}, {"action", "resource"}, {"token", "AT"},
                                          {"token_in", "header_and_body"}, {"method", "POST"},
                                          {"expect", {{"outcome", "reject"}}}}}}}}}};
  problem_list p;
  scenario sc = read_scenario_file(doc, "t.json", knob_catalog(), p).scenarios.at(0);
  ASSERT_TRUE(p.empty()) << p.to_text();
  ASSERT_EQ(sc.steps[0].kind, step_kind::precondition);
  auto decide = [&](const json& pre, const json& probe) { return judge_steps(sc, {&pre, &probe, &probe}); };
  verdict_decision v = decide(answer(401, "Bearer", "invalid_token"), answer(200));
  EXPECT_EQ(v.verdict, "skip");
  EXPECT_NE(v.reason.find("precondition step \"body-only\""), std::string::npos) << v.reason;
  // Met, the scenario is judged as usual.
  EXPECT_EQ(decide(answer(200), answer(200)).verdict, "warn");
  // The suite's own trouble is still an error.
  EXPECT_EQ(decide(no_answer("connect"), answer(200)).verdict, "error");
}

TEST(Judge, TheObservedAnswerNamesTheChallengeThatCarriedTheError) {
  json probe = answer(401, "Bearer");
  probe["response"]["challenges"].push_back({{"scheme", "DPoP"}, {"params", {{"error", "invalid_dpop_proof"}}}});
  json s = summarize_observation(probe);
  EXPECT_EQ(s["scheme"], "DPoP");
  EXPECT_EQ(s["schemes"], json::array({"DPoP", "Bearer"}));
  EXPECT_EQ(describe_answer(s), "401 invalid_dpop_proof DPoP");
  // Without any error, the first challenge, and the order received.
  json plain = answer(401, "Bearer");
  plain["response"]["challenges"].push_back({{"scheme", "DPoP"}, {"params", json::object()}});
  EXPECT_EQ(summarize_observation(plain)["schemes"], json::array({"Bearer", "DPoP"}));
}

TEST(Judge, ServerErrorCannotBeJudged) {
  // A 5xx is the server failing: `error` with the status, whatever the step expected.
  fixture f(reject_401_expect());
  verdict_decision v = f.judge(answer(200), answer(200), answer(503));
  EXPECT_EQ(v.verdict, "error");
  EXPECT_NE(v.reason.find("503"), std::string::npos) << v.reason;
  json body = answer(500);
  body["response"]["body"] = "<html>Internal Server Error</html>";
  body["response"]["json"] = nullptr;
  body["summary"] = summarize_observation(body);
  EXPECT_NE(observation_error(body).find("Internal Server Error"), std::string::npos) << observation_error(body);
  fixture either(json{{"outcome", "either"}});
  EXPECT_EQ(either.judge(answer(200), answer(200), answer(500)).verdict, "error");
}

TEST(Judge, ErrorFromTheJsonBodyCounts) {
  fixture f(json{{"outcome", "reject"}, {"error", "invalid_dpop_proof"}});
  EXPECT_EQ(f.judge(answer(200), answer(200), answer(400, "", "", "invalid_dpop_proof")).verdict, "pass");
}

TEST(Judge, ErrorOfAnyChallengeCounts) {
  fixture f(json{{"outcome", "reject"}, {"error", "invalid_token"}});
  json probe = answer(401, "Bearer");
  probe["response"]["challenges"].push_back({{"scheme", "DPoP"}, {"params", {{"error", "invalid_token"}}}});
  probe["summary"] = summarize_observation(probe);
  EXPECT_EQ(f.judge(answer(200), answer(200), probe).verdict, "pass");
}

TEST(Judge, ErrorMapAcceptsTheTargetsNameAndSaysSo) {
  fixture f(json{{"outcome", "reject"}, {"error", "invalid_dpop_proof"}});
  error_map m = {{"invalid_dpop_proof", {"invalid_request"}}};
  json probe = answer(400, "DPoP", "invalid_request");
  EXPECT_EQ(f.judge(answer(200), answer(200), probe).verdict, "fail");
  EXPECT_EQ(f.judge(answer(200), answer(200), probe, false, &m).verdict, "pass");
  judge_context ctx;
  ctx.errors = &m;
  auto ex = judge_step(f.sc.steps[2], probe, ctx);
  ASSERT_EQ(ex.size(), 2u);
  EXPECT_TRUE(ex[1].met);
  EXPECT_TRUE(ex[1].mapped);
  EXPECT_EQ(ex[1].observed, "invalid_request");
}

TEST(Judge, SchemeIsCaseInsensitiveAndAllOfDemandsEach) {
  fixture any(json{{"outcome", "reject"}, {"scheme", "dpop"}});
  EXPECT_EQ(any.judge(answer(200), answer(200), answer(401, "DPoP")).verdict, "pass");
  fixture all(json{{"outcome", "reject"}, {"scheme", {{"all_of", {"Bearer", "DPoP"}}}}});
  json both = answer(401, "Bearer");
  both["response"]["challenges"].push_back({{"scheme", "DPoP"}, {"params", json::object()}});
  EXPECT_EQ(all.judge(answer(200), answer(200), both).verdict, "pass");
  EXPECT_EQ(all.judge(answer(200), answer(200), answer(401, "DPoP")).verdict, "fail");
}

TEST(Judge, StatusShorthandUsesTheScenarioLevel) {
  fixture f(json{{"outcome", "reject"}, {"status", {401, 400}}}, "SHOULD");
  EXPECT_EQ(f.judge(answer(200), answer(200), answer(403)).verdict, "warn");
  EXPECT_EQ(f.judge(answer(200), answer(200), answer(400)).verdict, "pass");
}

TEST(Judge, SuiteErrorComesFirst) {
  fixture f(reject_401_expect());
  std::vector<step_record> recs(1);
  recs[0].st = &f.sc.steps[0];
  recs[0].error = "mock exited with status 9";
  auto v = decide_verdict(f.sc, recs, false);
  EXPECT_EQ(v.verdict, "error");
  EXPECT_NE(v.reason.find("mock exited with status 9"), std::string::npos);
}

// Check operators.

check_result run_check(const json& check, const json& obs, reference_lookup lookup = nullptr) {
  return evaluate_check(check, obs, lookup);
}

TEST(Checks, Exists) {
  json obs = {{"token", {{"cnf", {{"jkt", "abc"}}}, {"none", nullptr}}}};
  EXPECT_TRUE(run_check({{"pointer", "/token/cnf/jkt"}, {"exists", true}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/token/cnf/x5t#S256"}, {"exists", true}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", "/token/cnf/x5t#S256"}, {"exists", false}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/token/none"}, {"exists", true}}, obs).met);  // null is absent
}

TEST(Checks, EqualsLiteralAndReference) {
  json obs = {{"token", {{"cnf", {{"jkt", "abc"}}}}}};
  json other = {{"request", {{"dpop", {{"jkt", "abc"}}}}}};
  reference_lookup lookup = [&](const std::string& step, const std::string& p) -> const json* {
    return step == "tok" ? resolve_pointer(other, p) : nullptr;
  };
  EXPECT_TRUE(run_check({{"pointer", "/token/cnf/jkt"}, {"equals", "abc"}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", "/token/cnf/jkt"}, {"equals", {{"step", "tok"}, {"pointer", "/request/dpop/jkt"}}}}, obs, lookup).met);
  auto missing = run_check({{"pointer", "/token/cnf/jkt"}, {"equals", {{"step", "tok"}, {"pointer", "/nope"}}}}, obs, lookup);
  EXPECT_FALSE(missing.met);
  EXPECT_EQ(missing.detail, "the referenced value is absent");
  EXPECT_TRUE(run_check({{"pointer", "/token/cnf/jkt"}, {"not_equals", "xyz"}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/token/cnf/jkt"}, {"not_equals", "abc"}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/token/cnf/nope"}, {"not_equals", "abc"}}, obs).met);  // absent is not "different"
}

TEST(Checks, PointerEscapes) {
  json obs = {{"token", {{"cnf", {{"x5t#S256", "t"}}}}}, {"a/b", {{"m~n", 1}}}};
  EXPECT_TRUE(run_check({{"pointer", "/token/cnf/x5t#S256"}, {"equals", "t"}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", "/a~1b/m~0n"}, {"equals", 1}}, obs).met);
  EXPECT_EQ(resolve_pointer(obs, "/a~2b"), nullptr);
  EXPECT_EQ(resolve_pointer(json::array({1}), "/01"), nullptr);
  EXPECT_EQ(resolve_pointer(json::array({1}), "/1"), nullptr);
}

TEST(Checks, AnyOfAndMatches) {
  json obs = {{"s", 401}, {"t", "DPoP"}};
  EXPECT_TRUE(run_check({{"pointer", "/s"}, {"any_of", {400, 401}}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/s"}, {"any_of", {400}}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", "/t"}, {"matches", "^dp|DP"}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/t"}, {"matches", "^Bearer$"}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/s"}, {"matches", "401"}}, obs).met);  // not a string
}

TEST(Checks, CountDistinctEachSome) {
  json obs = {{"events", {{"rs", {{"resource", {{{"jti", "a"}, {"ok", true}}, {{"jti", "b"}, {"ok", false}}}}}}}}};
  std::string p = "/events/rs/resource";
  EXPECT_TRUE(run_check({{"pointer", p}, {"count", {{"min", 2}, {"max", 2}}}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", p}, {"count", {{"min", 3}}}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", "/events/as/token"}, {"count", {{"min", 1}}}}, obs).met);  // absent: 0
  EXPECT_TRUE(run_check({{"pointer", "/events/as/token"}, {"count", {{"max", 0}}}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", p}, {"distinct", "/jti"}}, obs).met);
  json dup = obs;
  dup["events"]["rs"]["resource"][1]["jti"] = "a";
  auto d = run_check({{"pointer", p}, {"distinct", "/jti"}}, dup);
  EXPECT_FALSE(d.met);
  EXPECT_EQ(d.detail, "repeats \"a\"");
  EXPECT_FALSE(run_check({{"pointer", p}, {"each", {{"pointer", "/ok"}, {"equals", true}}}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", p}, {"some", {{"pointer", "/ok"}, {"equals", true}}}}, obs).met);
  EXPECT_FALSE(run_check({{"pointer", p}, {"some", {{"pointer", "/ok"}, {"equals", "x"}}}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", p}, {"each", {{"pointer", "/jti"}, {"exists", true}}}}, obs).met);
}

TEST(Checks, AllOperatorsOfOneCheckMustHold) {
  json obs = {{"v", "abc"}};
  EXPECT_FALSE(run_check({{"pointer", "/v"}, {"exists", true}, {"equals", "x"}}, obs).met);
  EXPECT_TRUE(run_check({{"pointer", "/v"}, {"exists", true}, {"matches", "b"}}, obs).met);
}

TEST(Checks, CheckLevelsDecideTheVerdict) {
  fixture f(json{{"outcome", "accept"},
             {"checks", {{{"pointer", "/token/cnf/jkt"}, {"exists", true}, {"level", "SHOULD"}, {"says", "bound"}}}}});
  auto v = f.judge(answer(200), answer(200), answer(200));
  EXPECT_EQ(v.verdict, "warn");
  EXPECT_NE(v.reason.find("(bound)"), std::string::npos) << v.reason;
}

}  // namespace
}  // namespace tether::runner
