#pragma once
// DPoP keys kept in PEM files for shell use, so that `tether-client token --dpop --key-file F`
// and a later `tether-client call --dpop --key-file F` (or `proof`, for curl) sign with the same
// key, as RFC 9449 5 and 7 require of one client. PEM conversion is core/jose's.

#include <string>

#include "core/jose/jwk.hpp"
#include "core/util/result.hpp"

namespace tether::client {

// Reads the private key in path; when the file does not exist, creates a key suited to alg
// (ES256 when empty) and writes it there with mode 0600. created says which happened.
result<jose::jwk> load_or_create_key(const std::string& path, const std::string& alg, bool& created);

}  // namespace tether::client
