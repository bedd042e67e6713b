// Known answers from the RFC 9449 text (shared/reference/rfc, same section numbers): the example
// proofs are real signed JWTs, so they exercise the whole verifier against values its authors
// computed, not values this code produced.

#include <gtest/gtest.h>

#include "core/dpop/proof_builder.hpp"
#include "core/dpop/proof_verifier.hpp"
#include "core/jose/jwk.hpp"
#include "dpop_test_support.hpp"

namespace tether::dpop {
namespace {

// Section 4.1, figure "Example DPoP header" (token request, iat 1562262616).
const std::string rfc_token_proof =
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik"
    "VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR"
    "nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE"
    "QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIj"
    "oiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwia"
    "WF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg"
    "4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";

// Section 7.1, figure "DPoP Protected Resource Request" (iat 1562262618, with ath).
const std::string rfc_resource_proof =
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik"
    "VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR"
    "nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE"
    "QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIj"
    "oiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0Z"
    "WRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNF"
    "c05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71E"
    "OptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";

// Section 4.2, figure "Example JWT content of a DPoP proof": the proof key.
const nlohmann::json rfc_proof_jwk = {{"kty", "EC"},
                                      {"x", "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs"},
                                      {"y", "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"},
                                      {"crv", "P-256"}};

// Section 6.1, figure "JWT Claims Set with a JWK SHA-256 Thumbprint Confirmation": cnf.jkt, "the
// hash of the public key from the DPoP proofs in the examples".
const std::string rfc_jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

// Section 7.1: the access token in "Authorization: DPoP ..." and the ath of the proof sent with it.
const std::string rfc_access_token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
const std::string rfc_ath = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo";

TEST(known_answer, jkt_of_the_example_proof_key) {
  auto key = jose::jwk::parse(rfc_proof_jwk);
  ASSERT_TRUE(key.ok()) << key.err().message;
  EXPECT_EQ(key->thumbprint(), rfc_jkt);
  auto from_json = jose::thumbprint_of(rfc_proof_jwk);
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(*from_json, rfc_jkt);
}

TEST(known_answer, ath_of_the_example_access_token) {
  EXPECT_EQ(access_token_hash(rfc_access_token), rfc_ath);
}

TEST(known_answer, example_token_request_proof_verifies) {
  proof_request request;
  request.dpop_headers = {rfc_token_proof};
  request.method = "POST";
  request.url = "https://server.example.com/token";
  const auto verdict = verify_proof(request, verify_policy{}, 1562262616);
  EXPECT_EQ(verdict.check, proof_check::ok) << verdict.detail;
  EXPECT_EQ(verdict.jkt, rfc_jkt);
  EXPECT_EQ(verdict.claims.value("jti", ""), "-BwC3ESc6acc2lTc");
}

TEST(known_answer, example_resource_proof_verifies_with_its_token_and_binding) {
  proof_request request;
  request.dpop_headers = {rfc_resource_proof};
  request.method = "GET";
  request.url = "https://resource.example.org/protectedresource";
  request.access_token = rfc_access_token;
  request.bound_jkt = rfc_jkt;
  const auto verdict = verify_proof(request, verify_policy{}, 1562262618);
  EXPECT_EQ(verdict.check, proof_check::ok) << verdict.detail;
  EXPECT_EQ(verdict.claims.value("ath", ""), rfc_ath);
}

TEST(known_answer, example_resource_proof_with_another_token_fails_ath) {
  proof_request request;
  request.dpop_headers = {rfc_resource_proof};
  request.method = "GET";
  request.url = "https://resource.example.org/protectedresource";
  request.access_token = rfc_access_token + "x";
  const auto verdict = verify_proof(request, verify_policy{}, 1562262618);
  EXPECT_EQ(verdict.check, proof_check::ath_mismatch) << verdict.detail;
}

TEST(known_answer, example_proof_an_hour_later_is_too_old) {
  proof_request request;
  request.dpop_headers = {rfc_token_proof};
  request.method = "POST";
  request.url = "https://server.example.com/token";
  const auto verdict = verify_proof(request, verify_policy{}, 1562262616 + 3600);
  EXPECT_EQ(verdict.check, proof_check::iat_too_old) << verdict.detail;
}

}  // namespace
}  // namespace tether::dpop
