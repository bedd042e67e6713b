#pragma once
// The access-token signing key. Kept in a file so that a resource server under test is
// configured once (design 5: fixed issuer, port and key); generated into that file on first use,
// never shipped with the repository.

#include <string>

#include "core/jose/jwk.hpp"
#include "core/util/result.hpp"

namespace tether::as {

// path empty: a fresh key in memory. path missing: a fresh key, written there (PKCS#8 PEM,
// mode 0600). path present: its private key, which must suit alg. The key gets kid (its RFC 7638
// thumbprint), alg and use "sig".
result<jose::jwk> load_signing_key(const std::string& path, const std::string& alg);

}  // namespace tether::as
