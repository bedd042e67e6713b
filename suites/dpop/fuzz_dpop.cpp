// libFuzzer entry point for the DPoP verifier: the input is one DPoP header value or, split on
// NUL bytes, several. Each is judged twice under a fixed policy with a replay cache and a nonce
// service: as a token request, and as a resource request with an access token and a cnf.jkt
// (so that the ath and key-binding paths run too). Nothing may crash, leak or hang.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/dpop/nonce_service.hpp"
#include "core/dpop/proof_verifier.hpp"
#include "core/dpop/replay_cache.hpp"

namespace {

using namespace tether::dpop;

// The RFC 9449 examples' time, so that the seed corpus's copies of them verify.
constexpr int64_t now = 1562262620;

verify_policy& policy() {
  static nonce_service nonces(300);
  static replay_cache replay(4096);  // small: eviction runs often under fuzzing
  static verify_policy p = [] {
    verify_policy v;
    v.nonces = &nonces;
    v.replay = &replay;
    return v;
  }();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> headers;
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      headers.push_back(std::move(current));
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  headers.push_back(std::move(current));

  proof_request token_request;
  token_request.dpop_headers = headers;
  token_request.method = "POST";
  token_request.url = "https://server.example.com/token";
  const auto first = verify_proof(token_request, policy(), now);

  // RFC 9449 7.1's resource request, token and 6.1's cnf.jkt.
  proof_request resource_request;
  resource_request.dpop_headers = std::move(headers);
  resource_request.method = "GET";
  resource_request.url = "https://resource.example.org/protectedresource";
  resource_request.access_token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
  resource_request.bound_jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
  const auto second = verify_proof(resource_request, policy(), now);

  // A verdict always names its check, and a failure always says why.
  if (to_string(first.check)[0] == '\0' || to_string(second.check)[0] == '\0') __builtin_trap();
  if ((!first.ok() && first.detail.empty()) || (!second.ok() && second.detail.empty())) {
    __builtin_trap();
  }
  return 0;
}
