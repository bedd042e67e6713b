#pragma once
// Token profiles of the pinned mock AS (mocks/as/token_profiles.hpp). An external RS trusts one
// mock AS (one issuer, port and key: as.fixed), so a scenario cannot have its own AS with its own
// knobs. Instead the runner starts that one AS with a profile per distinct knob set of the
// scenarios it will run, each under a handle of 256 random bits that only the runner knows (the
// file is 0600 and removed once the AS read it); a scenario's token requests carry its handle in
// the Tether-Token-Profile header. Only knobs the AS marks per_token (tether-as --describe-knobs)
// can be chosen this way; a scenario that needs another knob stays a skip that names it.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/knob_catalog.hpp"

namespace tether::runner {

struct planned;

// "" when every knob of `as_knobs` can be chosen per token request; otherwise a skip reason
// naming the first knob that cannot. Without a catalogue, no knob can.
std::string per_token_problem(const nlohmann::json& as_knobs, const knob_catalog* knobs);

class pinned_profiles {
 public:
  // A profile for every distinct `mocks.as` of the scenarios in `plan` that will run.
  static pinned_profiles for_plan(const std::vector<planned>& plan);

  // The handle of a scenario's knob set, "" when it has none (or no profile was made for it).
  std::string handle_for(const nlohmann::json& as_knobs) const;
  // {"<handle>": {knobs}}: what the AS reads with --token-profiles.
  nlohmann::json file() const;
  bool empty() const { return by_knobs_.empty(); }

  // Adds a profile; `handle` "" draws a fresh one. Exposed for tests.
  std::string add(const nlohmann::json& as_knobs, std::string handle = "");

 private:
  std::map<std::string, std::pair<std::string, nlohmann::json>> by_knobs_;  // knobs.dump() -> handle, knobs
};

// 32 bytes from the kernel's CSPRNG (getrandom(2)), hex.
std::string random_handle();

}  // namespace tether::runner
