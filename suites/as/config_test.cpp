// The knob table, config files, the client registry and the signing key: what tether-as reads
// before it serves anything, and the messages it gives for bad input.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "as_test_support.hpp"
#include "core/jose/base64url.hpp"
#include "mocks/as/client_registry.hpp"
#include "mocks/as/signing_key.hpp"
#include "mocks/common/mock_cli.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

const json* described(const json& table, const std::string& name) {
  for (const auto& k : table)
    if (k["name"] == name) return &k;
  return nullptr;
}

TEST(AsKnobTable, HasTheNamesScenariosUseWithTheirKinds) {
  const json table = knobs().describe();
  const std::map<std::string, std::vector<std::string>> expected = {
      {"setting", {"require_nonce", "mtls_client_cert_mode", "token_format", "signing_alg",
                   "access_token_lifetime_s", "publish_mtls_aliases", "audience"}},
      {"emulates", {"mtls_and_dpop", "missing_cert_policy", "missing_cert_error", "bad_proof_error",
                    "dpop_jkt_mismatch_error", "dpop_bound_without_proof_error", "dpop_max_age_s",
                    "dpop_max_future_s", "clock_offset_s"}},
      {"breaks", {"omit_cnf", "pad_x5t", "x5t_standard_base64", "token_type_bearer_for_dpop",
                  "accept_invalid_proof", "skip_chain_validation", "skip_subject_check", "ignore_dpop_bound",
                  "skip_refresh_binding_check", "skip_dpop_jkt_check", "introspection_omit_cnf",
                  "no_replay_cache", "replay_key_whole_proof", "skip_nonce_check", "plain_jwt_typ_client"}},
  };
  for (const auto& [kind, names] : expected) {
    for (const auto& name : names) {
      const json* k = described(table, name);
      ASSERT_NE(k, nullptr) << name;
      EXPECT_EQ((*k)["kind"], kind) << name;
      EXPECT_FALSE((*k)["description"].get<std::string>().empty()) << name;
    }
  }
}

TEST(AsKnobTable, DefaultsAreTheCorrectBehaviour) {
  as_config c;
  EXPECT_TRUE(knobs().changed(c).empty());
  for (const auto& k : knobs().describe()) {
    if (k["kind"] == "breaks") {
      // Off: false for a flag, "" for a knob that names whom to break (plain_jwt_typ_client).
      EXPECT_TRUE(k["default"] == false || k["default"] == "") << k["name"] << ": " << k["default"];
    }
  }
  EXPECT_EQ(c.token_format, "jwt");
  EXPECT_EQ(c.signing_alg, "ES256");
  EXPECT_EQ(c.audience, "tether-rs");
  EXPECT_EQ(c.bad_proof_error, "invalid_dpop_proof");  // RFC 9449 5
  EXPECT_EQ(c.mtls_and_dpop, "reject");
}

TEST(AsKnobTable, AssignParsesByKindAndNamesBadInput) {
  as_config c;
  EXPECT_TRUE(knobs().assign(c, "pad_x5t=true"));
  EXPECT_TRUE(c.pad_x5t);
  EXPECT_TRUE(knobs().assign(c, "dpop_max_age_s=25"));
  EXPECT_EQ(c.dpop_max_age_s, 25);
  EXPECT_TRUE(knobs().assign(c, "mtls_and_dpop=bind_both"));
  EXPECT_EQ(c.mtls_and_dpop, "bind_both");

  auto unknown = knobs().assign(c, "no_such_knob=1");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.err().message.find("no_such_knob"), std::string::npos);
  auto bad_choice = knobs().assign(c, "mtls_and_dpop=maybe");
  ASSERT_FALSE(bad_choice);
  EXPECT_NE(bad_choice.err().message.find("mtls_and_dpop"), std::string::npos);
  EXPECT_FALSE(knobs().assign(c, "dpop_max_age_s=soon"));
  EXPECT_FALSE(knobs().assign(c, "omit_cnf=perhaps"));
  EXPECT_FALSE(knobs().assign(c, "omit_cnf"));
}

TEST(AsKnobTable, ValidateRejectsNonsenseValues) {
  as_config c;
  c.access_token_lifetime_s = 0;
  EXPECT_FALSE(validate(c));
  c = {};
  c.dpop_max_age_s = -1;
  EXPECT_FALSE(validate(c));
  c = {};
  c.audience = "";
  EXPECT_FALSE(validate(c));
  c.audience = "\xff";  // would not survive JSON serialisation of the token
  EXPECT_FALSE(validate(c));
  EXPECT_TRUE(validate(as_config{}));
}

TEST(AsConfigFile, SetsOptionsAndKnobsCommandLineWins) {
  as_options o;
  mocks::common_options common;
  as_config c;
  json file = {{"port", 9443}, {"mtls_port", 9444}, {"issuer", "https://127.0.0.1:9443"},
               {"signing_key", "keys/as.pem"}, {"event_log", "-"}, {"knobs", {{"require_nonce", true}}}};
  o.port = 1234;
  auto s = apply_config_file(file, "/etc/tether/as.json", {"port"}, o, common, c);
  ASSERT_TRUE(s) << s.err().message;
  EXPECT_EQ(o.port, 1234);  // given on the command line
  EXPECT_EQ(o.mtls_port, 9444);
  EXPECT_EQ(o.issuer, "https://127.0.0.1:9443");
  EXPECT_EQ(o.signing_key, "/etc/tether/keys/as.pem");  // relative to the file
  EXPECT_EQ(common.event_log, "-");
  EXPECT_TRUE(c.require_nonce);
}

TEST(AsConfigFile, UnknownMembersAndBadTypesAreNamed) {
  as_options o;
  mocks::common_options common;
  as_config c;
  auto s = apply_config_file({{"prot", 1}}, "as.json", {}, o, common, c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.err().message.find("\"prot\""), std::string::npos);
  EXPECT_NE(s.err().message.find("as.json"), std::string::npos);
  EXPECT_FALSE(apply_config_file({{"port", "9443"}}, "as.json", {}, o, common, c));
  EXPECT_FALSE(apply_config_file({{"port", 70000}}, "as.json", {}, o, common, c));
  auto knob = apply_config_file({{"knobs", {{"omit_cnf", "yes"}}}}, "as.json", {}, o, common, c);
  ASSERT_FALSE(knob);
  EXPECT_NE(knob.err().message.find("omit_cnf"), std::string::npos);
}

TEST(AsClientRegistry, LoadsTheBuiltInRegistry) {
  auto r = client_registry::load(builtin_clients_file(), certs_dir());
  ASSERT_TRUE(r) << r.err().message;
  const client* pki = r->find("mtls-pki");
  ASSERT_NE(pki, nullptr);
  EXPECT_EQ(pki->auth_method, "tls_client_auth");
  EXPECT_EQ(pki->subject, subject_kind::dn);
  EXPECT_TRUE(pki->certificate_bound);
  const client* ip = r->find("mtls-pki-san-ip");
  ASSERT_NE(ip, nullptr);
  EXPECT_EQ(ip->subject_ip, std::string("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16));
  const client* self = r->find("mtls-self-signed");
  ASSERT_NE(self, nullptr);
  ASSERT_EQ(self->registered_certs.size(), 1u);
  EXPECT_EQ(self->registered_certs[0].x5t_s256(), x5t_of("client-self-signed"));
  EXPECT_TRUE(r->find("dpop-bound")->dpop_bound);
  EXPECT_TRUE(r->find("public")->is_public());
  EXPECT_EQ(r->find("rs")->grant_types->size(), 0u);
}

json one_client(json c) { return {{"schema", "tether-clients/1"}, {"clients", {{"c", std::move(c)}}}}; }

void expect_rejected(const json& c, const std::string& words) {
  auto r = client_registry::parse(one_client(c), certs_dir(), "clients.json");
  ASSERT_FALSE(r) << c.dump();
  EXPECT_NE(r.err().message.find(words), std::string::npos) << r.err().message;
  EXPECT_NE(r.err().message.find("clients.json"), std::string::npos) << r.err().message;
}

TEST(AsClientRegistry, RejectsWhatRfc8705ForbidsAndNamesIt) {
  // RFC 8705 2.1.2: exactly one subject value.
  expect_rejected({{"token_endpoint_auth_method", "tls_client_auth"},
                   {"tls_client_auth_subject_dn", "CN=a"}, {"tls_client_auth_san_dns", "a.test"}},
                  "exactly one");
  expect_rejected({{"token_endpoint_auth_method", "tls_client_auth"}}, "tls_client_auth_subject_dn");
  expect_rejected({{"token_endpoint_auth_method", "self_signed_tls_client_auth"}}, "jwks_certs");
  expect_rejected({{"token_endpoint_auth_method", "client_secret_basic"}}, "client_secret");
  expect_rejected({{"token_endpoint_auth_method", "private_key_jwt"}}, "private_key_jwt");
  expect_rejected({{"token_endpoint_auth_method", "tls_client_auth"}, {"tls_client_auth_san_ip", "not-an-ip"}},
                  "tls_client_auth_san_ip");
  expect_rejected({{"token_endpoint_auth_method", "self_signed_tls_client_auth"}, {"jwks_certs", {"nope"}}},
                  "nope");
  expect_rejected({{"token_endpoint_auth_method", "none"}, {"jwks_uri", "https://x/jwks"}}, "jwks_uri");
  expect_rejected({{"token_endpoint_auth_method", "none"}, {"dpop_bound_access_tokens", "yes"}},
                  "dpop_bound_access_tokens");
}

TEST(AsClientRegistry, AcceptsInlineJwksWithX5c) {
  json c = {{"token_endpoint_auth_method", "self_signed_tls_client_auth"},
            {"jwks", {{"keys", {{{"kty", "EC"}, {"x5c", {jose::base64_encode(cert("client-self-signed").der())}}}}}}}};
  auto r = client_registry::parse(one_client(c), certs_dir(), "clients.json");
  ASSERT_TRUE(r) << r.err().message;
  ASSERT_EQ(r->find("c")->registered_certs.size(), 1u);
  EXPECT_EQ(r->find("c")->registered_certs[0].x5t_s256(), x5t_of("client-self-signed"));
}

TEST(AsSigningKey, GeneratedIntoAPrivateFileAndReloadedUnchanged) {
  std::string dir = make_temp_dir("key");
  std::string path = dir + "/as.pem";
  auto first = load_signing_key(path, "ES256");
  ASSERT_TRUE(first) << first.err().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = load_signing_key(path, "ES256");
  ASSERT_TRUE(again) << again.err().message;
  EXPECT_EQ(first->thumbprint(), again->thumbprint());
  EXPECT_EQ(again->extra_members().value("kid", ""), again->thumbprint());
  EXPECT_EQ(again->extra_members().value("alg", ""), "ES256");

  // An EC key cannot sign RS256: the message names the file and the knob.
  auto wrong = load_signing_key(path, "RS256");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.err().message.find(path), std::string::npos);
  EXPECT_NE(wrong.err().message.find("signing_alg"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tether::as
