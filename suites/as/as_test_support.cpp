#include "as_test_support.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "certs/certgen.hpp"
#include "core/jose/base64url.hpp"
#include "core/jose/jws.hpp"
#include "mocks/as/signing_key.hpp"

namespace tether::as::testing {
namespace {

struct set_storage {
  std::string dir;
  int64_t generated_at = 0;
};

set_storage& storage() {
  static set_storage s;
  return s;
}

class certs_environment : public ::testing::Environment {
 public:
  void SetUp() override {
    storage().dir = make_temp_dir("certs");
    storage().generated_at = static_cast<int64_t>(std::time(nullptr));
    auto made = certs::generate_suite_certificates(storage().dir, storage().generated_at);
    ASSERT_TRUE(made) << made.err().message;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(storage().dir, ec);
  }
};

[[maybe_unused]] const auto* const registered = ::testing::AddGlobalTestEnvironment(new certs_environment);

}  // namespace

const std::string& certs_dir() { return storage().dir; }
int64_t start_time() { return storage().generated_at; }
std::string source_root() { return TETHER_SOURCE_ROOT; }
std::string builtin_clients_file() { return source_root() + "/targets/builtin-clients.json"; }

std::string make_temp_dir(const std::string& tag) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/tether-as-" + tag + "-XXXXXX";
  if (!mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  return pattern;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

tls::certificate cert(const std::string& name) {
  auto c = tls::certificate::load_file(certs_dir() + "/" + name + ".crt");
  EXPECT_TRUE(c) << (c ? "" : c.err().message);
  return c ? *c : tls::certificate{};
}

std::string x5t_of(const std::string& cert_name) { return cert(cert_name).x5t_s256(); }

std::string secret_of(const std::string& client_id) {
  auto file = nlohmann::json::parse(read_text(builtin_clients_file()));
  return file["clients"][client_id].value("client_secret", "");
}

test_as::test_as(as_config config) : now_(start_time()) {
  auto clients = client_registry::load(builtin_clients_file(), certs_dir());
  EXPECT_TRUE(clients) << (clients ? "" : clients.err().message);
  auto key = load_signing_key("", config.signing_alg);
  EXPECT_TRUE(key) << (key ? "" : key.err().message);
  auto anchors = tls::load_certificates(certs_dir() + "/ca.crt");
  EXPECT_TRUE(anchors);
  endpoints urls{issuer, mtls_origin};
  auto state = std::make_unique<as_state>(config, std::move(*clients), std::move(*key), std::move(*anchors), urls);
  state->clock = [this] { return now_; };
  state->observer = [this](const nlohmann::json& e) { events_.push_back(e); };
  server_ = std::make_unique<as_server>(std::move(state));
}

http::response test_as::call(const http::request& req, const http::connection_info& conn) {
  return server_->handle(req, conn);
}

http::connection_info main_conn() {
  http::connection_info c;
  c.listener = "main";
  c.origin = issuer;
  c.tls_version = "TLSv1.3";
  c.remote_address = "127.0.0.1:40000";
  return c;
}

http::connection_info mtls_conn(const std::string& cert_name) {
  http::connection_info c = main_conn();
  c.listener = "mtls";
  c.origin = mtls_origin;
  if (!cert_name.empty()) c.client_cert = std::make_shared<const tls::certificate>(cert(cert_name));
  return c;
}

http::request post_form(const std::string& target, const form& fields) {
  http::request req;
  req.method = "POST";
  req.target = target;
  req.headers.set("Content-Type", "application/x-www-form-urlencoded");
  req.body = http::format_form(fields);
  return req;
}

std::string basic_header(const std::string& id, const std::string& secret) {
  return "Basic " + jose::base64_encode(http::url_encode(id) + ":" + http::url_encode(secret));
}

http::request token_request(const form& fields, std::optional<std::pair<std::string, std::string>> basic) {
  http::request req = post_form("/token", fields);
  if (basic) req.headers.add("Authorization", basic_header(basic->first, basic->second));
  return req;
}

http::request with_proof(http::request req, const std::string& proof) {
  req.headers.add("DPoP", proof);
  return req;
}

const jose::jwk& dpop_key(int slot) {
  static std::map<int, jose::jwk> keys;
  auto it = keys.find(slot);
  if (it == keys.end()) {
    auto k = jose::jwk::generate("ES256");
    if (!k) {
      ADD_FAILURE() << k.err().message;
      std::abort();
    }
    it = keys.emplace(slot, std::move(*k)).first;
  }
  return it->second;
}

dpop::built_proof proof(const test_as& as, const std::string& url, int key_slot,
                        std::optional<std::string> nonce, const dpop::proof_defects& defects) {
  dpop::proof_spec spec;
  spec.htm = "POST";
  spec.htu = url;
  spec.iat = as.now();
  spec.nonce = std::move(nonce);
  auto built = dpop::build_proof(dpop_key(key_slot), spec, defects);
  EXPECT_TRUE(built) << (built ? "" : built.err().message);
  return built ? *built : dpop::built_proof{};
}

nlohmann::json body(const http::response& res) { return nlohmann::json::parse(res.body, nullptr, false); }

namespace {
nlohmann::json jwt_part(const std::string& token, int index) {
  auto jws = jose::parse_compact(token);
  if (!jws) return nullptr;
  return nlohmann::json::parse(index == 0 ? jws->header_bytes : jws->payload_bytes, nullptr, false);
}
}  // namespace

nlohmann::json jwt_claims(const std::string& token) { return jwt_part(token, 1); }
nlohmann::json jwt_header(const std::string& token) { return jwt_part(token, 0); }

// RFC 7636 appendix B example verifier.
std::string pkce_verifier() { return "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; }

// RFC 7636 appendix B: the challenge of the verifier above.
std::string pkce_challenge() { return "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; }

std::map<std::string, std::string> redirect_params(const http::response& res) {
  std::map<std::string, std::string> out;
  auto location = res.headers.first("Location");
  if (!location) return out;
  auto q = location->find('?');
  if (q == std::string::npos) return out;
  for (const auto& [k, v] : http::parse_form(location->substr(q + 1))) out[k] = v;
  return out;
}

std::string authorize(test_as& as, const std::string& client_id, const form& extra, bool pkce) {
  form fields = {{"response_type", "code"}, {"client_id", client_id},
                 {"redirect_uri", "https://client.tether.test/cb"}, {"state", "st-1"}};
  if (pkce) {
    fields.emplace_back("code_challenge", pkce_challenge());
    fields.emplace_back("code_challenge_method", "S256");
  }
  for (const auto& f : extra) fields.push_back(f);
  http::request req;
  req.method = "GET";
  req.target = "/authorize?" + http::format_form(fields);
  auto res = as.call(req, main_conn());
  EXPECT_EQ(res.status, 302) << res.body;
  auto params = redirect_params(res);
  EXPECT_TRUE(params.count("code")) << "no code in " << res.headers.first("Location").value_or("(no Location)");
  return params.count("code") ? params["code"] : "";
}

form code_exchange(const std::string& client_id, const std::string& code, bool with_verifier) {
  form f = {{"grant_type", "authorization_code"}, {"code", code},
            {"redirect_uri", "https://client.tether.test/cb"}, {"client_id", client_id}};
  if (with_verifier) f.emplace_back("code_verifier", pkce_verifier());
  return f;
}

nlohmann::json expect_error(const http::response& res, int status, const std::string& code) {
  EXPECT_EQ(res.status, status) << res.body;
  auto b = body(res);
  EXPECT_TRUE(b.is_object()) << res.body;
  if (b.is_object()) {
    EXPECT_EQ(b.value("error", ""), code) << res.body;
  }
  EXPECT_EQ(res.headers.first("Cache-Control").value_or(""), "no-store");
  return b;
}

}  // namespace tether::as::testing
