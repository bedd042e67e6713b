#pragma once
// Token profiles: the token-shaping knobs one token request may select, so that a pinned AS (one
// issuer, one port, one signing key, which an external RS under test trusts) issues every
// scenario's token shape without a restart. The runner writes the profiles into a file only it
// can read (mode 0600, removed once the AS is ready) under handles of 256 random bits; a token
// request selects one with the header `Tether-Token-Profile: <handle>`. Nobody else knows a
// handle, so nobody else can make this AS break a MUST. Only knobs that change the token an AS
// issues for that one request are allowed (per_token_knobs); knobs that change endpoints,
// nonces or client authentication stay process-wide.

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "mocks/as/as_config.hpp"

namespace tether::as {

// The request header naming a profile.
inline constexpr const char* token_profile_header = "Tether-Token-Profile";

// The knobs a profile may set: they act only where one token request is answered
// (token_binding.cpp, token_issue.cpp).
const std::set<std::string>& per_token_knobs();

// The knob table as --describe-knobs prints it: each per-token knob has "per_token": true.
nlohmann::json describe_knobs();

class token_profiles {
 public:
  // {"<handle>": {"knob": value, ...}, ...}; each profile is `base` with its knobs applied.
  // Handles shorter than 32 characters, knobs outside per_token_knobs() and bad values are
  // errors naming `where` and the handle's position (never the handle).
  static result<token_profiles> parse(const nlohmann::json& file, const as_config& base, const std::string& where);
  static result<token_profiles> load(const std::string& path, const as_config& base);

  bool empty() const { return by_handle_.empty(); }
  std::size_t size() const { return by_handle_.size(); }
  // The profile of `handle`, or nullptr. Every handle is compared in constant time.
  const as_config* find(const std::string& handle) const;

 private:
  std::map<std::string, as_config> by_handle_;
};

}  // namespace tether::as
