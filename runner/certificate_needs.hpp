#pragma once
// The client certificates a scenario presents, by name (certs/README.md), and why it cannot run
// against a target that maps its own certificates but not one of these (targets/README.md
// "Certificates"). The suite's own `client-a-rekeyed` paired with a target's own `client-a`
// would ask "same DN, other key" of two certificates with different DNs and CAs: a verdict about
// nothing. Such a scenario is `skip`, naming the certificate, never run with the suite's file.

#include <map>
#include <set>
#include <string>

#include "runner/scenario_model.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

// Every certificate name the steps present: a step's `cert`, else its client registration's
// (token, run_client), a forwarded certificate's `cert`, and `proxy` for a header forwarded by
// the trusted proxy hop (runner/step_resolver.cpp `resolve_step`, the same defaults).
std::set<std::string> certificates_used(const scenario& sc, const std::map<std::string, client_registration>& clients);

// "" when every certificate the scenario presents comes from one set: the suite's (the target
// maps none) or the target's own (it maps each one used).
std::string certificate_skip(const scenario& sc, const target& t);

}  // namespace tether::runner
