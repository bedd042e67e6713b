#pragma once
// Internal to the flow mode: the state of one flow and the builders of its steps. flow.cpp
// sequences the flows; flow_steps.cpp turns each step into a resolved step, where the knobs
// change what is sent.

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mocks/client/client_config.hpp"
#include "mocks/client/flow.hpp"
#include "mocks/client/flow_env.hpp"
#include "mocks/client/run_state.hpp"
#include "mocks/client/step_executor.hpp"

namespace tether::client::detail {

// What the flow knows once it has a token.
struct obtained_token {
  std::string access_token;
  std::string token_type;
  std::optional<std::string> refresh_token;
};

struct obtained_code {
  std::string code;
  std::optional<std::string> code_verifier;
  std::optional<std::string> redirect_uri;
};

class flow_runner {
 public:
  flow_runner(const flow_env& env, const client_config& config, step_executor& executor,
              std::string certs_dir, bool verbose);
  flow_result run();

 private:
  // flow.cpp
  bool discover_metadata();
  std::optional<obtained_code> authorize();
  std::optional<obtained_token> token(const std::string& name, const std::string& grant,
                                      const obtained_code* code, const std::string* refresh_token);
  bool resource(const obtained_token& token);
  flow_result finish(int exit_code, const std::string& result, const std::string& reason);

  // flow_steps.cpp
  resolved_step base_step(const std::string& name, const std::string& action, const std::string& url) const;
  client_identity identity() const;
  tls_settings tls_for(bool at_rs) const;
  proof_options proof_for(const std::string& url, const std::string& method, bool at_rs);
  std::optional<nlohmann::json> execute(const resolved_step& step);
  bool failed_exchange(const nlohmann::json& obs, const std::string& what);

  bool dpop() const { return env_.binding == "dpop"; }

  const flow_env& env_;
  const client_config& config_;
  step_executor& executor_;
  std::string certs_dir_;
  bool verbose_;

  run_state state_;
  nlohmann::json metadata_;
  std::string token_endpoint_;
  bool with_cert_ = false;        // a certificate is presented at the token endpoint
  std::string key_name_ = "k1";   // the DPoP key; new_key_on_refresh switches it
  std::string fixed_jti_;         // reuse_jti
  std::map<std::string, std::string> first_nonce_;  // ignore_nonce_rotation: by origin
  nlohmann::json steps_ = nlohmann::json::array();
  nlohmann::json observations_ = nlohmann::json::array();
  std::string failure_;           // why the last step did not do what the flow needed
};

}  // namespace tether::client::detail
