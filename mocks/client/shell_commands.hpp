#pragma once
// The commands a person types: `token` and `call` each make one exchange through the executor
// and print its observation; `proof` prints a DPoP proof for use with curl. The command line
// itself is read in cli.cpp; these take plain structs so that tests can call them.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "mocks/client/transport.hpp"

namespace tether::client {

constexpr int exit_shell_ok = 0;        // a 2xx answer (token, call) or a proof printed
constexpr int exit_shell_rejected = 1;  // any other answer, or no answer
constexpr int exit_shell_bad_input = 2;

struct shell_common {
  std::string certs_dir;   // suite certificate names resolve here; its ca.crt is the default CA
  std::string ca_file;
  std::string cert;        // a PEM file, or a suite certificate name ("client-a")
  std::string key;         // its private key (default: the suite's, for a name)
  int64_t timeout_ms = 10000;
  std::string trace;
  bool dpop = false;
  std::string alg;         // for a new DPoP key
  std::string key_file;    // DPoP key, PEM; created when missing
  std::string nonce = "auto";
  bool retry_on_nonce = true;
  std::vector<std::string> defects;  // name=value
  bool pretty = true;
};

struct token_command {
  shell_common common;
  std::string as;          // an issuer (metadata is discovered) or a token endpoint URL
  std::string endpoint = "auto";  // auto (mTLS alias with a certificate), mtls, main
  std::string client_id;
  std::string auth = "auto";  // auto: from --cert / --secret
  std::string secret;
  std::string secret_file;  // the secret is its first line (keeps it off the command line)
  std::string grant = "client_credentials";
  std::string code, code_verifier, redirect_uri, refresh_token, scope;
  std::vector<std::string> params;  // name=value
  std::vector<std::string> omit;
};

struct call_command {
  shell_common common;
  std::string url;
  std::string method = "GET";
  std::string token;
  std::string token_type;
  std::string scheme = "auto";
  std::string token_in = "header";
  int64_t authorization_headers = 1;
  std::vector<std::string> headers;  // "Name: value"
  std::string forwarded_format;      // rfc9440, xfcc, escaped_pem, base64_der
  std::string forwarded_cert;        // file or suite name
  std::string forwarded_value;       // a literal header value
};

struct proof_command {
  std::string htm = "POST";
  std::string htu;
  std::string ath_of;
  std::string nonce;
  std::string key_file;
  std::string alg;
  std::vector<std::string> defects;
  bool json = false;
};

int run_token_command(const token_command& c, transport& net, std::ostream& out, std::ostream& err);
int run_call_command(const call_command& c, transport& net, std::ostream& out, std::ostream& err);
int run_proof_command(const proof_command& c, std::ostream& out, std::ostream& err);

// --defect name=value, repeated, into proof defects JSON: the value is read as JSON when it is
// JSON of the type the defect takes (true, -600, ["ath"]), as text otherwise.
result<nlohmann::json> defects_from_assignments(const std::vector<std::string>& assignments);

}  // namespace tether::client
