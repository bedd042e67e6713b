#include "rs_test_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "certs/certgen.hpp"
#include "core/token/access_token.hpp"
#include "mocks/common/event_log.hpp"

namespace tether::rs::testing {

namespace {

jose::jwk generate_or_die(const char* alg, const char* kid) {
  auto key = jose::jwk::generate(alg);
  if (!key) {
    ADD_FAILURE() << "generating a " << alg << " key failed: " << key.err().message;
    std::abort();
  }
  if (kid) key->set_member("kid", kid);
  return std::move(*key);
}

}  // namespace

const jose::jwk& as_key() {
  static const jose::jwk key = generate_or_die("ES256", "as-1");
  return key;
}
const jose::jwk& rogue_as_key() {
  static const jose::jwk key = generate_or_die("ES256", "as-1");
  return key;
}
const jose::jwk& client_key() {
  static const jose::jwk key = generate_or_die("ES256", nullptr);
  return key;
}
const jose::jwk& other_client_key() {
  static const jose::jwk key = generate_or_die("ES256", nullptr);
  return key;
}

std::string jwks_json() {
  return nlohmann::json{{"keys", {as_key().public_json()}}}.dump();
}

const std::string& certs_dir() {
  static const std::string dir = [] {
    std::string d = std::string(TETHER_BINARY_ROOT) + "/certs";
    if (status s = certs::ensure_suite_certificates(d); !s) {
      ADD_FAILURE() << "certificate set: " << s.err().message;
      std::abort();
    }
    return d;
  }();
  return dir;
}

std::shared_ptr<const tls::certificate> cert(const std::string& name) {
  static std::map<std::string, std::shared_ptr<const tls::certificate>> loaded;
  auto it = loaded.find(name);
  if (it != loaded.end()) return it->second;
  auto c = tls::certificate::load_file(certs_dir() + "/" + name + ".crt");
  if (!c) {
    ADD_FAILURE() << "cannot load certificate " << name << ": " << c.err().message;
    std::abort();
  }
  auto ptr = std::make_shared<const tls::certificate>(std::move(*c));
  loaded.emplace(name, ptr);
  return ptr;
}

nlohmann::json claims(const std::string& scope) {
  return {{"iss", issuer},      {"sub", "user-1"},   {"aud", default_audience},
          {"client_id", "c-1"}, {"iat", t0 - 10},    {"exp", t0 + 300},
          {"jti", "at-" + std::to_string(std::rand())}, {"scope", scope}};
}

std::string issue(const nlohmann::json& c, const jose::jwk& key, const std::string& alg) {
  auto token = token::issue_jwt(c, key, alg);
  if (!token) {
    ADD_FAILURE() << "issue_jwt failed: " << token.err().message;
    return "";
  }
  return *token;
}

std::string bearer_token() { return issue(claims()); }

std::string dpop_token(const jose::jwk& key) {
  auto c = claims();
  c["cnf"] = {{"jkt", key.thumbprint()}};
  return issue(c);
}

std::string mtls_token(const std::string& cert_name) {
  auto c = claims();
  c["cnf"] = {{"x5t#S256", cert(cert_name)->x5t_s256()}};
  return issue(c);
}

std::string both_token(const std::string& cert_name) {
  auto c = claims();
  c["cnf"] = {{"x5t#S256", cert(cert_name)->x5t_s256()}, {"jkt", client_key().thumbprint()}};
  return issue(c);
}

std::string proof(const std::string& access_token, const proof_options& o) {
  dpop::proof_spec spec;
  spec.htm = o.method;
  spec.htu = o.url;
  spec.access_token = access_token;
  spec.nonce = o.nonce;
  spec.iat = o.iat;
  auto built = dpop::build_proof(o.key ? *o.key : client_key(), spec, o.defects);
  if (!built) {
    ADD_FAILURE() << "build_proof failed: " << built.err().message;
    return "";
  }
  return built->compact;
}

http::request request(const std::string& target, const std::string& method) {
  http::request r;
  r.method = method;
  r.target = target;
  r.headers.add("Host", "127.0.0.1:8443");
  return r;
}

http::request bearer(const std::string& token, const std::string& target) {
  auto r = request(target);
  r.headers.add("Authorization", "Bearer " + token);
  return r;
}

http::request dpop(const std::string& token, const std::string& proof_value, const std::string& target) {
  auto r = request(target);
  r.headers.add("Authorization", "DPoP " + token);
  r.headers.add("DPoP", proof_value);
  return r;
}

http::connection_info connection(std::shared_ptr<const tls::certificate> client_cert) {
  http::connection_info info;
  info.client_cert = std::move(client_cert);
  info.tls_version = "TLSv1.3";
  info.remote_address = "127.0.0.1:50000";
  info.listener = "main";
  info.origin = origin;
  return info;
}

const http::challenge* answer::find(const std::string& scheme) const {
  for (const auto& c : challenges)
    if (c.scheme_is(scheme)) return &c;
  return nullptr;
}

std::string answer::error_on(const std::string& scheme) const {
  const auto* c = find(scheme);
  if (!c) return "";
  return c->param("error").value_or("");
}

answer read(const http::response& response) {
  answer a;
  a.status = response.status;
  a.www_authenticate = response.headers.first("WWW-Authenticate").value_or("");
  if (!a.www_authenticate.empty()) {
    auto parsed = http::parse_www_authenticate(a.www_authenticate);
    if (!parsed) ADD_FAILURE() << "unparsable WWW-Authenticate: " << a.www_authenticate;
    else a.challenges = std::move(*parsed);
  }
  a.body = nlohmann::json::parse(response.body, nullptr, false);
  EXPECT_LE(response.headers.count("DPoP-Nonce"), 1u) << "RFC 9449 8: at most one DPoP-Nonce";
  a.nonce = response.headers.first("DPoP-Nonce");
  EXPECT_EQ(response.headers.first("Cache-Control").value_or(""), "no-store");
  return a;
}

world::world(rs_config config, std::function<std::string()> jwks) : now_(std::make_shared<int64_t>(t0)) {
  keys_ = std::make_unique<jwks_source>([jwks]() -> result<std::string> { return jwks(); },
                                        std::chrono::milliseconds(0), "test JWKS");
  if (status s = keys_->load(); !s) ADD_FAILURE() << s.err().message;
  log_path_ = make_temp_dir("rs-events") + "/events.jsonl";
  log_ = std::make_unique<mocks::event_log>();
  if (status s = log_->open(log_path_); !s) ADD_FAILURE() << s.err().message;
  rs_environment env;
  env.issuer = issuer;
  env.keys = keys_.get();
  env.log = log_.get();
  env.proxy_x5t = cert("proxy")->x5t_s256();
  env.clock = [now = now_] { return *now; };
  auto made = resource_server::make(std::move(config), std::move(env));
  if (!made) {
    ADD_FAILURE() << "resource_server::make: " << made.err().message;
    std::abort();
  }
  server_ = std::move(*made);
}

world::~world() {
  server_.reset();
  log_.reset();
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(log_path_).parent_path(), ec);
}

answer world::call(const http::request& request, const http::connection_info& info) {
  answer a = read(server_->handle(request, info));
  // The event must already be on disk when the answer exists (docs/mock-events.md).
  std::istringstream lines(read_file(log_path_));
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  EXPECT_EQ(all.size(), lines_read_ + 1) << "one event per request, written before the answer";
  lines_read_ = all.size();
  last_event_ = all.empty() ? nlohmann::json() : nlohmann::json::parse(all.back(), nullptr, false);
  return a;
}

std::vector<std::string> world::knobs() const {
  std::vector<std::string> out;
  if (last_event_.contains("knobs"))
    for (const auto& k : last_event_["knobs"]) out.push_back(k.get<std::string>());
  return out;
}

rs_config with(std::initializer_list<std::pair<const char*, nlohmann::json>> knobs) {
  rs_config c;
  for (const auto& [name, value] : knobs) {
    if (status s = rs_knobs().set(c, name, value); !s) ADD_FAILURE() << s.err().message;
  }
  return c;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string make_temp_dir(const std::string& tag) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("tether-" + tag + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    std::abort();
  }
  return pattern;
}

}  // namespace tether::rs::testing
