#include "mocks/as/token_profiles.hpp"

#include <openssl/crypto.h>

#include <fstream>
#include <sstream>

namespace tether::as {

const std::set<std::string>& per_token_knobs() {
  // Each is read only by decide_binding (token_binding.cpp) or issue_access_token
  // (token_issue.cpp), both of which receive the profile's configuration.
  static const std::set<std::string> names = {
      "mtls_and_dpop", "missing_cert_policy", "missing_cert_error", "pad_x5t", "x5t_standard_base64",
      "omit_cnf",      "token_type_bearer_for_dpop", "plain_jwt_typ_client"};
  return names;
}

nlohmann::json describe_knobs() {
  nlohmann::json described = knobs().describe();
  for (auto& k : described)
    if (k.is_object() && per_token_knobs().count(k.value("name", std::string()))) k["per_token"] = true;
  return described;
}

result<token_profiles> token_profiles::parse(const nlohmann::json& file, const as_config& base,
                                             const std::string& where) {
  if (!file.is_object()) return make_error("profiles.shape", where + ": must be a JSON object of handle: knobs");
  token_profiles out;
  int index = 0;
  for (const auto& [handle, knob_set] : file.items()) {
    std::string at = where + ": profile " + std::to_string(++index);
    // 32 base64url characters carry 192 bits: a handle nobody guesses (the runner sends 256).
    if (handle.size() < 32) return make_error("profiles.handle", at + ": the handle is shorter than 32 characters");
    if (!knob_set.is_object()) return make_error("profiles.shape", at + ": must be an object of knobs");
    as_config c = base;
    for (const auto& [name, value] : knob_set.items()) {
      if (!per_token_knobs().count(name))
        return make_error("profiles.knob", at + ": knob \"" + name +
                                               "\" changes more than one token and cannot be chosen per request");
      if (status s = knobs().set(c, name, value); !s) return make_error(s.err().code, at + ": " + s.err().message);
    }
    if (status s = validate(c); !s) return make_error(s.err().code, at + ": " + s.err().message);
    out.by_handle_.emplace(handle, std::move(c));
  }
  return out;
}

result<token_profiles> token_profiles::load(const std::string& path, const as_config& base) {
  std::ifstream in(path);
  if (!in) return make_error("profiles.read", "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json file = nlohmann::json::parse(text.str(), nullptr, false);
  if (file.is_discarded()) return make_error("profiles.json", path + ": not valid JSON");
  return parse(file, base, path);
}

const as_config* token_profiles::find(const std::string& handle) const {
  const as_config* found = nullptr;
  for (const auto& [h, c] : by_handle_)
    if (h.size() == handle.size() && CRYPTO_memcmp(h.data(), handle.data(), h.size()) == 0) found = &c;
  return found;
}

}  // namespace tether::as
