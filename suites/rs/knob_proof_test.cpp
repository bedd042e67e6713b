// Every knob does what its description says. A "breaks" knob turns a refusal the RFCs demand
// into an acceptance (and the event names it); an "emulates" knob changes the answer to
// another one a real server gives. The completeness tests fail when a knob is added to the
// table without a proof here: a knob that silently does nothing would turn the catalogue's
// "must reject" scenarios into false passes.

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "core/jose/jws.hpp"
#include "core/tls/forwarded_cert.hpp"
#include "rs_test_support.hpp"

namespace tether::rs::testing {
namespace {

using knob_list = std::vector<std::pair<const char*, nlohmann::json>>;

rs_config config_of(const knob_list& knobs) {
  rs_config c;
  for (const auto& [name, value] : knobs) {
    if (status s = rs_knobs().set(c, name, value); !s) ADD_FAILURE() << s.err().message;
  }
  return c;
}

struct knob_case {
  const char* name;      // test name
  const char* knob;
  nlohmann::json value;
  knob_list base;        // settings both worlds share
  std::function<answer(world&)> probe;
};

answer dpop_with(const std::function<void(proof_options&)>& change, world& w,
                 const std::string& token = dpop_token()) {
  proof_options o;
  change(o);
  return w.call(dpop(token, proof(token, o)));
}

const std::vector<knob_case>& break_cases() {
  static const std::vector<knob_case> cases = {
      {"skip_ath_check", "skip_ath_check", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.defects.ath = "other_token"; }, w); }},
      {"skip_cnf_check_dpop", "skip_cnf_check", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.key = &other_client_key(); }, w); }},
      {"skip_cnf_check_cert", "skip_cnf_check", true, {},
       [](world& w) { return w.call(bearer(mtls_token("client-a")), connection(cert("client-b"))); }},
      {"accept_private_jwk", "accept_private_jwk", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.defects.private_jwk = true; }, w); }},
      {"no_replay_cache", "no_replay_cache", true, {},
       [](world& w) {
         auto token = dpop_token();
         auto p = proof(token);
         EXPECT_EQ(w.call(dpop(token, p)).status, 200) << "first use";
         return w.call(dpop(token, p));
       }},
      {"accept_missing_claims_jti", "accept_missing_claims", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.defects.omit_claims = {"jti"}; }, w); }},
      {"accept_missing_claims_htm_htu", "accept_missing_claims", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.defects.omit_claims = {"htm", "htu"}; }, w); }},
      {"accept_missing_claims_typ_iat_ath", "accept_missing_claims", true, {},
       [](world& w) {
         return dpop_with([](proof_options& o) {
           o.defects.omit_header = {"typ"};
           o.defects.omit_claims = {"iat", "ath"};
         }, w);
       }},
      {"replay_key_whole_proof", "replay_key_whole_proof", true, {},
       [](world& w) {
         // A fresh proof (another iat, another signature) that repeats the accepted one's jti.
         auto token = dpop_token();
         proof_options first;
         first.defects.jti = "jti-used-once";
         EXPECT_EQ(w.call(dpop(token, proof(token, first))).status, 200) << "first use";
         proof_options fresh = first;
         fresh.iat = t0 - 1;
         return w.call(dpop(token, proof(token, fresh)));
       }},
      {"htu_from_x_forwarded_host", "htu_from_forwarded_headers", true, {},
       [](world& w) {
         auto token = dpop_token();
         proof_options o;
         o.url = "https://rs.attacker.tether.test/resource";
         auto r = dpop(token, proof(token, o));
         r.headers.add("X-Forwarded-Host", "rs.attacker.tether.test");
         return w.call(r);
       }},
      {"htu_from_x_forwarded_proto", "htu_from_forwarded_headers", true, {},
       [](world& w) {
         auto token = dpop_token();
         proof_options o;
         o.url = "http://127.0.0.1:8443/resource";
         auto r = dpop(token, proof(token, o));
         r.headers.add("X-Forwarded-Proto", "http");
         return w.call(r);
       }},
      {"htu_from_forwarded", "htu_from_forwarded_headers", true, {},
       [](world& w) {
         auto token = dpop_token();
         proof_options o;
         o.url = "https://rs.attacker.tether.test:444/resource";
         auto r = dpop(token, proof(token, o));
         r.headers.add("Forwarded", "for=192.0.2.60;proto=https;host=\"rs.attacker.tether.test:444\", for=10.0.0.1");
         return w.call(r);
       }},
      {"accept_bearer_downgrade", "accept_bearer_downgrade", true, {},
       [](world& w) { return w.call(bearer(dpop_token())); }},
      {"accept_bearer_downgrade_with_proof", "accept_bearer_downgrade", true, {},
       [](world& w) {
         auto token = dpop_token();
         auto r = bearer(token);
         r.headers.add("DPoP", proof(token));
         return w.call(r);
       }},
      {"case_insensitive_htu", "case_insensitive_htu", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.url = origin + "/RESOURCE"; }, w); }},
      {"trust_any_proxy_header", "trust_any_proxy_header", true, {},
       [](world& w) {
         auto r = bearer(mtls_token("client-a"));
         r.headers.add("Client-Cert", tls::format_forwarded_certificate(tls::forwarded_format::rfc9440,
                                                                        *cert("client-a")));
         return w.call(r, connection(nullptr));
       }},
      {"trust_any_proxy_header_xfcc", "trust_any_proxy_header", true, {{"trusted_proxy", "xfcc"}},
       [](world& w) {
         auto r = bearer(mtls_token("client-a"));
         r.headers.add("X-Forwarded-Client-Cert",
                       tls::format_forwarded_certificate(tls::forwarded_format::xfcc, *cert("client-a")));
         return w.call(r, connection(cert("client-b")));
       }},
      {"skip_htm_check", "skip_htm_check", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.method = "POST"; }, w); }},
      {"skip_htu_check", "skip_htu_check", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.url = "https://other.example/x"; }, w); }},
      {"skip_iat_check_old", "skip_iat_check", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.iat = t0 - 86400; }, w); }},
      {"skip_iat_check_future", "skip_iat_check", true, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.iat = t0 + 86400; }, w); }},
      {"skip_nonce_check", "skip_nonce_check", true, {{"require_nonce", true}},
       [](world& w) { return dpop_with([](proof_options&) {}, w); }},
      {"skip_nonce_check_foreign", "skip_nonce_check", true, {{"require_nonce", true}},
       [](world& w) { return dpop_with([](proof_options& o) { o.nonce = "not-from-this-rs"; }, w); }},
      {"skip_token_signature_check", "skip_token_signature_check", true, {},
       [](world& w) { return w.call(bearer(issue(claims(), rogue_as_key()))); }},
      {"skip_token_signature_check_alg_none", "skip_token_signature_check", true, {},
       [](world& w) {
         return w.call(bearer(jose::assemble_compact(R"({"typ":"at+jwt","alg":"none"})", claims().dump(), "")));
       }},
      {"skip_audience_check", "skip_audience_check", true, {},
       [](world& w) {
         auto c = claims();
         c["aud"] = "another-rs";
         return w.call(bearer(issue(c)));
       }},
      {"accept_any_token_typ", "accept_any_token_typ", true, {},
       [](world& w) {
         auto t = jose::sign_compact({{"typ", "JWT"}, {"alg", "ES256"}, {"kid", "as-1"}}, claims().dump(),
                                     as_key(), "ES256");
         return w.call(bearer(t ? *t : ""));
       }},
      {"accept_unbound_dpop_scheme", "accept_unbound_dpop_scheme", true, {},
       [](world& w) { return dpop_with([](proof_options&) {}, w, bearer_token()); }},
      {"accept_missing_cert", "accept_missing_cert", true, {},
       [](world& w) { return w.call(bearer(mtls_token("client-a")), connection(nullptr)); }},
  };
  return cases;
}

void PrintTo(const knob_case& c, std::ostream* os) { *os << c.name; }

class BreakKnob : public ::testing::TestWithParam<knob_case> {};

TEST_P(BreakKnob, CorrectServerRefusesBrokenOneAccepts) {
  const auto& c = GetParam();
  {
    world correct(config_of(c.base));
    answer a = c.probe(correct);
    EXPECT_GE(a.status, 400) << "without " << c.knob << " the request must be refused";
    EXPECT_LT(a.status, 500);
  }
  knob_list broken = c.base;
  broken.emplace_back(c.knob, c.value);
  world w(config_of(broken));
  answer a = c.probe(w);
  EXPECT_EQ(a.status, 200) << c.knob << " must let the request through: " << a.body.dump();
  auto knobs = w.knobs();
  EXPECT_NE(std::find(knobs.begin(), knobs.end(), c.knob), knobs.end())
      << "the event must name " << c.knob << "; it names " << nlohmann::json(knobs).dump();
  if (a.body.contains("knobs")) {
    EXPECT_NE(std::find(a.body["knobs"].begin(), a.body["knobs"].end(), c.knob), a.body["knobs"].end());
  }
}

INSTANTIATE_TEST_SUITE_P(All, BreakKnob, ::testing::ValuesIn(break_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BreakKnob, NotNamedWhenItChangedNothing) {
  // A correct request through a broken server: the knob was in effect but did not matter.
  world w(config_of({{"skip_ath_check", true}, {"no_replay_cache", true}, {"skip_iat_check", true},
                     {"accept_missing_claims", true}, {"htu_from_forwarded_headers", true}}));
  auto token = dpop_token();
  answer a = w.call(dpop(token, proof(token)));
  EXPECT_EQ(a.status, 200);
  EXPECT_TRUE(w.knobs().empty()) << nlohmann::json(w.knobs()).dump();
}

TEST(BreakKnob, ReplayKeyWholeProofStillRefusesTheSameProof) {
  // The defect keeps the identical-replay check, so only a fresh proof with a used jti shows it
  // (scenario rfc9449/11.1/rs-rejects-reused-jti-fresh-proof), not a replay of the same bytes.
  world w(config_of({{"replay_key_whole_proof", true}}));
  auto token = dpop_token();
  auto p = proof(token);
  EXPECT_EQ(w.call(dpop(token, p)).status, 200) << "first use";
  answer again = w.call(dpop(token, p));
  EXPECT_EQ(again.status, 401);
  EXPECT_TRUE(w.knobs().empty()) << nlohmann::json(w.knobs()).dump();
}

TEST(BreakKnob, ForwardedHeadersAreNotNamedWhenTheyMatchTheServedUri) {
  // A forwarding field that names the RS's own origin changes nothing, so the knob is not named.
  world w(config_of({{"htu_from_forwarded_headers", true}}));
  auto token = dpop_token();
  auto r = dpop(token, proof(token));
  r.headers.add("X-Forwarded-Host", "127.0.0.1:8443");
  EXPECT_EQ(w.call(r).status, 200);
  EXPECT_TRUE(w.knobs().empty()) << nlohmann::json(w.knobs()).dump();
}

TEST(BreakKnob, EveryBreakKnobHasAProof) {
  std::set<std::string> proven;
  for (const auto& c : break_cases()) proven.insert(c.knob);
  for (const auto& e : rs_knobs().entries()) {
    if (e.kind == mocks::knob_kind::breaks) {
      EXPECT_TRUE(proven.count(e.name)) << e.name << " has no proof";
    }
  }
}

// --- emulation knobs: a different, documented answer -----------------------------------------

const std::vector<knob_case>& emulation_cases() {
  static const std::vector<knob_case> cases = {
      {"missing_cert_response", "missing_cert_response", "400_invalid_request", {},
       [](world& w) { return w.call(bearer(mtls_token("client-a")), connection(nullptr)); }},
      {"bad_proof_status", "bad_proof_status", "400", {},
       [](world& w) { return dpop_with([](proof_options& o) { o.defects.typ = "JWT"; }, w); }},
      {"dpop_scheme_without_proof", "dpop_scheme_without_proof", "401_invalid_dpop_proof", {},
       [](world& w) {
         auto r = request();
         r.headers.add("Authorization", "DPoP " + dpop_token());
         return w.call(r);
       }},
      {"downgrade_response", "downgrade_response", "400_invalid_request", {},
       [](world& w) { return w.call(bearer(dpop_token())); }},
      {"key_mismatch_error", "key_mismatch_error", "invalid_dpop_proof", {},
       [](world& w) { return dpop_with([](proof_options& o) { o.key = &other_client_key(); }, w); }},
      {"replay_error", "replay_error", "invalid_token", {},
       [](world& w) {
         auto token = dpop_token();
         auto p = proof(token);
         w.call(dpop(token, p));
         return w.call(dpop(token, p));
       }},
      {"dpop_max_age_s", "dpop_max_age_s", 10, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.iat = t0 - 20; }, w); }},
      {"dpop_max_future_s", "dpop_max_future_s", 0, {},
       [](world& w) { return dpop_with([](proof_options& o) { o.iat = t0 + 20; }, w); }},
      {"clock_offset_s", "clock_offset_s", -600, {},
       [](world& w) { return dpop_with([](proof_options&) {}, w); }},
      {"htu_comparison", "htu_comparison", "exact", {},
       [](world& w) { return dpop_with([](proof_options& o) { o.url = "HTTPS://127.0.0.1:8443/resource"; }, w); }},
      {"challenge_extra_param", "challenge_extra_param", "x=1", {},
       [](world& w) { return w.call(request()); }},
      {"cnf_policy", "cnf_policy", "first", {},
       [](world& w) {
         auto token = both_token("client-a");
         return w.call(dpop(token, proof(token)), connection(nullptr));
       }},
  };
  return cases;
}

class EmulationKnob : public ::testing::TestWithParam<knob_case> {};

TEST_P(EmulationKnob, ChangesTheAnswer) {
  const auto& c = GetParam();
  world correct(config_of(c.base));
  answer before = c.probe(correct);
  knob_list changed = c.base;
  changed.emplace_back(c.knob, c.value);
  world w(config_of(changed));
  answer after = c.probe(w);
  EXPECT_TRUE(before.status != after.status || before.www_authenticate != after.www_authenticate)
      << c.knob << " changed nothing: " << after.status << " " << after.www_authenticate;
  auto knobs = w.knobs();
  EXPECT_NE(std::find(knobs.begin(), knobs.end(), c.knob), knobs.end()) << c.knob;
}

INSTANTIATE_TEST_SUITE_P(All, EmulationKnob, ::testing::ValuesIn(emulation_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(EmulationKnob, EveryEmulationKnobHasAProof) {
  std::set<std::string> proven;
  for (const auto& c : emulation_cases()) proven.insert(c.knob);
  for (const auto& e : rs_knobs().entries()) {
    if (e.kind == mocks::knob_kind::emulates) {
      EXPECT_TRUE(proven.count(e.name)) << e.name << " has no proof";
    }
  }
}

}  // namespace
}  // namespace tether::rs::testing
