// The knob table (what --describe-knobs prints for the runner) and the command line: every
// kind of bad input is refused with exit status 2 and a message naming it.

#include <fstream>

#include <gtest/gtest.h>

#include "mocks/rs/rs_cli.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

const std::vector<std::string> base_args = {"--issuer", "https://as.example", "--jwks-file", "/dev/null"};

std::vector<std::string> args_with(std::vector<std::string> extra) {
  auto a = base_args;
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(KnobTable, DescribesEveryKnobTheRunnerMaps) {
  auto described = rs_knobs().describe();
  ASSERT_TRUE(described.is_array());
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& d : described) by_name[d["name"]] = d;
  // The scenario environment settings (scenarios/README.md) and the knobs the issue names.
  for (const char* name :
       {"client_cert_mode", "token_format", "require_nonce", "trusted_proxy", "dpop_algs", "audience",
        "missing_cert_response", "bad_proof_status", "dpop_scheme_without_proof", "downgrade_response",
        "key_mismatch_error", "replay_error", "dpop_max_age_s", "dpop_max_future_s", "clock_offset_s",
        "challenge_extra_param", "cnf_policy", "skip_ath_check", "skip_cnf_check", "accept_private_jwk",
        "no_replay_cache", "replay_key_whole_proof", "htu_from_forwarded_headers", "accept_bearer_downgrade",
        "case_insensitive_htu", "trust_any_proxy_header"}) {
    ASSERT_TRUE(by_name.count(name)) << name;
  }
  EXPECT_EQ(by_name["client_cert_mode"]["kind"], "setting");
  EXPECT_EQ(by_name["missing_cert_response"]["kind"], "emulates");
  EXPECT_EQ(by_name["missing_cert_response"]["default"], "401_invalid_token");
  EXPECT_EQ(by_name["skip_ath_check"]["kind"], "breaks");
  EXPECT_EQ(by_name["skip_ath_check"]["default"], false);
  for (const auto& [name, d] : by_name) {
    std::string text = d["description"];
    if (d["kind"] != "setting") {
      EXPECT_NE(text.find("RFC"), std::string::npos) << name << " cites no RFC";
    }
  }
}

TEST(KnobTable, DefaultConfigIsValidAndCorrect) {
  rs_config c;
  EXPECT_TRUE(validate(c));
  EXPECT_TRUE(rs_knobs().changed(c).empty());
}

TEST(KnobTable, ValidationNamesTheKnob) {
  for (auto [name, value] : std::vector<std::pair<const char*, nlohmann::json>>{
           {"dpop_algs", "ES256 HS256"}, {"dpop_algs", ""}, {"challenge_extra_param", "no-equals"},
           {"challenge_extra_param", "a b=c"}, {"dpop_max_age_s", -1}, {"public_origin", "ftp://x"}}) {
    rs_config c;
    ASSERT_TRUE(rs_knobs().set(c, name, value));
    auto s = validate(c);
    ASSERT_FALSE(s) << name << "=" << value.dump();
    EXPECT_NE(s.err().message.find(name), std::string::npos);
  }
}

TEST(CommandLine, MinimalStart) {
  auto out = parse_command_line(base_args);
  ASSERT_TRUE(out.startup) << out.error;
  EXPECT_EQ(out.startup->port, 0);
  EXPECT_EQ(out.startup->config.client_cert_mode, "optional");
}

TEST(CommandLine, FlagsAndKnobs) {
  auto out = parse_command_line(args_with({"--port", "8443", "--audience", "api", "--client-cert-mode",
                                           "required", "--knob", "skip_ath_check=true", "--knob",
                                           "dpop_max_age_s=60", "--knob", "trusted_proxy=xfcc"}));
  ASSERT_TRUE(out.startup) << out.error;
  EXPECT_EQ(out.startup->port, 8443);
  EXPECT_EQ(out.startup->config.audience, "api");
  EXPECT_EQ(out.startup->config.client_cert_mode, "required");
  EXPECT_TRUE(out.startup->config.skip_ath_check);
  EXPECT_EQ(out.startup->config.dpop_max_age_s, 60);
  EXPECT_EQ(out.startup->config.trusted_proxy, "xfcc");
}

TEST(CommandLine, BadInputExitsWith2) {
  const std::vector<std::vector<std::string>> bad = {
      {"--jwks-file", "x"},                                    // no issuer
      {"--issuer", "https://as"},                              // no keys
      args_with({"--knob", "no_such_knob=1"}),
      args_with({"--knob", "skip_ath_check=maybe"}),
      args_with({"--knob", "cnf_policy=some"}),
      args_with({"--knob", "noequals"}),
      args_with({"--client-cert-mode", "sometimes"}),
      args_with({"--port", "70000"}),
      args_with({"--no-such-option"}),
      args_with({"--knob", "dpop_algs=HS256"}),
      args_with({"--knob", "token_format=introspection"}),     // no introspection endpoint
      args_with({"--introspection", "https://as/i"}),          // no credentials
      args_with({"--jwks-uri", "https://as/jwks"}),            // both uri and file
      {"--issuer", "x", "--jwks-uri", "http://as/jwks"},       // not https
      args_with({"--config", "/nonexistent/rs.json"}),
  };
  for (const auto& args : bad) {
    auto out = parse_command_line(args);
    std::string shown = nlohmann::json(args).dump();
    EXPECT_FALSE(out.startup) << shown;
    EXPECT_EQ(out.exit_code, 2) << shown;
    EXPECT_FALSE(out.error.empty()) << shown;
  }
}

TEST(CommandLine, HelpListsEveryKnob) {
  auto out = parse_command_line({"--help"});
  EXPECT_FALSE(out.startup);
  EXPECT_EQ(out.exit_code, 0);
  for (const auto& e : rs_knobs().entries()) EXPECT_NE(out.output.find(e.name), std::string::npos) << e.name;
  EXPECT_NE(out.output.find("--jwks-uri"), std::string::npos);
  EXPECT_NE(out.output.find("/scoped/"), std::string::npos);
}

TEST(CommandLine, DescribeKnobsPrintsJson) {
  auto out = parse_command_line({"--describe-knobs"});
  EXPECT_EQ(out.exit_code, 0);
  auto j = nlohmann::json::parse(out.output, nullptr, false);
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j.size(), rs_knobs().entries().size());
}

TEST(CommandLine, ConfigFileAndOverrides) {
  std::string dir = make_temp_dir("rs-config");
  std::string path = dir + "/rs.json";
  std::ofstream(path) << R"({"issuer":"https://as.file","jwks_file":"/dev/null","port":9000,
                            "audience":"from-file","knobs":{"require_nonce":true,"cnf_policy":"any"}})";
  auto out = parse_command_line({"--config", path, "--audience", "from-flag", "--knob", "cnf_policy=first"});
  ASSERT_TRUE(out.startup) << out.error;
  EXPECT_EQ(out.startup->issuer, "https://as.file");
  EXPECT_EQ(out.startup->port, 9000);
  EXPECT_EQ(out.startup->config.audience, "from-flag");
  EXPECT_TRUE(out.startup->config.require_nonce);
  EXPECT_EQ(out.startup->config.cnf_policy, "first");

  std::ofstream(path) << R"({"issuer":"x","jwks_file":"y","typo_member":1})";
  auto bad = parse_command_line({"--config", path});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.error.find("typo_member"), std::string::npos);
  std::ofstream(path) << R"({"issuer":"x","jwks_file":"y","knobs":{"skip_ath_check":"yes"}})";
  bad = parse_command_line({"--config", path});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.error.find("skip_ath_check"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(CommandLine, IntrospectionSetup) {
  auto out = parse_command_line({"--issuer", "https://as", "--knob", "token_format=introspection",
                                 "--introspection", "https://as/introspect", "--introspection-client",
                                 "rs:rs-secret"});
  ASSERT_TRUE(out.startup) << out.error;
  ASSERT_TRUE(out.startup->introspection);
  EXPECT_EQ(out.startup->introspection->client_id, "rs");
  EXPECT_EQ(out.startup->introspection->client_secret, "rs-secret");
}

TEST(CommandLine, IntrospectionCredentialsFromAFile) {
  // The runner passes the secret in a file: a command line is visible to every user in ps.
  std::string dir = make_temp_dir("rs-credentials");
  std::string path = dir + "/credentials";
  std::ofstream(path) << "rs:file-secret\r\n";
  std::vector<std::string> base = {"--issuer", "https://as", "--knob", "token_format=introspection",
                                   "--introspection", "https://as/introspect"};
  auto with = [&](std::vector<std::string> extra) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return parse_command_line(a);
  };
  auto out = with({"--introspection-client-file", path});
  ASSERT_TRUE(out.startup) << out.error;
  ASSERT_TRUE(out.startup->introspection);
  EXPECT_EQ(out.startup->introspection->client_id, "rs");
  EXPECT_EQ(out.startup->introspection->client_secret, "file-secret");

  std::string config = dir + "/rs.json";
  std::ofstream(config) << nlohmann::json{{"introspection_client_file", path}}.dump();
  auto from_config = with({"--config", config});
  ASSERT_TRUE(from_config.startup) << from_config.error;
  EXPECT_EQ(from_config.startup->introspection->client_secret, "file-secret");

  auto both = with({"--introspection-client-file", path, "--introspection-client", "rs:x"});
  EXPECT_EQ(both.exit_code, 2);
  auto missing = with({"--introspection-client-file", dir + "/none"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.error.find(dir + "/none"), std::string::npos) << missing.error;
  // A malformed file is named, and its content (a secret) is not shown.
  std::ofstream(path) << "no-colon-secret\n";
  auto bad = with({"--introspection-client-file", path});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.error.find(path), std::string::npos) << bad.error;
  EXPECT_EQ(bad.error.find("no-colon-secret"), std::string::npos) << bad.error;
  EXPECT_NE(parse_command_line({"--help"}).output.find("--introspection-client-file"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tether::rs::testing
