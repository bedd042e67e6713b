#pragma once
// The DPoP proofs of one request (RFC 9449 4.2): the key from the run, the nonce chosen by the
// step's `nonce` mode from what this server sent last (8, 9), htm/htu/ath from the request,
// and the defects of the step applied by core/dpop's builder. Every attempt gets fresh proofs
// (a new jti), as a retry must (11.1).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/message.hpp"
#include "core/util/result.hpp"
#include "mocks/client/run_state.hpp"
#include "mocks/client/step_model.hpp"

namespace tether::client {

struct proof_target {
  std::string htm;                          // the request method
  std::string htu;                          // the request URL; the builder strips query/fragment
  std::optional<std::string> access_token;  // at a resource: ath is its hash (4.2, 7)
};

struct made_proofs {
  std::vector<std::string> values;  // one DPoP field value per header
  nlohmann::json observed;          // {"header", "claims", "jkt", "defects", "count"[, "proofs"]}
};

// The nonce the proof carries: auto = the last one this origin sent (none if it sent none),
// none = no nonce, anything else is the literal value.
std::optional<std::string> nonce_for(const proof_options& options, const run_state& state,
                                     const std::string& origin);

// A scenario cannot know the URL it will call (servers listen on ephemeral ports), so an `htu`
// defect may name parts of the correct htu: {url} (scheme://host:port/path, no query or
// fragment), {origin}, {scheme}, {authority} (host and port as the URL writes them, so no port
// when it has none), {host}, {port}, {path}. "HTTPS://{host}:{port}{path}" is the same URI with
// an upper-case scheme (RFC 3986 6.2.2.1), "{origin}/other" another path, "http://{authority}{path}"
// the same authority under another scheme. An unknown {name} is an error naming it.
result<std::string> expand_htu_pattern(const std::string& pattern, const std::string& correct_htu);

// now: seconds since the epoch (the iat).
result<made_proofs> make_proofs(run_state& state, const proof_options& options, const proof_target& target,
                                const std::optional<std::string>& nonce, int64_t now);

// Adds the fields under options.header_name (its case as given: field names are
// case-insensitive, RFC 9110 5.1, and a server must not care).
void add_proof_headers(http::request& req, const proof_options& options, const made_proofs& proofs);

int64_t unix_seconds();

}  // namespace tether::client
