// Authorization-server DPoP nonces (RFC 9449 8, 8.2, 11.3).

#include "as_test_support.hpp"
#include "core/dpop/nonce_service.hpp"

namespace tether::as {
namespace {

using namespace testing;
using nlohmann::json;

const form cc = {{"grant_type", "client_credentials"}};
std::pair<std::string, std::string> creds() { return {"secret-basic", secret_of("secret-basic")}; }

as_config with_nonces() {
  as_config c;
  c.require_nonce = true;
  return c;
}

http::response ask(test_as& as, std::optional<std::string> nonce, int key = 0) {
  return as.call(with_proof(token_request(cc, creds()), proof(as, token_url, key, std::move(nonce)).compact),
                 main_conn());
}

TEST(AsNonce, ProofWithoutNonceGetsUseDpopNonceAndExactlyOneNonce) {
  test_as as(with_nonces());
  auto res = ask(as, std::nullopt);
  expect_error(res, 400, "use_dpop_nonce");
  EXPECT_EQ(res.headers.count("DPoP-Nonce"), 1u);  // RFC 9449 8: never more than one
  EXPECT_EQ(as.last_event()["dpop"]["check"], "nonce_missing");
  EXPECT_EQ(as.last_event()["response"]["dpop_nonce"], *res.headers.first("DPoP-Nonce"));
}

TEST(AsNonce, RetryWithTheNonceSucceedsAndRotates) {
  test_as as(with_nonces());
  std::string n1 = *ask(as, std::nullopt).headers.first("DPoP-Nonce");
  auto ok = ask(as, n1);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(ok)["token_type"], "DPoP");
  ASSERT_EQ(ok.headers.count("DPoP-Nonce"), 1u);  // 8.2: the next nonce on the 200
  std::string n2 = *ok.headers.first("DPoP-Nonce");
  EXPECT_NE(n2, n1);
  EXPECT_EQ(ok.headers.first("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(ask(as, n2).status, 200);
}

TEST(AsNonce, StaleNonceIsRefusedWithAFreshOne) {
  test_as as(with_nonces());
  std::string n = *ask(as, std::nullopt).headers.first("DPoP-Nonce");
  as.advance(as.state().config.nonce_lifetime_s + 1);
  auto res = ask(as, n);
  expect_error(res, 400, "use_dpop_nonce");
  EXPECT_EQ(as.last_event()["dpop"]["check"], "nonce_invalid");
  EXPECT_NE(*res.headers.first("DPoP-Nonce"), n);
}

TEST(AsNonce, NonceFromAnotherServerIsRefused) {
  test_as as(with_nonces());  // RFC 9449 9: only the issuing server accepts its nonces
  dpop::nonce_service other;
  expect_error(ask(as, other.issue(as.now())), 400, "use_dpop_nonce");
}

TEST(AsNonce, NotRequiredMeansNoNonceHandedOutOrJudged) {
  test_as as;
  auto res = ask(as, std::string("whatever-the-client-sends"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(res.headers.first("DPoP-Nonce"));
}

TEST(AsNonce, RequestWithoutDpopNeedsNoNonce) {
  test_as as(with_nonces());
  auto res = as.call(token_request(cc, creds()), main_conn());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(res.headers.first("DPoP-Nonce"));
}

TEST(AsNonce, NonceChallengeLeavesTheCodeUsable) {
  test_as as(with_nonces());
  std::string code = authorize(as, "public");
  auto first = as.call(with_proof(token_request(code_exchange("public", code)), proof(as).compact), main_conn());
  expect_error(first, 400, "use_dpop_nonce");
  auto retry = as.call(with_proof(token_request(code_exchange("public", code)),
                                  proof(as, token_url, 0, *first.headers.first("DPoP-Nonce")).compact),
                       main_conn());
  EXPECT_EQ(retry.status, 200) << retry.body;
}

}  // namespace
}  // namespace tether::as
