// Client authentication at the token endpoint (RFC 6749 2.3, RFC 8705 2): each method with the
// right credentials, none, and wrong ones; every certificate of the generated set.

#include "as_test_support.hpp"
#include "mocks/as/client_auth.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

const form cc = {{"grant_type", "client_credentials"}};

form cc_for(const std::string& client_id) {
  return {{"grant_type", "client_credentials"}, {"client_id", client_id}};
}

TEST(AsSecretBasic, RightSecretIsIssued) {
  test_as as;
  auto res = as.call(token_request(cc, {{"secret-basic", secret_of("secret-basic")}}), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(as.last_event()["auth_method"], "client_secret_basic");
  EXPECT_EQ(as.last_event()["client_authenticated"], true);
  EXPECT_EQ(as.last_event()["client_id_in_request"], false);
}

TEST(AsSecretBasic, WrongSecretIs401WithBasicChallenge) {
  test_as as;
  auto res = as.call(token_request(cc, {{"secret-basic", "wrong"}}), main_conn());
  expect_error(res, 401, "invalid_client");  // RFC 6749 5.2: MUST 401 + WWW-Authenticate
  EXPECT_EQ(res.headers.first("WWW-Authenticate").value_or("").rfind("Basic", 0), 0u);
  EXPECT_EQ(as.last_event()["client_authenticated"], false);
}

TEST(AsSecretBasic, MissingHeaderIsInvalidClientWithout401) {
  test_as as;
  auto res = as.call(token_request(cc_for("secret-basic")), main_conn());
  expect_error(res, 400, "invalid_client");
  EXPECT_FALSE(res.headers.first("WWW-Authenticate"));
}

TEST(AsSecretBasic, UnknownClientAndMalformedHeaders) {
  test_as as;
  expect_error(as.call(token_request(cc, {{"nobody", "x"}}), main_conn()), 401, "invalid_client");
  auto bearer = token_request(cc);
  bearer.headers.add("Authorization", "Bearer abc");
  expect_error(as.call(bearer, main_conn()), 401, "invalid_client");
  auto garbage = token_request(cc);
  garbage.headers.add("Authorization", "Basic !!!");
  expect_error(as.call(garbage, main_conn()), 401, "invalid_client");
  auto two = token_request(cc, {{"secret-basic", secret_of("secret-basic")}});
  two.headers.add("Authorization", basic_header("secret-basic", secret_of("secret-basic")));
  expect_error(as.call(two, main_conn()), 400, "invalid_request");
}

TEST(AsSecretBasic, TwoMethodsAtOnceIsInvalidRequest) {
  test_as as;  // RFC 6749 2.3: one method per request
  form f = {{"grant_type", "client_credentials"}, {"client_secret", secret_of("secret-basic")}};
  expect_error(as.call(token_request(f, {{"secret-basic", secret_of("secret-basic")}}), main_conn()), 400,
               "invalid_request");
}

TEST(AsSecretPost, RightWrongAndMissingSecret) {
  test_as as;
  form right = {{"grant_type", "client_credentials"}, {"client_id", "secret-post"},
                {"client_secret", secret_of("secret-post")}};
  ASSERT_EQ(as.call(token_request(right), main_conn()).status, 200);
  EXPECT_EQ(as.last_event()["auth_method"], "client_secret_post");
  form wrong = {{"grant_type", "client_credentials"}, {"client_id", "secret-post"}, {"client_secret", "no"}};
  expect_error(as.call(token_request(wrong), main_conn()), 400, "invalid_client");
  expect_error(as.call(token_request(cc_for("secret-post")), main_conn()), 400, "invalid_client");
  // Registered for post; Basic is another method.
  expect_error(as.call(token_request(cc, {{"secret-post", secret_of("secret-post")}}), main_conn()), 401,
               "invalid_client");
}

TEST(AsTlsClientAuth, SubjectDnOfTheRightCertificate) {
  test_as as;
  auto res = as.call(token_request(cc_for("mtls-pki")), mtls_conn("client-a"));
  ASSERT_EQ(res.status, 200) << res.body;
  json e = as.last_event();
  EXPECT_EQ(e["auth_method"], "tls_client_auth");
  EXPECT_EQ(e["client_id_in_request"], true);
  EXPECT_EQ(e["client_auth"]["chain"], "ok");
  EXPECT_EQ(e["client_auth"]["subject"]["matched"], true);
}

TEST(AsTlsClientAuth, RekeyedCertificateWithTheSameSubjectAuthenticates) {
  test_as as;  // RFC 8705 2.1: the subject is registered, not the key
  ASSERT_EQ(as.call(token_request(cc_for("mtls-pki")), mtls_conn("client-a-rekeyed")).status, 200);
}

TEST(AsTlsClientAuth, WrongCertificatesAreInvalidClient) {
  for (const char* name : {"client-b", "client-other-ca", "client-expired", "client-self-signed"}) {
    test_as as;
    auto res = as.call(token_request(cc_for("mtls-pki")), mtls_conn(name));
    expect_error(res, 400, "invalid_client");
    EXPECT_EQ(as.last_event()["client_authenticated"], false) << name;
  }
}

TEST(AsTlsClientAuth, OtherCaAndExpiredFailTheChainNotTheSubject) {
  for (const char* name : {"client-other-ca", "client-expired"}) {
    test_as as;
    as.call(token_request(cc_for("mtls-pki")), mtls_conn(name));
    EXPECT_NE(as.last_event()["client_auth"]["chain"], "ok") << name;
  }
}

TEST(AsTlsClientAuth, NoCertificateIsInvalidClient) {
  test_as as;  // RFC 8705 2
  expect_error(as.call(token_request(cc_for("mtls-pki")), mtls_conn()), 400, "invalid_client");
  expect_error(as.call(token_request(cc_for("mtls-pki")), main_conn()), 400, "invalid_client");
}

TEST(AsTlsClientAuth, CertificateWithoutClientIdIsInvalidRequest) {
  test_as as;  // RFC 8705 2: client_id in every request
  expect_error(as.call(token_request(cc), mtls_conn("client-a")), 400, "invalid_request");
  EXPECT_EQ(as.last_event()["client_id_in_request"], false);
}

TEST(AsTlsClientAuth, EachSanKindMatchesClientAAndNotClientB) {
  // RFC 8705 2.1.2; the IP is registered in its long form and matched in binary.
  for (const char* id : {"mtls-pki-san-dns", "mtls-pki-san-uri", "mtls-pki-san-ip", "mtls-pki-san-email"}) {
    test_as as;
    EXPECT_EQ(as.call(token_request(cc_for(id)), mtls_conn("client-a")).status, 200) << id;
    expect_error(as.call(token_request(cc_for(id)), mtls_conn("client-b")), 400, "invalid_client");
  }
}

TEST(AsSelfSignedTlsClientAuth, RegisteredCertificateOnly) {
  test_as as;  // RFC 8705 2.2
  auto res = as.call(token_request(cc_for("mtls-self-signed")), mtls_conn("client-self-signed"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(as.last_event()["client_auth"]["registered_certificate"], true);
  for (const char* name : {"client-a", "client-b"})
    expect_error(as.call(token_request(cc_for("mtls-self-signed")), mtls_conn(name)), 400, "invalid_client");
  expect_error(as.call(token_request(cc_for("mtls-self-signed")), mtls_conn()), 400, "invalid_client");
}

TEST(AsTlsClientAuth, SecretSentByAnMtlsClientIsRefused) {
  test_as as;
  form f = {{"grant_type", "client_credentials"}, {"client_id", "mtls-pki"}, {"client_secret", "x"}};
  expect_error(as.call(token_request(f), mtls_conn("client-a")), 400, "invalid_client");
}

TEST(AsClientAuth, NoClientAtAllIsInvalidClient) {
  test_as as;
  expect_error(as.call(token_request(cc), main_conn()), 400, "invalid_client");
}

TEST(AsClientAuth, SubjectMatchesEachKind) {
  auto r = client_registry::load(builtin_clients_file(), certs_dir());
  ASSERT_TRUE(r);
  EXPECT_TRUE(subject_matches(cert("client-a"), *r->find("mtls-pki")));
  EXPECT_TRUE(subject_matches(cert("client-a-rekeyed"), *r->find("mtls-pki")));
  EXPECT_FALSE(subject_matches(cert("client-b"), *r->find("mtls-pki")));
  EXPECT_TRUE(subject_matches(cert("client-a"), *r->find("mtls-pki-san-ip")));
  EXPECT_FALSE(subject_matches(cert("client-self-signed"), *r->find("mtls-pki-san-dns")));
}

}  // namespace
}  // namespace tether::as
