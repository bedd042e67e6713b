#pragma once
// An external RS under test must trust the suite's mock AS (targets/README.md "Test your
// resource server"): it has to be configured with the mock AS's issuer, JWKS URL (or its
// signing key), audience and, with introspection, the introspection endpoint. This starts the
// default mock AS of the run before the RS is launched (an RS fetches the keys at start), and
// says what to configure, on the console and in <out>/rs-trust.json for scripts.

#include <string>

#include <nlohmann/json.hpp>

#include "runner/knob_catalog.hpp"
#include "runner/mock_pool.hpp"
#include "runner/pinned_profiles.hpp"
#include "runner/progress.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

// Whether this run has an external RS that trusts a built-in AS.
bool needs_rs_trust(const target& t);

// Starts (acquires) the mock AS an external RS trusts and describes it: issuer, jwks_uri,
// audience, introspection endpoint and client id, the signing key file (with as.fixed) and the
// public keys served at jwks_uri. Never a secret.
result<nlohmann::json> describe_rs_trust(const target& t, mock_pool& pool, const knob_catalog& knobs,
                                         const std::string& certs_dir, const std::string& work_dir,
                                         const pinned_profiles* profiles = nullptr);

// The console lines for that description.
void print_rs_trust(const nlohmann::json& trust, const target& t, progress_printer& out);

}  // namespace tether::runner
