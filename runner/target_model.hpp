#pragma once
// A target file (targets/README.md): which roles are under test and how each role is played,
// the client registrations, certificates, capabilities, disabled scenarios and error names.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/scenario_model.hpp"

namespace tether::runner {

struct role_settings {
  bool builtin = true;
  nlohmann::json knobs = nlohmann::json::object();        // built-in: knobs (break it on purpose)
  nlohmann::json environment = nlohmann::json::object();  // built-in: settings; external: declared settings
  // External AS / RS. Strings may hold placeholders ({port}, {port:NAME}, {certs}) until the run
  // fills them in (launch_placeholders.hpp).
  std::string issuer;   // as
  // as: where its metadata is, when not at the RFC 8414 3.1 URL of the issuer ("" = discover it
  // there, falling back to OpenID Connect discovery)
  std::string metadata_url;
  std::string url;      // rs: the default protected resource
  std::map<std::string, std::string> urls;  // rs: a scenario step's path -> the URL that serves it
  // rs: the origin of a second instance of the same RS, behind the same public URL, for the
  // replays that ask whether the instances share their replay cache (question Q6).
  std::string second_instance;
  // rs: the tokens it serves, by binding: "none" (plain Bearer), "dpop", "mtls"; absent: all.
  std::optional<std::vector<std::string>> token_bindings;
  std::string ca_file;  // absolute
  // Built-in AS that an external RS trusts: {"port", "signing_key"} (absolute path).
  std::optional<nlohmann::json> fixed;
  // External client under test.
  std::vector<std::string> command;
  int unsupported_exit_code = 89;
  double timeout_s = 60;
};

struct client_registration {
  std::string name;         // the scenario-facing name: mtls-pki, secret-basic, ...
  std::string client_id;
  std::string auth_method;  // token_endpoint_auth_method
  std::optional<std::string> secret;
  std::optional<std::string> cert;  // certificate name
  std::string binding = "none";     // mtls, dpop, none
  std::optional<std::string> dpop_alg;  // the alg of this client's DPoP keys when a proof names none
  // The scope its token and authorization requests carry when a step names none: a real AS may
  // grant only registered scopes.
  std::optional<std::string> scope;
};

struct certificate_files {
  std::string cert;  // absolute paths
  std::string key;
};

struct launch_spec {
  std::vector<std::string> command;
  std::string ready_url;
  std::map<std::string, std::string> env;
  std::string cwd;  // absolute; default: the target file's directory
  double timeout_s = 30;
};

struct target {
  std::string path;  // the file, as given
  std::string dir;   // its directory, absolute: relative paths and commands start there
  std::string name;
  std::string version;
  std::vector<role> roles;
  std::map<role, role_settings> settings;  // every role has an entry (built-in by default)
  std::map<std::string, client_registration> clients;
  std::string clients_file;  // absolute; the built-in AS's registry
  std::map<std::string, certificate_files> certificates;
  std::optional<std::vector<std::string>> capabilities;  // absent: every capability
  std::vector<std::pair<std::string, std::string>> disabled;  // glob -> reason
  // The most simultaneous connections a replay race may open (0: as many as the scenario says):
  // a server with fewer workers than copies held open would deadlock instead of answering.
  int max_concurrency = 0;
  std::map<std::string, std::vector<std::string>> error_map;
  std::optional<launch_spec> launch;
  std::string expectations_file;  // absolute; "" = none (tether run --expectations overrides)

  bool under_test(role r) const;
  bool is_builtin(role r) const;
  bool has_capability(const std::string& cap) const;
  std::string roles_text() const;  // "as,rs,client"
};

}  // namespace tether::runner
