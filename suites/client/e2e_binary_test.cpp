// The tether-client program itself: `serve` over pipes as the runner drives it, the shell
// commands a person types (token, call, proof for curl), --describe-knobs and bad input.

#include <gtest/gtest.h>

#include <fstream>

#include "core/http/https_client.hpp"
#include "e2e_world.hpp"
#include "support.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using namespace testing;

struct command_result {
  int exit_code;
  std::string out;
  std::string err;
};

command_result run_command(std::vector<std::string> args) {
  args.insert(args.begin(), client_binary());
  const std::string err = make_temp_dir("cmd") + "/stderr.log";
  child_process p(args, {}, false, err);
  command_result r;
  r.exit_code = p.wait_exit(120000, &r.out);
  r.err = read_text(err);
  return r;
}

TEST(e2e_binary, ServeOverPipes) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  const std::string trace = unique("serve");
  child_process serve({client_binary(), "serve", "--certs", certs_dir()}, {}, true, make_temp_dir("serve") + "/stderr.log");
  auto ask = [&](const json& request) {
    EXPECT_TRUE(serve.write(request.dump() + "\n"));
    return json::parse(serve.read_line(60000), nullptr, false);
  };
  json meta = ask({{"id", 1}, {"op", "discover"}, {"issuer", w.issuer()},
                   {"tls", {{"ca_file", w.ca()}, {"cert_file", nullptr}, {"key_file", nullptr}, {"cert_name", nullptr}}}});
  ASSERT_TRUE(meta.contains("metadata")) << meta.dump();
  json reg = builtin_client("dpop-bound");
  json tok_step = {{"name", "tok"}, {"action", "token"}, {"trace", trace + "/tok"}, {"timeout_ms", 30000},
                   {"url", meta["metadata"]["token_endpoint"]},
                   {"client", {{"client_id", "dpop-bound"}, {"auth_method", "client_secret_basic"}, {"secret", reg["client_secret"]}}},
                   {"grant", "client_credentials"}, {"dpop", {{"key", "k1"}, {"nonce", "auto"}}}};
  json tok = ask({{"id", "t"}, {"op", "step"}, {"run", "r1"}, {"step", tok_step}});
  ASSERT_TRUE(tok.contains("observation")) << tok.dump();
  EXPECT_EQ(tok["id"], "t");
  EXPECT_EQ(tok["observation"]["token"]["token_type"], "DPoP");

  json bad = ask(json("not an object"));
  EXPECT_TRUE(bad.contains("error"));
  EXPECT_TRUE(serve.write("}{ not json\n"));
  EXPECT_TRUE(json::parse(serve.read_line(60000), nullptr, false).contains("error"));

  json res_step = {{"name", "res"}, {"action", "resource"}, {"trace", trace + "/res"}, {"url", w.resource()},
                   {"access_token", tok["observation"]["token"]["access_token"]}, {"token_type", "DPoP"},
                   {"dpop", {{"key", "k1"}}}, {"tls", {{"ca_file", w.ca()}}}};
  json res = ask({{"id", 3}, {"op", "step"}, {"run", "r1"}, {"step", res_step}});
  EXPECT_EQ(res["observation"]["response"]["status"], 200) << res.dump();
  EXPECT_EQ(ask({{"id", 4}, {"op", "end_run"}, {"run", "r1"}}), (json{{"id", 4}, {"ok", true}}));
  // After end_run, k1 is a new key: the DPoP-bound token no longer matches it.
  res_step["name"] = "res2";
  res_step["trace"] = trace + "/res2";
  json res2 = ask({{"id", 5}, {"op", "step"}, {"run", "r1"}, {"step", res_step}});
  EXPECT_EQ(res2["observation"]["response"]["status"], 401) << res2.dump();
  serve.close_stdin();
  EXPECT_EQ(serve.wait_exit(30000), 0);
  EXPECT_EQ(events_for(w.rs.event_log, trace + "/res", "resource").size(), 2u);
}

TEST(e2e_binary, ShellTokenCallAndProofForCurl) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  const std::string dir = make_temp_dir("shell");
  const std::string key = dir + "/dpop.pem";
  const std::string secret = builtin_client("dpop-bound")["client_secret"];
  command_result t = run_command({"token", "--as", w.issuer(), "--client-id", "dpop-bound", "--secret", secret,
                                  "--dpop", "--key-file", key, "--certs", certs_dir(), "--compact"});
  ASSERT_EQ(t.exit_code, 0) << t.out << t.err;
  json tok = json::parse(t.out);
  EXPECT_EQ(tok["discovery"]["used"], true);
  EXPECT_EQ(tok["token"]["token_type"], "DPoP");
  const std::string at = tok["token"]["access_token"];
  EXPECT_EQ(read_text(key).rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);

  command_result c = run_command({"call", w.resource(), "--token", at, "--token-type", "DPoP", "--dpop", "--key-file", key,
                                  "--certs", certs_dir()});
  EXPECT_EQ(c.exit_code, 0) << c.out << c.err;
  EXPECT_EQ(json::parse(c.out)["request"]["dpop"]["jkt"], tok["token"]["cnf"]["jkt"]);

  command_result broken = run_command({"call", w.resource(), "--token", at, "--token-type", "DPoP", "--dpop", "--key-file",
                                       key, "--defect", "htm=PUT", "--certs", certs_dir()});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(json::parse(broken.out)["response"]["status"], 401);

  // A proof made by hand, sent the way curl would send it.
  command_result p = run_command({"proof", "--htm", "GET", "--htu", w.resource(), "--ath-of", at, "--key-file", key});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  std::string proof = p.out.substr(0, p.out.find('\n'));
  http::request req;
  req.target.clear();
  req.headers.add("Authorization", "DPoP " + at);
  req.headers.add("DPoP", proof);
  http::client_options o;
  o.ca_file = w.ca();
  auto r = http::send_once(w.resource(), req, o);
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 200) << r.resp->body;

  command_result pj = run_command({"proof", "--htu", "https://x.example/p?q#f", "--key-file", key, "--json",
                                   "--defect", "omit_claims=[\"iat\"]"});
  ASSERT_EQ(pj.exit_code, 0) << pj.err;
  json pjs = json::parse(pj.out);
  EXPECT_EQ(pjs["claims"]["htu"], "https://x.example/p");
  EXPECT_FALSE(pjs["claims"].contains("iat"));
  EXPECT_EQ(pjs["claims"]["htm"], "POST");
}

TEST(e2e_binary, ShellTokenReadsTheSecretFromAFile) {
  // --secret-file keeps the secret off the command line, which ps shows to every user.
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  const std::string dir = make_temp_dir("secret-file");
  const std::string secret = builtin_client("dpop-bound")["client_secret"];
  std::ofstream(dir + "/secret") << secret << "\n";
  command_result t = run_command({"token", "--as", w.issuer(), "--client-id", "dpop-bound", "--secret-file",
                                  dir + "/secret", "--dpop", "--key-file", dir + "/dpop.pem", "--certs", certs_dir(),
                                  "--compact"});
  ASSERT_EQ(t.exit_code, 0) << t.out << t.err;
  EXPECT_EQ(json::parse(t.out)["token"]["token_type"], "DPoP");
  std::ofstream(dir + "/wrong") << "not-" << secret << "\n";
  command_result wrong = run_command({"token", "--as", w.issuer(), "--client-id", "dpop-bound", "--secret-file",
                                      dir + "/wrong", "--certs", certs_dir(), "--compact"});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out << wrong.err;  // the AS refused the secret read from the file
  command_result missing = run_command({"token", "--as", w.issuer(), "--client-id", "dpop-bound", "--secret-file",
                                        dir + "/none", "--certs", certs_dir()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find(dir + "/none"), std::string::npos) << missing.err;
}

TEST(e2e_binary, ShellMutualTlsUsesTheAlias) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  command_result t = run_command({"token", "--as", w.issuer(), "--client-id", "mtls-pki", "--cert", "client-a",
                                  "--certs", certs_dir(), "--compact"});
  ASSERT_EQ(t.exit_code, 0) << t.out << t.err;
  json tok = json::parse(t.out);
  EXPECT_EQ(tok["request"]["url"], w.as.ready["mtls_token_endpoint"]);
  EXPECT_EQ(tok["token"]["cnf"]["x5t#S256"], manifest_x5t("client-a"));
}

TEST(e2e_binary, DescribeKnobsAndBadInput) {
  command_result d = run_command({"--describe-knobs"});
  ASSERT_EQ(d.exit_code, 0);
  json knobs = json::parse(d.out);
  ASSERT_TRUE(knobs.is_array());
  int breaks = 0;
  for (const auto& k : knobs) breaks += k["kind"] == "breaks";
  EXPECT_EQ(breaks, 13);

  EXPECT_EQ(run_command({"--help"}).exit_code, 0);
  EXPECT_EQ(run_command({"token", "--help"}).exit_code, 0);
  command_result unknown = run_command({"token", "--as", "https://x", "--bogus"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--bogus"), std::string::npos);
  command_result defect = run_command({"proof", "--htu", "https://x/", "--key-file", make_temp_dir("k") + "/k.pem",
                                       "--defect", "athh=1"});
  EXPECT_EQ(defect.exit_code, 2);
  EXPECT_NE(defect.err.find("athh"), std::string::npos);
  command_result cert = run_command({"call", "https://127.0.0.1:1/", "--cert", "no-such-cert", "--certs", certs_dir()});
  EXPECT_EQ(cert.exit_code, 2);
  EXPECT_NE(cert.err.find("no-such-cert"), std::string::npos);
  EXPECT_EQ(run_command({"flow", "token", "--knob", "omit_ath=maybe"}).exit_code, 2);
  command_result down = run_command({"call", "https://127.0.0.1:1/", "--timeout-ms", "3000", "--certs", certs_dir()});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_EQ(json::parse(down.out)["tls"]["stage"], "connect");
}

}  // namespace
}  // namespace tether::client
