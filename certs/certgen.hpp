#pragma once
// The suite's certificate set, generated fresh with OpenSSL (no certificate with an expiry date
// is ever committed). Names and purposes are listed in certs/README.md; every program and test
// that needs a certificate calls ensure_suite_certificates() instead of generating its own.

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/result.hpp"

namespace tether::certs {

// Writes the whole set into dir (created if needed): <name>.crt (PEM), <name>.key (PEM PKCS#8)
// for each certificate, and manifest.json describing them. now: seconds since the epoch
// (0 = current time).
status generate_suite_certificates(const std::string& dir, int64_t now = 0);

// Generates the set unless dir already holds a complete one that stays valid for at least
// min_valid_s more seconds. Safe when several processes call it at once (writes to a temporary
// directory, then renames).
status ensure_suite_certificates(const std::string& dir, int64_t min_valid_s = 7 * 24 * 3600);

// Whether dir holds a complete, coherent set (every file present, each key matching its
// certificate, each certificate signed by its named issuer, thumbprints as in manifest.json)
// that stays valid for min_valid_s more seconds after now (0 = current time). The error names
// the first problem found.
status check_suite_certificates(const std::string& dir, int64_t min_valid_s = 7 * 24 * 3600,
                                int64_t now = 0);

// Generates a fresh set and swaps it in for whatever dir holds, with the same atomicity as
// ensure_suite_certificates().
status regenerate_suite_certificates(const std::string& dir);

// The names of the set, issuers first ("ca", "ca-2", "client-a", ...).
std::vector<std::string> suite_certificate_names();

}  // namespace tether::certs
