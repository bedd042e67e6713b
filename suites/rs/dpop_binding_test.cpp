// DPoP-bound tokens at the RS: RFC 9449 4.3 checks 1-12 with the resource's own URI, 7.1 (the
// scheme, the key binding, the challenge), 7.2 (no downgrade to Bearer), 11.1 (replay, window)
// and the emulation knobs of table 2.2 rows C, D, E and I.

#include <gtest/gtest.h>

#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

TEST(DpopBinding, BoundTokenWithItsProofIsAccepted) {
  world w;
  auto token = dpop_token();
  answer a = w.call(dpop(token, proof(token)));
  EXPECT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["binding"]["jkt"], "verified");
  EXPECT_EQ(a.body["scheme"], "DPoP");
  EXPECT_EQ(w.event()["dpop"]["check"], "ok");
  EXPECT_EQ(w.event()["dpop"]["jkt"], client_key().thumbprint());
  EXPECT_FALSE(a.nonce.has_value()) << "no nonce unless require_nonce";
}

TEST(DpopBinding, QueryIsIgnoredAndUriIsNormalised) {
  // 4.3 (9): query and fragment ignored; 6.2.2/6.2.3 normalisation (SHOULD).
  world w;
  auto token = dpop_token();
  EXPECT_EQ(w.call(dpop(token, proof(token), "/resource?x=1")).status, 200);
  proof_options o;
  o.url = "HTTPS://127.0.0.1:8443/resource";
  EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 200);
}

TEST(DpopBinding, ExtraClaimsAndHeaderParametersAreTolerated) {
  world w;
  auto token = dpop_token();
  proof_options o;
  o.defects.extra_claims = {{"foo", "bar"}};
  o.defects.extra_header = {{"kid", "k"}};
  EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 200);
}

TEST(DpopBinding, OtherMethodAndPathUseTheirOwnHtmAndHtu) {
  world w;
  auto token = dpop_token();
  proof_options o;
  o.method = "DELETE";
  o.url = origin + "/things/42";
  auto r = dpop(token, proof(token, o), "/things/42");
  r.method = "DELETE";
  EXPECT_EQ(w.call(r).status, 200);
}

struct defect_case {
  const char* name;
  std::function<void(proof_options&)> apply;
  const char* check;
};

void PrintTo(const defect_case& c, std::ostream* os) { *os << c.name; }

class ProofDefect : public ::testing::TestWithParam<defect_case> {};

TEST_P(ProofDefect, Is401InvalidDpopProofOnTheDpopChallenge) {
  const auto& c = GetParam();
  world w;
  auto token = dpop_token();
  proof_options o;
  c.apply(o);
  answer a = w.call(dpop(token, proof(token, o)));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "invalid_dpop_proof");
  EXPECT_EQ(a.error_on("Bearer"), "");
  EXPECT_TRUE(a.find("DPoP")->param("algs").has_value());
  EXPECT_EQ(w.event()["dpop"]["check"], c.check);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc9449_4_3, ProofDefect,
    ::testing::Values(
        defect_case{"malformed", [](proof_options& o) { o.defects.malformed = "not_jwt"; }, "malformed"},
        defect_case{"no_jti", [](proof_options& o) { o.defects.omit_claims = {"jti"}; }, "missing_claim"},
        defect_case{"no_iat", [](proof_options& o) { o.defects.omit_claims = {"iat"}; }, "missing_claim"},
        defect_case{"typ_jwt", [](proof_options& o) { o.defects.typ = "JWT"; }, "bad_typ"},
        defect_case{"alg_none", [](proof_options& o) { o.defects.alg = "none"; }, "bad_alg"},
        defect_case{"alg_hs256", [](proof_options& o) { o.defects.alg = "HS256"; }, "bad_alg"},
        defect_case{"bad_signature", [](proof_options& o) { o.defects.bad_signature = true; }, "bad_signature"},
        defect_case{"private_jwk", [](proof_options& o) { o.defects.private_jwk = true; }, "private_key"},
        defect_case{"htm_post", [](proof_options& o) { o.method = "POST"; }, "htm_mismatch"},
        defect_case{"htu_other_path", [](proof_options& o) { o.url = origin + "/other"; }, "htu_mismatch"},
        defect_case{"htu_other_host", [](proof_options& o) { o.url = "https://rs.example/resource"; }, "htu_mismatch"},
        defect_case{"htu_path_case", [](proof_options& o) { o.url = origin + "/RESOURCE"; }, "htu_mismatch"},
        defect_case{"iat_1h_old", [](proof_options& o) { o.iat = t0 - 3600; }, "iat_too_old"},
        defect_case{"iat_1h_ahead", [](proof_options& o) { o.iat = t0 + 3600; }, "iat_in_future"},
        defect_case{"no_ath", [](proof_options& o) { o.defects.omit_claims = {"ath"}; }, "ath_missing"},
        defect_case{"ath_other_token", [](proof_options& o) { o.defects.ath = "other_token"; }, "ath_mismatch"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(DpopBinding, IatTenSecondsEitherWayIsAccepted) {
  // The OIDF suite's must-pass cases (table 2.2 row J).
  world w;
  auto token = dpop_token();
  for (int64_t offset : {-10, 10}) {
    proof_options o;
    o.iat = t0 + offset;
    EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 200) << offset;
  }
}

TEST(DpopBinding, TwoDpopHeadersAreInvalidDpopProof) {
  // 4.3 (1).
  world w;
  auto token = dpop_token();
  auto r = dpop(token, proof(token));
  r.headers.add("DPoP", proof(token));
  answer a = w.call(r);
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "invalid_dpop_proof");
  EXPECT_EQ(w.event()["dpop"]["check"], "multiple");
  EXPECT_EQ(w.event()["dpop"]["count"], 2);
}

TEST(DpopBinding, BadProofStatusKnob) {
  // Table 2.2 row E: Auth0 answers 400.
  world w(with({{"bad_proof_status", "400"}}));
  auto token = dpop_token();
  proof_options o;
  o.defects.typ = "JWT";
  answer a = w.call(dpop(token, proof(token, o)));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error_on("DPoP"), "invalid_dpop_proof");
  EXPECT_EQ(w.knobs(), std::vector<std::string>{"bad_proof_status"});
}

TEST(DpopBinding, ProofFromAnotherKeyIsRefused) {
  // 4.3 (12) / 7.1: the 7.1 example answers invalid_token; the knob picks invalid_dpop_proof.
  auto token = dpop_token();
  proof_options o;
  o.key = &other_client_key();
  {
    world w;
    answer a = w.call(dpop(token, proof(token, o)));
    EXPECT_EQ(a.status, 401);
    EXPECT_EQ(a.error_on("DPoP"), "invalid_token");
    EXPECT_EQ(w.event()["binding"]["jkt"], "mismatch");
    EXPECT_EQ(w.event()["dpop"]["check"], "key_mismatch");
  }
  {
    world w(with({{"key_mismatch_error", "invalid_dpop_proof"}}));
    answer a = w.call(dpop(token, proof(token, o)));
    EXPECT_EQ(a.status, 401);
    EXPECT_EQ(a.error_on("DPoP"), "invalid_dpop_proof");
    EXPECT_EQ(w.knobs(), std::vector<std::string>{"key_mismatch_error"});
  }
}

TEST(DpopBinding, ReplayedProofIsRefused) {
  // 11.1: the same proof twice at the same URI.
  world w;
  auto token = dpop_token();
  auto p = proof(token);
  EXPECT_EQ(w.call(dpop(token, p)).status, 200);
  answer a = w.call(dpop(token, p));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "invalid_dpop_proof");
  EXPECT_EQ(w.event()["dpop"]["check"], "replayed");
  // A fresh proof still works (the "control").
  EXPECT_EQ(w.call(dpop(token, proof(token))).status, 200);
}

TEST(DpopBinding, ReplayErrorKnob) {
  // Row I: node-oidc-provider answers invalid_token.
  world w(with({{"replay_error", "invalid_token"}}));
  auto token = dpop_token();
  auto p = proof(token);
  w.call(dpop(token, p));
  answer a = w.call(dpop(token, p));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "invalid_token");
  EXPECT_EQ(w.knobs(), std::vector<std::string>{"replay_error"});
}

TEST(DpopBinding, RefusedCertificateDoesNotBurnTheProof) {
  // Both members, no certificate: refused before the proof is examined, so the same proof
  // works once the certificate is there.
  world w;
  auto token = both_token("client-a");
  auto p = proof(token);
  EXPECT_EQ(w.call(dpop(token, p), connection(nullptr)).status, 401);
  EXPECT_EQ(w.call(dpop(token, p), connection(cert("client-a"))).status, 200);
}

TEST(DpopBinding, DowngradeToBearerIsRefused) {
  // 7.2: MUST reject a DPoP-bound token received as a bearer token (row C).
  world w;
  auto token = dpop_token();
  answer a = w.call(bearer(token));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_token");
  EXPECT_EQ(a.error_on("DPoP"), "");
  EXPECT_EQ(w.event()["binding"]["jkt"], "missing");
  // Row C2: Bearer scheme with a DPoP proof next to it: ambiguous, error on both.
  auto r = bearer(token);
  r.headers.add("DPoP", proof(token));
  answer b = w.call(r);
  EXPECT_EQ(b.status, 401);
  EXPECT_EQ(b.error_on("Bearer"), "invalid_token");
  EXPECT_EQ(b.error_on("DPoP"), "invalid_token");
  // Through the query the same token is still a bearer presentation.
  EXPECT_EQ(w.call(request("/resource?access_token=" + token)).status, 401);
}

TEST(DpopBinding, DowngradeResponseKnob) {
  world w(with({{"downgrade_response", "400_invalid_request"}}));
  answer a = w.call(bearer(dpop_token()));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.error_on("Bearer"), "invalid_request");
  EXPECT_EQ(w.knobs(), std::vector<std::string>{"downgrade_response"});
}

TEST(DpopBinding, UnboundTokenWithDpopSchemeIsRefused) {
  // 7.1: the proof key must match the key the token is bound to; a bearer token has none.
  world w;
  auto token = bearer_token();
  answer a = w.call(dpop(token, proof(token)));
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.error_on("DPoP"), "invalid_token");
  // An x5t#S256-only token under the DPoP scheme: not DPoP-bound either.
  auto mtls = mtls_token("client-a");
  EXPECT_EQ(w.call(dpop(mtls, proof(mtls)), connection(cert("client-a"))).status, 401);
}

TEST(DpopBinding, UnboundBearerTokenNextToADpopHeaderIsABearerToken) {
  // Nothing is bound, so nothing is downgraded: the proof is not the token's business.
  world w;
  auto token = bearer_token();
  auto r = bearer(token);
  r.headers.add("DPoP", "garbage");
  EXPECT_EQ(w.call(r).status, 200);
}

TEST(DpopBinding, WindowKnobs) {
  auto token = dpop_token();
  {
    world w(with({{"dpop_max_age_s", 20}}));
    proof_options o;
    o.iat = t0 - 25;  // Keycloak's 25 s window would still take it; 20 s does not
    EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 401);
    EXPECT_EQ(w.event()["dpop"]["check"], "iat_too_old");
  }
  {
    world w(with({{"dpop_max_future_s", 0}}));
    proof_options o;
    o.iat = t0 + 5;
    EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 401);
    EXPECT_EQ(w.event()["dpop"]["check"], "iat_in_future");
  }
}

TEST(DpopBinding, ClockOffsetShiftsTheServerClock) {
  world w(with({{"clock_offset_s", 400}}));
  auto c = claims();
  c["exp"] = t0 + 3600;
  c["cnf"] = {{"jkt", client_key().thumbprint()}};
  auto token = issue(c);
  answer a = w.call(dpop(token, proof(token)));  // iat t0, server thinks t0+400
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(w.event()["dpop"]["check"], "iat_too_old");
  proof_options o;
  o.iat = t0 + 400;
  EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 200);
  auto knobs = w.knobs();
  EXPECT_NE(std::find(knobs.begin(), knobs.end(), "clock_offset_s"), knobs.end());
}

TEST(DpopBinding, AlgsKnobLimitsProofAlgorithmsAndTheChallenge) {
  world w(with({{"dpop_algs", "ES384"}}));
  auto token = dpop_token();
  answer a = w.call(dpop(token, proof(token)));  // ES256 proof
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(w.event()["dpop"]["check"], "bad_alg");
  EXPECT_EQ(a.find("DPoP")->param("algs").value_or(""), "ES384");
}

TEST(DpopBinding, PublicOriginIsTheHtuBase) {
  world w(with({{"public_origin", "https://api.example.com"}}));
  auto token = dpop_token();
  EXPECT_EQ(w.call(dpop(token, proof(token))).status, 401);  // htu names the listener
  proof_options o;
  o.url = "https://api.example.com/resource";
  EXPECT_EQ(w.call(dpop(token, proof(token, o))).status, 200);
}

}  // namespace
}  // namespace tether::rs::testing
