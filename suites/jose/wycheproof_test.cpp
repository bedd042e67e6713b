// Every Wycheproof JWS and JWK vector that applies to compact JWS verification: "valid" must
// verify, "invalid" must not, "acceptable" may go either way. JSON-serialised vectors do not
// apply (this module reads compact serialization only). A few vectors contradict the RFCs (and
// other vectors in the same file); they are listed below with the reason and must keep getting
// the RFC answer, so that a change in behaviour is noticed.
//
// The accepted alg is the key's own "alg" member when it has one (Wycheproof always sets it for
// keys that are meant to verify, see json_web_crypto.md), else the token's header alg. For a
// JWK Set, the key is chosen by jwk_set::select with the header's kid and alg.

#include <iostream>
#include <optional>

#include <gtest/gtest.h>

#include "core/jose/jws.hpp"
#include "suites/jose/test_data.hpp"

namespace tether::jose {
namespace {

using nlohmann::json;

struct disputed {
  const char* file;
  int tc_id;
  const char* reason;
};

constexpr const char* jws_file = "jose/wycheproof/json_web_signature_test.json";
constexpr const char* jwk_file = "jose/wycheproof/json_web_key_test.json";

constexpr disputed disputed_vectors[] = {
    {jws_file, 346, "valid in Wycheproof, but its key says \"alg\":\"PS256\" while the token (RFC 7520 4.2) is PS384; RFC 7517 4.4 binds the key to PS256"},
    {jws_file, 350, "as tcId 346, with key_ops"},
    {jws_file, 347, "valid in Wycheproof, but its key says \"alg\":\"ES521\", which is no JWA algorithm; the token (RFC 7520 4.3) is ES512"},
    {jws_file, 351, "as tcId 347, with key_ops"},
    {jws_file, 367, "invalid in Wycheproof, but byte-identical to tcId 357, which the same file marks valid"},
    {jws_file, 370, "as tcId 367"},
    {jws_file, 372, "valid in Wycheproof, but '?' is outside the base64url alphabet (RFC 7515 section 2) and the MAC covers the token as sent"},
    {jws_file, 373, "as tcId 372"},
};

const disputed* find_disputed(const char* file, int id) {
  for (const auto& d : disputed_vectors)
    if (d.tc_id == id && std::string(d.file) == file) return &d;
  return nullptr;
}

// Verifies one vector; the error says why it was rejected.
status run_vector(const json& group, const json& test) {
  auto jws = parse_compact(test["jws"].get<std::string>());
  if (!jws) return jws.err();
  const json& material = group.contains("public") ? group["public"] : group["private"];
  const std::string header_alg = jws->header.value("alg", "");
  if (material.contains("keys")) {
    auto set = jwk_set::parse(material);
    if (!set) return set.err();
    auto key = set->select(jws->header, header_alg);
    if (!key) return key.err();
    return verify(*jws, **key, header_alg);
  }
  auto key = jwk::parse(material);
  if (!key) return key.err();
  return verify(*jws, *key, material.value("alg", header_alg));
}

struct tally {
  int ran = 0, not_applicable = 0, disputed = 0, failures = 0;
};

void run_file(const char* file, tally& t) {
  const json doc = testing::load_json(file);
  ASSERT_TRUE(doc.is_object() && doc.contains("testGroups")) << file;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      const int id = test["tcId"];
      const std::string expected = test["result"];
      const std::string label = std::string(file) + " tcId " + std::to_string(id) + " (" + test.value("comment", "") + ")";
      if (!test["jws"].is_string() || test["jws"].get<std::string>().rfind('{', 0) == 0) {
        ++t.not_applicable;  // JSON serialization
        continue;
      }
      const status outcome = run_vector(group, test);
      if (const disputed* d = find_disputed(file, id)) {
        ++t.disputed;
        ++t.not_applicable;
        std::cout << "[ disputed ] " << label << ": " << d->reason << "\n";
        EXPECT_EQ(outcome.ok(), expected != "valid") << label << " now gives Wycheproof's answer; review the dispute";
        continue;
      }
      ++t.ran;
      const bool accepted = outcome.ok();
      if ((expected == "valid" && !accepted) || (expected == "invalid" && accepted)) {
        ++t.failures;
        ADD_FAILURE() << label << ": expected " << expected << ", got "
                      << (accepted ? std::string("accepted") : "rejected: " + outcome.err().code + ": " + outcome.err().message);
      }
    }
  }
}

TEST(Wycheproof, JsonWebSignatureAndKeyVectors) {
  tally t;
  run_file(jws_file, t);
  run_file(jwk_file, t);
  std::cout << "[ wycheproof ] ran " << t.ran << " vectors, " << t.not_applicable << " not applicable (" << t.disputed
            << " of them disputed), " << t.failures << " failed\n";
  RecordProperty("vectors_ran", t.ran);
  RecordProperty("vectors_not_applicable", t.not_applicable);
  EXPECT_GT(t.ran, 0) << "no Wycheproof vector ran: the data files are missing or unreadable";
  EXPECT_EQ(t.ran + t.not_applicable, 401 + 26) << "every vector of both files is counted";
}

}  // namespace
}  // namespace tether::jose
