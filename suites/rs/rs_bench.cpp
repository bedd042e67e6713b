// rs_bench: keep-alive throughput of DPoP-bound requests (ES256 access token, ES256 proofs, a
// distinct proof per request) against tether-rs's resource handler on ONE server thread, over
// TLS on 127.0.0.1, printed beside the raw OpenSSL ES256 verify rate measured in the same run.
//
// The ceiling is what the verifications a request needs allow: one proof verify, plus one
// token verify when the token cache is off. The target is 60% of that ceiling. A benchmark,
// not a test: nothing here fails on a slow machine; it prints numbers.
//
//   rs_bench [requests-per-run (default 6000)] [client-connections (default 2)]

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <openssl/evp.h>

#include "certs/certgen.hpp"
#include "core/dpop/proof_builder.hpp"
#include "core/http/https_client.hpp"
#include "core/http/https_server.hpp"
#include "core/jose/jwk.hpp"
#include "core/token/access_token.hpp"
#include "core/util/openssl_ptr.hpp"
#include "mocks/rs/resource_server.hpp"

namespace {

using namespace tether;
using steady = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "rs_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.err().message);
  return std::move(*r);
}

int64_t wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Raw OpenSSL: ECDSA P-256 / SHA-256 verifications per second of one signature, key imported once.
double openssl_es256_verify_rate() {
  ossl::pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  const std::string message(200, 'm');
  std::vector<unsigned char> sig(128);
  size_t sig_len = sig.size();
  ossl::md_ctx_ptr sctx(EVP_MD_CTX_new());
  if (!key || EVP_DigestSignInit(sctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(sctx.get(), sig.data(), &sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1)
    die("OpenSSL signing failed");
  int n = 0;
  auto start = steady::now();
  auto deadline = start + std::chrono::seconds(2);
  while (steady::now() < deadline) {
    for (int i = 0; i < 200; ++i, ++n) {
      ossl::md_ctx_ptr ctx(EVP_MD_CTX_new());
      if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
          EVP_DigestVerify(ctx.get(), sig.data(), sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) != 1)
        die("OpenSSL verify failed");
    }
  }
  return n / std::chrono::duration<double>(steady::now() - start).count();
}

struct run_result {
  double requests_per_s = 0;
  int ok = 0;
  int failed = 0;
};

run_result run(int64_t cache_s, int requests, int connections, const std::string& certs_dir) {
  auto as_key = must(jose::jwk::generate("ES256"), "AS key");
  as_key.set_member("kid", "bench");
  auto client_key = must(jose::jwk::generate("ES256"), "client key");
  const std::string issuer = "https://as.bench";
  const std::string jwks = nlohmann::json{{"keys", {as_key.public_json()}}}.dump();

  rs::rs_config config;
  config.token_cache_s = cache_s;
  rs::jwks_source keys([&jwks]() -> result<std::string> { return jwks; }, std::chrono::seconds(1), "bench");
  if (status s = keys.load(); !s) die(s.err().message);
  rs::rs_environment env;
  env.issuer = issuer;
  env.keys = &keys;
  auto logic = must(rs::resource_server::make(config, std::move(env)), "resource server");

  http::https_server server(1);  // one server thread
  http::listener_options lo;
  lo.cert_file = certs_dir + "/server.crt";
  lo.key_file = certs_dir + "/server.key";
  lo.client_certs = http::client_cert_mode::optional;
  auto port = must(server.add_listener(lo, [&](const http::request& r, const http::connection_info& c) {
    return logic->handle(r, c);
  }), "listener");
  std::thread server_thread([&] { server.run(false); });
  const std::string origin = "https://127.0.0.1:" + std::to_string(port);
  const std::string url = origin + "/resource";

  const int64_t now = wall_now();
  nlohmann::json claims = {{"iss", issuer}, {"sub", "bench"}, {"aud", rs::default_audience},
                           {"client_id", "bench"}, {"iat", now}, {"exp", now + 3600}, {"jti", "bench-at"},
                           {"scope", "read"}, {"cnf", {{"jkt", client_key.thumbprint()}}}};
  const std::string token = must(token::issue_jwt(claims, as_key, "ES256"), "token");
  // Distinct proofs, built before the clock starts.
  std::vector<std::string> proofs;
  proofs.reserve(static_cast<std::size_t>(requests));
  for (int i = 0; i < requests; ++i) {
    dpop::proof_spec spec{"GET", url, token, std::nullopt, std::nullopt, now, "ES256"};
    proofs.push_back(must(dpop::build_proof(client_key, spec), "proof").compact);
  }

  http::client_options options;
  options.ca_file = certs_dir + "/ca.crt";
  std::atomic<int> next{0}, ok{0}, failed{0};
  std::vector<std::unique_ptr<http::https_connection>> conns;
  for (int c = 0; c < connections; ++c) {
    conns.push_back(std::make_unique<http::https_connection>(origin, options));
    http::request warm;  // handshake outside the timed part
    if (!conns.back()->send(warm).ok()) die("cannot reach the server");
  }
  auto start = steady::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < connections; ++c) {
    clients.emplace_back([&, c] {
      for (int i = next++; i < requests; i = next++) {
        http::request r;
        r.target = "/resource";
        r.headers.add("Authorization", "DPoP " + token);
        r.headers.add("DPoP", proofs[static_cast<std::size_t>(i)]);
        auto x = conns[static_cast<std::size_t>(c)]->send(std::move(r));
        (x.ok() && x.resp->status == 200 ? ok : failed)++;
      }
    });
  }
  for (auto& t : clients) t.join();
  double seconds = std::chrono::duration<double>(steady::now() - start).count();
  conns.clear();
  server.stop();
  server_thread.join();
  return {requests / seconds, ok.load(), failed.load()};
}

}  // namespace

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::atoi(argv[1]) : 6000;
  const int connections = argc > 2 ? std::atoi(argv[2]) : 2;
  if (requests <= 0 || connections <= 0) die("usage: rs_bench [requests] [connections]");
  const std::string certs_dir = std::string(TETHER_BINARY_ROOT) + "/certs";
  if (status s = certs::ensure_suite_certificates(certs_dir); !s) die(s.err().message);

  const double verify_rate = openssl_es256_verify_rate();
  std::printf("raw OpenSSL ES256 verify: %.0f verify/s (same run)\n", verify_rate);
  std::printf("%d DPoP-bound requests per run, %d keep-alive connections, 1 server thread\n\n", requests,
              connections);
  std::printf("%-26s %10s %14s %10s %8s %s\n", "run", "req/s", "ceiling req/s", "of ceiling", "target",
              "ok/failed");
  struct variant { const char* name; int64_t cache_s; int verifies; };
  for (const variant& v : {variant{"token cache on (1 verify)", 60, 1},
                           variant{"token cache off (2 verify)", 0, 2}}) {
    run_result r = run(v.cache_s, requests, connections, certs_dir);
    const double ceiling = verify_rate / v.verifies;
    const double share = r.requests_per_s / ceiling;
    std::printf("%-26s %10.0f %14.0f %9.0f%% %8s %d/%d\n", v.name, r.requests_per_s, ceiling, share * 100,
                share >= 0.6 ? "met" : "MISSED", r.ok, r.failed);
  }
  return 0;
}
