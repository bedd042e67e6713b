// Process control with stand-in programs (suites/runner/fakes): children in their own process
// groups, deadlines, worker replacement, mock pooling, and `tether run` cleaning up on success,
// on SIGINT and when a mock dies. No test asserts on elapsed time.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "runner/client_worker.hpp"
#include "runner/known_secrets.hpp"
#include "runner/mock_commands.hpp"
#include "runner/mock_pool.hpp"
#include "runner/process.hpp"
#include "runner/scenario_executor.hpp"
#include "runner/scenario_loader.hpp"
#include "runner/target_loader.hpp"

namespace tether::runner {
namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
const std::string kFakes = std::string(TETHER_SOURCE_ROOT) + "/suites/runner/fakes";
const std::string kData = std::string(RUNNER_TEST_DATA);
const std::string kTether = std::string(TETHER_BINARY_ROOT) + "/runner/tether";

auto soon(int ms) { return clock_type::now() + std::chrono::milliseconds(ms); }

// A live process (a zombie is dead: it only waits to be reaped).
bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return false;
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

std::vector<pid_t> group_members(pid_t pgid) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    std::string state;
    long ppid = 0, pgrp = 0;
    rest >> state >> ppid >> pgrp;
    if (pgrp == pgid && state != "Z") out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

// Waits (bounded) until none of the PIDs is alive; returns the survivors.
std::vector<pid_t> survivors(const std::vector<pid_t>& pids) {
  auto until = soon(10000);
  std::vector<pid_t> left;
  do {
    left.clear();
    for (pid_t p : pids)
      if (alive(p)) left.push_back(p);
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (clock_type::now() < until);
  return left;
}

class with_fakes : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TETHER_AS_BIN", (kFakes + "/fake-mock.sh").c_str(), 1);
    setenv("TETHER_RS_BIN", (kFakes + "/fake-mock.sh").c_str(), 1);
    setenv("TETHER_CLIENT_BIN", (kFakes + "/fake-client.sh").c_str(), 1);
    work_ = fs::temp_directory_path() / ("tether-proc-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(work_);
    fs::create_directories(work_);
  }
  void TearDown() override {
    unsetenv("TETHER_AS_BIN");
    unsetenv("TETHER_RS_BIN");
    unsetenv("TETHER_CLIENT_BIN");
    fs::remove_all(work_);
  }
  std::map<std::string, std::string> fake_env() const {
    return {{"TETHER_AS_BIN", kFakes + "/fake-mock.sh"}, {"TETHER_RS_BIN", kFakes + "/fake-mock.sh"},
            {"TETHER_CLIENT_BIN", kFakes + "/fake-client.sh"}, {"TETHER_CERTS", work_.string() + "/certs"},
            {"TETHER_CHILD_LOG", (work_ / "children.txt").string()}, {"NO_COLOR", "1"}};
  }
  std::vector<pid_t> logged_children() const {
    std::vector<pid_t> pids;
    std::ifstream in(work_ / "children.txt");
    pid_t p;
    std::string label;
    while (in >> p && std::getline(in, label)) pids.push_back(p);
    return pids;
  }
  fs::path work_;
};

TEST(ChildProcess, ReadsLinesAndExitStatus) {
  auto c = child_process::spawn({{"/bin/sh", "-c", "echo one; echo two; exit 3"}, {}, false, true, "", "", "sh", ""});
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(*(*c)->read_line(soon(10000)), "one");
  EXPECT_EQ(*(*c)->read_line(soon(10000)), "two");
  EXPECT_EQ((*c)->read_line(soon(10000)).err().code, "process.eof");
  (*c)->stop();
  EXPECT_EQ((*c)->exit_status(), 3);
}

TEST(ChildProcess, DeadlineGivesTimeoutNotAHang) {
  auto c = child_process::spawn({{"/bin/sh", "-c", "sleep 100"}, {}, false, true, "", "", "sh", ""});
  ASSERT_TRUE(c);
  auto line = (*c)->read_line(soon(100));
  ASSERT_FALSE(line);
  EXPECT_EQ(line.err().code, "process.timeout");
}

TEST(ChildProcess, StopKillsTheWholeProcessGroup) {
  auto c = child_process::spawn({{"/bin/sh", "-c", "sleep 1000 & sleep 1000 & echo started; wait"}, {}, false, true, "", "", "sh", ""});
  ASSERT_TRUE(c);
  ASSERT_EQ(*(*c)->read_line(soon(10000)), "started");
  pid_t pgid = (*c)->pid();
  std::vector<pid_t> members = group_members(pgid);
  EXPECT_GE(members.size(), 3u);  // sh and its two sleeps, in the child's own group
  (*c)->stop(std::chrono::milliseconds(200));
  EXPECT_TRUE(survivors(members).empty());
  EXPECT_TRUE((*c)->exit_status().has_value());
}

// A child that exits and leaves a process in the background: the read ends with the child
// (the background process holds the pipe open for an hour), and stop() kills what it left
// although the child itself is already gone, and says so.
TEST(ChildProcess, WhatAnExitedChildLeftInItsGroupIsKilledAndNamed) {
  auto c = child_process::spawn({{"/bin/sh", "-c", "sleep 3600 & echo $!; exit 0"}, {}, false, true, "", "", "leaver", ""});
  ASSERT_TRUE(c) << c.err().message;
  auto line = (*c)->read_line(soon(10000));
  ASSERT_TRUE(line) << line.err().message;
  pid_t background = static_cast<pid_t>(std::stol(*line));
  auto deadline = soon(120000);
  (void)(*c)->read_all(deadline);
  // Not a measurement: the read must end because the child exited, not at its deadline.
  EXPECT_LT(clock_type::now(), deadline);
  ASSERT_EQ((*c)->exit_status(), 0);
  EXPECT_TRUE(alive(background));  // the read did not wait for it
  std::size_t killed_before = killed_processes().size();
  (*c)->stop();
  EXPECT_TRUE(survivors({background}).empty());
  std::vector<killed_process> killed = killed_processes();
  ASSERT_EQ(killed.size(), killed_before + 1);
  EXPECT_EQ(killed.back().pid, background);
  EXPECT_EQ(killed.back().name, "sleep");
  EXPECT_EQ(killed.back().from, "leaver");
}

TEST(ChildProcess, ExitStatusDoesNotReapSoTheGroupStaysReserved) {
  // Until stop(), the exited leader is a zombie: its PID, and so its group's ID, cannot be
  // given to an unrelated process that a group kill would then reach.
  auto c = child_process::spawn({{"/bin/sh", "-c", "exit 7"}, {}, false, true, "", "", "sh", ""});
  ASSERT_TRUE(c);
  auto until = soon(10000);
  while (!(*c)->exit_status() && clock_type::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ((*c)->exit_status(), 7);
  EXPECT_TRUE(fs::exists("/proc/" + std::to_string((*c)->pid())));  // still there, as a zombie
  EXPECT_FALSE(alive((*c)->pid()));
  (*c)->stop();
  EXPECT_EQ((*c)->exit_status(), 7);
  EXPECT_FALSE(fs::exists("/proc/" + std::to_string((*c)->pid())));
}

TEST(ChildProcess, MissingProgramIsAnError) {
  auto c = child_process::spawn({{"/nonexistent/tether-nothing"}, {}, false, true, "", "", "", ""});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.err().code, "process.exec");
}

TEST(ChildProcess, RunsInItsWorkingDirectoryWhereRelativeCommandsAreFound) {
  // A target's command is written relative to the target file, where the runner starts it.
  fs::path dir = fs::temp_directory_path() / ("tether-cwd-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "here.sh") << "#!/bin/sh\npwd -P\n";
  fs::permissions(dir / "here.sh", fs::perms::owner_all);
  spawn_options o;
  o.argv = {"./here.sh"};
  o.cwd = dir.string();
  auto c = child_process::spawn(o);
  ASSERT_TRUE(c) << c.err().message;
  auto line = (*c)->read_line(soon(10000));
  ASSERT_TRUE(line) << line.err().message;
  EXPECT_EQ(fs::path(*line), fs::canonical(dir));
  (*c)->stop();
  o.cwd = (dir / "missing").string();
  auto missing = child_process::spawn(o);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.err().message.find("missing"), std::string::npos) << missing.err().message;
  fs::remove_all(dir);
}

TEST(ChildProcess, DescribeExit) {
  EXPECT_EQ(describe_exit(3), "exited with status 3");
  EXPECT_EQ(describe_exit(137), "was killed by signal 9");
}

TEST_F(with_fakes, WorkerAnswersAndIsReplacedAfterATimeout) {
  client_worker w(work_.string(), (work_ / "w.log").string());
  nlohmann::json step = {{"name", "tok"}, {"action", "token"}};
  auto a = w.call("step", {{"run", "r1"}, {"step", step}}, soon(10000));
  ASSERT_TRUE(a) << a.err().message;
  EXPECT_EQ((*a)["observation"]["token"]["cnf"]["jkt"], "jkt-1");
  pid_t first = w.pid();
  auto hung = w.call("step", {{"run", "r1"}, {"step", {{"name", "hang"}, {"action", "resource"}}}}, soon(300));
  ASSERT_FALSE(hung);
  EXPECT_EQ(hung.err().code, "worker.timeout");
  EXPECT_TRUE(survivors({first}).empty());
  auto again = w.call("step", {{"run", "r2"}, {"step", step}}, soon(10000));
  ASSERT_TRUE(again) << again.err().message;
  EXPECT_NE(w.pid(), first);
  w.stop();
}

TEST(MockCommands, CommandLinesFollowTheDocumentedAssumptions) {
  knob_catalog k;
  k.set(role::rs, {{"require_nonce", "setting", "bool", false, "", {}}});
  mock_config as;
  as.r = role::as;
  as.knobs = {{"pad_x5t", true}};
  auto a = mock_command(as, "/w/as.jsonl", "/certs", "/c.json", k, "/w/as-1").argv;
  auto has = [](const std::vector<std::string>& v, std::vector<std::string> seq) {
    return std::search(v.begin(), v.end(), seq.begin(), seq.end()) != v.end();
  };
  EXPECT_TRUE(has(a, {"--port", "0"}));
  EXPECT_TRUE(has(a, {"--mtls-port", "0"}));
  EXPECT_TRUE(has(a, {"--event-log", "/w/as.jsonl"}));
  EXPECT_TRUE(has(a, {"--clients", "/c.json"}));
  EXPECT_TRUE(has(a, {"--knob", "pad_x5t=true"}));
  mock_config rs;
  rs.r = role::rs;
  rs.settings = {{"client_cert_mode", "required"}, {"token_format", "introspection"}, {"require_nonce", true},
                 {"trusted_proxy", "xfcc"}};
  rs.trusts = {{"issuer", "https://as"}, {"jwks_uri", "https://as/jwks"}, {"introspection_endpoint", "https://as/i"},
               {"introspection_client", "rs:pw"}};
  mock_launch rl = mock_command(rs, "/w/rs.jsonl", "/certs", "", k, "/w/rs-1");
  auto r = rl.argv;
  EXPECT_TRUE(has(r, {"--issuer", "https://as", "--jwks-uri", "https://as/jwks"}));
  EXPECT_TRUE(has(r, {"--client-cert-mode", "required"}));
  // The secret goes in a file, never on the command line (ps shows it to every user).
  EXPECT_TRUE(has(r, {"--introspection", "https://as/i", "--introspection-client-file", "/w/rs-1.introspection-client"}));
  for (const auto& arg : r) EXPECT_EQ(arg.find("pw"), std::string::npos) << arg;
  EXPECT_EQ(rl.secret_files, (std::map<std::string, std::string>{{"/w/rs-1.introspection-client", "rs:pw\n"}}));
  EXPECT_EQ(rl.secrets, std::vector<std::string>{"pw"});
  EXPECT_TRUE(has(r, {"--knob", "require_nonce=true"}));      // the RS has a knob of that name
  EXPECT_TRUE(has(r, {"--trusted-proxy", "xfcc"}));           // it has none: a flag
  EXPECT_NE(as.key(), rs.key());
}

// The executor and pool with stand-ins: verdicts come from the fake client's answers.
TEST_F(with_fakes, ExecutorJudgesAndThePoolSharesInstances) {
  problem_list p;
  knob_catalog knobs;
  auto cat = load_scenarios({kData + "/scenarios/rs_dpop.json"}, knobs, p);
  target t = load_target(std::string(TETHER_SOURCE_ROOT) + "/targets/builtin.json", knobs, p);
  ASSERT_TRUE(p.empty()) << p.to_text();
  mock_pool pool({work_.string(), work_.string(), t.clients_file, &knobs});
  run_environment env;
  env.tgt = &t;
  env.pool = &pool;
  env.knobs = &knobs;
  env.certs_dir = work_.string();
  env.work_dir = work_.string();
  env.run_prefix = "rtest";
  client_worker w(work_.string(), (work_ / "w.log").string());
  const scenario* ath = cat.find("example/rfc9449/4.3/rs-rejects-ath-mismatch");
  ASSERT_NE(ath, nullptr);
  scenario_result r1 = execute_scenario(*ath, w, env);
  EXPECT_EQ(r1.verdict, "pass") << r1.reason;
  ASSERT_EQ(r1.steps.size(), 3u);
  EXPECT_EQ(r1.steps[2].observation["summary"]["error"], "invalid_dpop_proof");
  EXPECT_DOUBLE_EQ(r1.tls_handshake_ms, 4.5);
  scenario_result r2 = execute_scenario(*ath, w, env);
  EXPECT_EQ(r2.verdict, "pass");
  EXPECT_EQ(pool.started(), 2);  // one AS and one RS for both runs
  // The question scenario: the fake accepts a DPoP token without a proof, so the MUST outcome fails.
  scenario_result q = execute_scenario(*cat.find("example/rfc9449/7.1/rs-dpop-token-without-proof"), w, env);
  EXPECT_EQ(q.verdict, "fail") << q.reason;
  w.stop();
  pool.shutdown();
}

TEST_F(with_fakes, StepTimeoutIsAnErrorAndTheRunGoesOn) {
  problem_list p;
  knob_catalog knobs;
  auto cat = load_scenarios({kData + "/process/hang.json"}, knobs, p);
  target t = load_target(std::string(TETHER_SOURCE_ROOT) + "/targets/builtin.json", knobs, p);
  ASSERT_TRUE(p.empty()) << p.to_text();
  mock_pool pool({work_.string(), work_.string(), t.clients_file, &knobs});
  run_environment env;
  env.tgt = &t;
  env.pool = &pool;
  env.knobs = &knobs;
  env.certs_dir = work_.string();
  env.work_dir = work_.string();
  env.step_timeout_ms = 100;
  env.run_prefix = "rtest";
  client_worker w(work_.string(), (work_ / "w.log").string());
  scenario_result r = execute_scenario(*cat.find("process/hang/one"), w, env);
  EXPECT_EQ(r.verdict, "error");
  EXPECT_NE(r.reason.find("timed out"), std::string::npos) << r.reason;
  w.stop();
}

// `tether run` as a person runs it, with the stand-ins.
std::unique_ptr<child_process> start_tether(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                                            const std::string& log) {
  std::vector<std::string> argv = {kTether};
  argv.insert(argv.end(), args.begin(), args.end());
  auto c = child_process::spawn({argv, env, false, false, log, log, "tether", ""});
  EXPECT_TRUE(c) << c.err().message;
  return c ? std::move(*c) : nullptr;
}

int wait_exit(child_process& c) {
  auto until = soon(60000);
  while (!c.exit_status() && clock_type::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return c.exit_status().value_or(-1);
}

std::string file_text(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(with_fakes, RunWritesReportsAndLeavesNoChild) {
  auto out = work_ / "out";
  auto t = start_tether({"run", "--scenarios", kData + "/scenarios/rs_dpop.json", "--out", out.string(), "-j", "2"},
                        fake_env(), (work_ / "tether.log").string());
  ASSERT_TRUE(t);
  int code = wait_exit(*t);
  std::string log = file_text(work_ / "tether.log");
  // One scenario passes, the question fails against the permissive stand-in: exit 1.
  EXPECT_EQ(code, 1) << log;
  EXPECT_NE(log.find("2 scenarios: 1 pass, 0 warn, 0 info, 0 skip, 1 fail, 0 error"), std::string::npos) << log;
  nlohmann::json report = nlohmann::json::parse(file_text(out / "report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << log;
  EXPECT_EQ(report["results"][0]["id"], "example/rfc9449/4.3/rs-rejects-ath-mismatch");
  std::vector<pid_t> children = logged_children();
  EXPECT_GE(children.size(), 3u);  // AS, RS, two workers
  EXPECT_TRUE(survivors(children).empty());
}

TEST_F(with_fakes, SigintStopsEveryChild) {
  auto out = work_ / "out";
  auto t = start_tether({"run", "--scenarios", kData + "/process/hang.json", "--out", out.string(), "-j", "2",
                         "--timeout", "600"},
                        fake_env(), (work_ / "tether.log").string());
  ASSERT_TRUE(t);
  // Wait until both scenarios are running: an AS, two RS (different settings) and two workers.
  auto until = soon(30000);
  while (logged_children().size() < 5 && clock_type::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::vector<pid_t> children = logged_children();
  ASSERT_GE(children.size(), 5u) << file_text(work_ / "tether.log");
  std::vector<pid_t> groups_alive;
  for (pid_t c : children)
    for (pid_t m : group_members(c)) groups_alive.push_back(m);
  kill(t->pid(), SIGINT);
  EXPECT_EQ(wait_exit(*t), 128 + SIGINT);
  EXPECT_TRUE(survivors(children).empty());
  EXPECT_TRUE(survivors(groups_alive).empty());  // the mocks' own children too
  EXPECT_FALSE(fs::exists(out / "report.json"));
}

TEST_F(with_fakes, AMockThatDiesTurnsItsStepsIntoErrors) {
  auto out = work_ / "out";
  auto env = fake_env();
  env["FAKE_SLOW_MARKER"] = (work_ / "slow-started").string();
  auto t = start_tether({"run", "--scenarios", kData + "/process/slow.json", "--out", out.string(), "-j", "1"}, env,
                        (work_ / "tether.log").string());
  ASSERT_TRUE(t);
  // Once the slow step is in flight, kill the RS it is talking to.
  auto until = soon(30000);
  while (!fs::exists(work_ / "slow-started") && clock_type::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(work_ / "slow-started")) << file_text(work_ / "tether.log");
  pid_t rs = -1;
  std::ifstream in(work_ / "children.txt");
  pid_t p;
  std::string label;
  while (in >> p && std::getline(in, label))
    if (label.find("tether-rs") != std::string::npos) rs = p;
  ASSERT_GT(rs, 0) << file_text(work_ / "children.txt");
  kill(rs, SIGKILL);
  EXPECT_EQ(wait_exit(*t), 1);
  nlohmann::json report = nlohmann::json::parse(file_text(out / "report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << file_text(work_ / "tether.log");
  EXPECT_EQ(report["results"][0]["verdict"], "error");
  EXPECT_NE(report["results"][0]["reason"].get<std::string>().find("mock exited with status 137"), std::string::npos)
      << report["results"][0]["reason"];
  EXPECT_TRUE(survivors(logged_children()).empty());
}

// A mock that fails to start in introspection mode: the runner quotes its command line in the
// reason of every scenario that needed it, and the introspection secret must be in none of
// them. A canary secret is looked for in everything the run printed or wrote.
TEST_F(with_fakes, AFailedStartShowsNoSecretAnywhere) {
  const std::string canary = "canary-" + std::to_string(getpid()) + "-introspection-secret";
  nlohmann::json clients = nlohmann::json::parse(file_text(std::string(TETHER_SOURCE_ROOT) + "/targets/builtin-clients.json"));
  clients["clients"]["rs"]["client_secret"] = canary;
  std::ofstream(work_ / "clients.json") << clients.dump(2);
  nlohmann::json target = {{"schema", "tether-target/1"}, {"name", "canary"}, {"version", "test"},
                           {"roles", {"as", "rs", "client"}}, {"clients_file", (work_ / "clients.json").string()}};
  std::ofstream(work_ / "target.json") << target.dump(2);
  auto out = work_ / "out";
  auto env = fake_env();
  env["TETHER_RS_BIN"] = kFakes + "/failing-rs.sh";
  env["FAKE_RS_RECORD"] = (work_ / "rs-record.txt").string();
  auto t = start_tether({"run", "--target", (work_ / "target.json").string(), "--scenarios",
                         kData + "/process/introspection.json", "--out", out.string(), "-j", "2"},
                        env, (work_ / "tether.log").string());
  ASSERT_TRUE(t);
  EXPECT_EQ(wait_exit(*t), 1);
  std::string console = file_text(work_ / "tether.log");
  nlohmann::json report = nlohmann::json::parse(file_text(out / "report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << console;
  // The failure is there, with the command it quotes (else this test would prove nothing).
  std::string reason = report["results"][0]["reason"].get<std::string>();
  EXPECT_NE(reason.find("--introspection-client-file"), std::string::npos) << reason;
  for (const fs::path& f : {work_ / "tether.log", out / "report.json", out / "report.md", out / "junit.xml",
                            out / "report.html"}) {
    ASSERT_TRUE(fs::exists(f)) << f;
    EXPECT_EQ(file_text(f).find(canary), std::string::npos) << f << " shows the secret";
  }
  // The stand-in got the secret in a file only its user can read, not in its arguments; the
  // file is gone once the start is over (the work directory is kept as a CI artifact).
  std::string record = file_text(work_ / "rs-record.txt");
  EXPECT_NE(record.find("mode: 600\n"), std::string::npos) << record;
  EXPECT_NE(record.find("content: rs:" + canary + "\n"), std::string::npos) << record;
  std::istringstream lines(record);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("args: ", 0) == 0) {
      EXPECT_EQ(line.find(canary), std::string::npos) << line;
    }
  }
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (e.is_regular_file()) {
      EXPECT_EQ(file_text(e.path()).find(canary), std::string::npos) << e.path() << " holds the secret";
    }
  }
  EXPECT_TRUE(survivors(logged_children()).empty());
}

std::vector<pid_t> pids_in(const fs::path& file) {
  std::vector<pid_t> pids;
  std::ifstream in(file);
  for (pid_t p; in >> p;) pids.push_back(p);
  return pids;
}

// An external client under test that leaves a process in the background in its own group and
// one in a new session (setsid): the scenario ends when the client does, and the run ends
// with neither left, each named in the report.
TEST_F(with_fakes, WhatTheClientUnderTestLeavesRunningIsKilledAndReported) {
  const fs::path pids = work_ / "background.pids";
  nlohmann::json target = {
      {"schema", "tether-target/1"}, {"name", "a client that leaves processes"}, {"version", "test"},
      {"roles", {"client"}}, {"as", {{"builtin", true}}}, {"rs", {{"builtin", true}}},
      // It exits once both run `sleep` (the second after its setsid), so that neither is caught
      // still starting.
      {"client", {{"command", {"/bin/sh", "-c",
                               "sleep 3600 & a=$!; setsid sleep 3600 & b=$!; echo $a $b >'" + pids.string() +
                                   "'; for p in $a $b; do while [ \"$(cat /proc/$p/comm)\" != sleep ]; do sleep 0.01; "
                                   "done; done; exit 0"}},
                  {"timeout_s", 60}}},
      {"clients_file", std::string(TETHER_SOURCE_ROOT) + "/targets/builtin-clients.json"}};
  std::ofstream(work_ / "target.json") << target.dump(2);
  auto out = work_ / "out";
  auto t = start_tether({"run", "--target", (work_ / "target.json").string(), "--scenarios", kData + "/scenarios",
                         "--only", "*/client-sends-proof-and-ath", "--out", out.string()},
                        fake_env(), (work_ / "tether.log").string());
  ASSERT_TRUE(t);
  wait_exit(*t);
  std::string console = file_text(work_ / "tether.log");
  nlohmann::json report = nlohmann::json::parse(file_text(out / "report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << console;
  std::vector<pid_t> background = pids_in(pids);
  ASSERT_EQ(background.size(), 2u) << console;
  EXPECT_TRUE(survivors(background).empty());
  EXPECT_TRUE(survivors(logged_children()).empty());
  // The client's step ended with the client, not at its 60 s timeout (a bound, not a measurement).
  const nlohmann::json& step = report["results"][0]["steps"][0];
  EXPECT_EQ(step["exit_code"], 0) << step;
  EXPECT_LT(step["duration_ms"].get<double>(), 30000) << step;
  nlohmann::json killed = report["run"]["killed_processes"];
  ASSERT_TRUE(killed.is_array()) << report["run"];
  std::set<std::string> seen;
  for (const auto& k : killed) {
    seen.insert(k["from"].get<std::string>() + ":" + k["name"].get<std::string>());
    for (const auto& p : k["pids"]) EXPECT_NE(std::find(background.begin(), background.end(), p.get<pid_t>()), background.end()) << k;
  }
  EXPECT_EQ(seen, (std::set<std::string>{"client under test:sleep", "orphan:sleep"})) << killed;
  EXPECT_NE(console.find("killed 2 processes left running"), std::string::npos) << console;
  EXPECT_NE(file_text(out / "report.md").find("Killed 2 processes left running"), std::string::npos);
}

// A launch script that starts its server in the background and exits: the server goes with
// the run.
TEST_F(with_fakes, ALaunchedServerInTheBackgroundGoesWithTheRun) {
  const fs::path pids = work_ / "server.pids";
  nlohmann::json target = {
      {"schema", "tether-target/1"}, {"name", "a launch script that backgrounds its server"}, {"version", "test"},
      {"roles", {"as", "rs", "client"}},
      {"launch", {{"command", {"/bin/sh", "-c", "sleep 3600 & echo $! >'" + pids.string() + "'; exit 0"}}}},
      {"clients_file", std::string(TETHER_SOURCE_ROOT) + "/targets/builtin-clients.json"}};
  std::ofstream(work_ / "target.json") << target.dump(2);
  auto out = work_ / "out";
  auto t = start_tether({"run", "--target", (work_ / "target.json").string(), "--scenarios",
                         kData + "/scenarios/rs_dpop.json", "--out", out.string()},
                        fake_env(), (work_ / "tether.log").string());
  ASSERT_TRUE(t);
  wait_exit(*t);
  std::string console = file_text(work_ / "tether.log");
  std::vector<pid_t> server = pids_in(pids);
  ASSERT_EQ(server.size(), 1u) << console;
  EXPECT_TRUE(survivors(server).empty());
  nlohmann::json report = nlohmann::json::parse(file_text(out / "report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << console;
  EXPECT_EQ(report["run"]["killed_processes"],
            nlohmann::json::parse(R"([{"from":"launched target","name":"sleep","count":1,"pids":[)" +
                                  std::to_string(server[0]) + "]}]"));
}

TEST(KnownSecrets, RedactsEveryOccurrenceLongestFirst) {
  known_secrets::add("s3cr3t-value");
  known_secrets::add("s3cr3t");
  known_secrets::add("");
  EXPECT_EQ(known_secrets::redact("a s3cr3t-value b s3cr3t c"), "a (redacted) b (redacted) c");
  EXPECT_EQ(known_secrets::redact("nothing here"), "nothing here");
}

TEST_F(with_fakes, BadInputExitsTwoAndWritesNothing) {
  auto out = work_ / "out";
  auto t = start_tether({"run", "--scenarios", kData + "/invalid/status_type.json", "--out", out.string()}, fake_env(),
                        (work_ / "tether.log").string());
  ASSERT_TRUE(t);
  EXPECT_EQ(wait_exit(*t), 2);
  EXPECT_NE(file_text(work_ / "tether.log").find("/scenarios/0/steps/2/expect/status: expected an integer"), std::string::npos);
  EXPECT_FALSE(fs::exists(out / "report.json"));
  auto u = start_tether({"run", "--no-such-option"}, fake_env(), (work_ / "tether2.log").string());
  EXPECT_EQ(wait_exit(*u), 2);
}

}  // namespace
}  // namespace tether::runner
