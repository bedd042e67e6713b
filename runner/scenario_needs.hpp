#pragma once
// The capabilities a scenario's steps need (targets/README.md "Capabilities"), read from what
// the steps do and from the client registrations they name, so that a scenario that forgot one
// in `requires` is still `skip` against a target without it, and the catalogue's own `requires`
// can be checked against its steps (suites/runner/needs_test.cpp).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "runner/scenario_model.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

// Capabilities of the role under test only: an RS scenario that gets its token from the mock AS
// with client_secret_basic needs nothing of the RS for that, but a DPoP proof on the token makes
// it need `dpop`. `clients` gives each registration's authentication method and binding.
std::set<std::string> derived_needs(const scenario& sc, const std::map<std::string, client_registration>& clients);

// derived_needs less what `requires` (or, for nonces, `environment`) already says: empty for a
// well-declared scenario.
std::vector<std::string> undeclared_needs(const scenario& sc, const std::map<std::string, client_registration>& clients);

// The kinds of access token an RS scenario presents to the RS, by binding: "none" (a plain
// Bearer token), "dpop" (cnf.jkt) and "mtls" (cnf.x5t#S256), read from its token steps.
std::set<std::string> token_bindings_used(const scenario& sc, const std::map<std::string, client_registration>& clients);

// True when a request of the scenario to the RS presents a client certificate (a resource step's
// `cert`, or by default the certificate its token was obtained with: RFC 8705 3).
bool presents_certificate_to_rs(const scenario& sc, const std::map<std::string, client_registration>& clients);

// Why an RS scenario cannot run against what the target's RS declares it serves
// (targets/README.md: rs.token_bindings and rs.client_cert_mode), "" when it can: a control that
// cannot succeed by construction is a `skip` with this reason, never an `error`.
std::string rs_declaration_skip(const scenario& sc, const target& t);

}  // namespace tether::runner
