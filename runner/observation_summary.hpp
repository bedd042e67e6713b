#pragma once
// The `summary` the runner adds to every observation before judging (docs/client-protocol.md):
// the outcome class of the answer and the values expectations compare (status, error, scheme).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/scenario_result.hpp"

namespace tether::runner {

// Outcome classes (scenarios/README.md "Expectations"): a 2xx answer is `accept`, a 4xx
// `reject`, a 3xx or 5xx `unexpected`; with no answer, a refusal during the TLS handshake (or an
// alert right after it: a TLS 1.3 server refuses a client certificate after the client has
// finished) is `tls_reject`, a failed connect `unreachable`, the client's deadline `timeout`,
// and a connection closed without an alert `unexpected`, as is a handshake with a server that
// does not speak TLS or whose certificate the suite does not trust (the suite cannot judge those:
// observation_error in judge.hpp).
nlohmann::json summarize_observation(const nlohmann::json& observation);

// Every `error` the answer carries: each challenge's error auth-param, then the JSON body's.
std::vector<std::string> observed_errors(const nlohmann::json& observation);

// The schemes of the answer's challenges, in order.
std::vector<std::string> observed_schemes(const nlohmann::json& observation);

// A result's answer, from its last probe step (null when no probe was observed): `outcome`,
// `status`, `error`, `scheme`, `schemes` (only with several challenges), `error_description`,
// `algs`, `token_type`, `cnf`, `tls` (only for a refusal at the TLS layer). The report's
// `observed`, the matrix's cells and the expectations' `observed` pins read this.
nlohmann::json observed_answer(const scenario_result& r);

}  // namespace tether::runner
