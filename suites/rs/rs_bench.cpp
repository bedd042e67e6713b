// rs_bench: keep-alive throughput of DPoP-bound requests (ES256 access token, ES256 proofs, a
// distinct proof per request) against tether-rs's resource handler on ONE server thread, over
// TLS on 127.0.0.1, printed beside the raw OpenSSL ES256 verify rate measured in the same run.
//
// The ceiling is what the verifications a request needs allow: one proof verify, plus one
// token verify when the token cache is off. The target is 60% of that ceiling. A benchmark,
// not a test: nothing here fails on a slow machine; it prints numbers.
//
//   rs_bench [requests per run (6000)] [client connections (2)] [only line 1-4 (0: all)] [rounds (3)]
//
// Each number is the best of `rounds` runs, the verify rate too.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <time.h>

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

int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct verify_rate {
  double per_wall_s = 0;  // verifications per second of wall clock
  double per_cpu_s = 0;   // per second of this thread's CPU time
};

// Raw OpenSSL: ECDSA P-256 / SHA-256 verifications of one signature, key imported once.
verify_rate openssl_es256_verify_rate() {
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
  const auto start = steady::now();
  const int64_t cpu_start = thread_cpu_ns();
  const auto deadline = start + std::chrono::seconds(2);
  while (steady::now() < deadline) {
    for (int i = 0; i < 200; ++i, ++n) {
      ossl::md_ctx_ptr ctx(EVP_MD_CTX_new());
      if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
          EVP_DigestVerify(ctx.get(), sig.data(), sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) != 1)
        die("OpenSSL verify failed");
    }
  }
  verify_rate r;
  r.per_wall_s = n / std::chrono::duration<double>(steady::now() - start).count();
  r.per_cpu_s = n / ((thread_cpu_ns() - cpu_start) / 1e9);
  return r;
}

struct run_result {
  double requests_per_s = 0;
  double per_server_cpu_s = 0;  // requests per second of the server thread's CPU time
  double server_cpu_us = 0;     // server thread CPU per request, microseconds
  double server_sys_us = 0;     // of which in the kernel
  int ok = 0;
  int failed = 0;
};

// One resource server with its AS key, a DPoP-bound token and `requests` distinct proofs.
struct bench_world {
  jose::jwk as_key = must(jose::jwk::generate("ES256"), "AS key");
  jose::jwk client_key = must(jose::jwk::generate("ES256"), "client key");
  std::string issuer = "https://as.bench";
  std::string jwks;
  std::unique_ptr<rs::jwks_source> keys;
  std::unique_ptr<rs::resource_server> logic;
  std::string token;
  std::vector<std::string> proofs;

  bench_world(int64_t cache_s, int requests, const std::string& url) {
    as_key.set_member("kid", "bench");
    jwks = nlohmann::json{{"keys", {as_key.public_json()}}}.dump();
    rs::rs_config config;
    config.token_cache_s = cache_s;
    keys = std::make_unique<rs::jwks_source>([this]() -> result<std::string> { return jwks; },
                                             std::chrono::seconds(1), "bench");
    if (status s = keys->load(); !s) die(s.err().message);
    rs::rs_environment env;
    env.issuer = issuer;
    env.keys = keys.get();
    logic = must(rs::resource_server::make(config, std::move(env)), "resource server");
    const int64_t now = wall_now();
    nlohmann::json claims = {{"iss", issuer}, {"sub", "bench"}, {"aud", rs::default_audience},
                             {"client_id", "bench"}, {"iat", now}, {"exp", now + 3600}, {"jti", "bench-at"},
                             {"scope", "read"}, {"cnf", {{"jkt", client_key.thumbprint()}}}};
    token = must(token::issue_jwt(claims, as_key, "ES256"), "token");
    // Distinct proofs, built before the clock starts.
    proofs.reserve(static_cast<std::size_t>(requests));
    for (int i = 0; i < requests; ++i) {
      dpop::proof_spec spec{"GET", url, token, std::nullopt, std::nullopt, now, "ES256"};
      proofs.push_back(must(dpop::build_proof(client_key, spec), "proof").compact);
    }
  }

  http::request request(int i) const {
    http::request r;
    r.target = "/resource";
    r.headers.add("Authorization", "DPoP " + token);
    r.headers.add("DPoP", proofs[static_cast<std::size_t>(i)]);
    return r;
  }
};

// The handler alone, no TLS and no HTTP: what one request costs the server's logic.
run_result handler_only(int64_t cache_s, int requests) {
  const std::string origin = "https://127.0.0.1:8443";
  bench_world w(cache_s, requests, origin + "/resource");
  http::connection_info info;
  info.origin = origin;
  run_result r;
  const auto start = steady::now();
  const int64_t cpu_start = thread_cpu_ns();
  for (int i = 0; i < requests; ++i) (w.logic->handle(w.request(i), info).status == 200 ? r.ok : r.failed)++;
  r.requests_per_s = requests / std::chrono::duration<double>(steady::now() - start).count();
  r.per_server_cpu_s = requests / ((thread_cpu_ns() - cpu_start) / 1e9);
  return r;
}

run_result over_tls(int64_t cache_s, int requests, int connections, const std::string& certs_dir) {
  http::https_server server(1);  // one server thread
  http::listener_options lo;
  lo.cert_file = certs_dir + "/server.crt";
  lo.key_file = certs_dir + "/server.key";
  lo.client_certs = http::client_cert_mode::optional;
  std::unique_ptr<bench_world> w;
  // CPU time of the server thread at its first and last timed request: on a shared machine the
  // wall clock also counts the time the thread waited for a core.
  std::atomic<bool> timing{false};
  int64_t cpu_first_ns = -1, cpu_last_ns = -1, timed_calls = 0;
  int64_t sys_first_us = 0, sys_last_us = 0;  // the kernel's share of that CPU time
  auto port = must(server.add_listener(lo, [&](const http::request& r, const http::connection_info& c) {
    if (timing) {
      cpu_last_ns = thread_cpu_ns();
      rusage usage{};
      getrusage(RUSAGE_THREAD, &usage);
      sys_last_us = usage.ru_stime.tv_sec * 1000000LL + usage.ru_stime.tv_usec;
      if (cpu_first_ns < 0) {
        cpu_first_ns = cpu_last_ns;
        sys_first_us = sys_last_us;
      }
      ++timed_calls;
    }
    return w->logic->handle(r, c);
  }), "listener");
  const std::string origin = "https://127.0.0.1:" + std::to_string(port);
  w = std::make_unique<bench_world>(cache_s, requests, origin + "/resource");
  std::thread server_thread([&] { server.run(); });

  http::client_options options;
  options.ca_file = certs_dir + "/ca.crt";
  std::atomic<int> next{0}, ok{0}, failed{0};
  std::vector<std::unique_ptr<http::https_connection>> conns;
  for (int c = 0; c < connections; ++c) {
    conns.push_back(std::make_unique<http::https_connection>(origin, options));
    http::request warm;  // handshake outside the timed part
    if (!conns.back()->send(warm).ok()) die("cannot reach the server");
  }
  timing = true;
  auto start = steady::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < connections; ++c) {
    clients.emplace_back([&, c] {
      for (int i = next++; i < requests; i = next++) {
        auto x = conns[static_cast<std::size_t>(c)]->send(w->request(i));
        (x.ok() && x.resp->status == 200 ? ok : failed)++;
      }
    });
  }
  for (auto& t : clients) t.join();
  double seconds = std::chrono::duration<double>(steady::now() - start).count();
  conns.clear();
  server.stop();
  server_thread.join();
  run_result out;
  out.requests_per_s = requests / seconds;
  out.ok = ok.load();
  out.failed = failed.load();
  if (timed_calls > 1 && cpu_last_ns > cpu_first_ns) {
    out.per_server_cpu_s = (timed_calls - 1) / ((cpu_last_ns - cpu_first_ns) / 1e9);
    out.server_cpu_us = (cpu_last_ns - cpu_first_ns) / 1e3 / static_cast<double>(timed_calls - 1);
    out.server_sys_us = static_cast<double>(sys_last_us - sys_first_us) / static_cast<double>(timed_calls - 1);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::atoi(argv[1]) : 6000;
  const int connections = argc > 2 ? std::atoi(argv[2]) : 2;
  const int only = argc > 3 ? std::atoi(argv[3]) : 0;  // 1-4: run only that line (for profiling)
  const int rounds = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
  if (requests <= 0 || connections <= 0) die("usage: rs_bench [requests] [connections]");
  const std::string certs_dir = std::string(TETHER_BINARY_ROOT) + "/certs";
  if (status s = certs::ensure_suite_certificates(certs_dir); !s) die(s.err().message);

  // The ceiling is measured before and after the runs, best of all: a ceiling taken while a
  // neighbour was busy would flatter every ratio.
  verify_rate rate;
  auto measure_ceiling = [&] {
    for (int round = 0; round < rounds; ++round) {
      verify_rate x = openssl_es256_verify_rate();
      rate.per_wall_s = std::max(rate.per_wall_s, x.per_wall_s);
      rate.per_cpu_s = std::max(rate.per_cpu_s, x.per_cpu_s);
    }
  };
  measure_ceiling();

  struct variant { const char* name; int64_t cache_s; int verifies; bool tls; run_result r; };
  std::vector<variant> variants = {{"TLS, token cache on (1 verify)", 60, 1, true, {}},
                                   {"TLS, token cache off (2 verifies)", 0, 2, true, {}},
                                   {"handler only, cache on (1 verify)", 60, 1, false, {}},
                                   {"handler only, cache off (2 verifies)", 0, 2, false, {}}};
  int line = 0;
  for (variant& v : variants) {
    if (++line != only && only > 0) continue;
    // Best of `rounds`: on a shared machine the slowest runs measure the neighbours.
    for (int round = 0; round < rounds; ++round) {
      run_result x = v.tls ? over_tls(v.cache_s, requests, connections, certs_dir) : handler_only(v.cache_s, requests);
      v.r.requests_per_s = std::max(v.r.requests_per_s, x.requests_per_s);
      if (x.per_server_cpu_s > v.r.per_server_cpu_s) {
        v.r.per_server_cpu_s = x.per_server_cpu_s;
        v.r.server_cpu_us = x.server_cpu_us;
        v.r.server_sys_us = x.server_sys_us;
      }
      v.r.ok += x.ok;
      v.r.failed += x.failed;
    }
  }
  measure_ceiling();

  std::printf("raw OpenSSL ES256 verify (same run): %.0f verify/s of wall clock, %.0f per CPU second\n",
              rate.per_wall_s, rate.per_cpu_s);
  std::printf("%d DPoP-bound requests per run, %d keep-alive connections, 1 server thread, best of %d\n\n",
              requests, connections, rounds);
  std::printf("%-37s %8s %8s %9s %10s %8s %s\n", "run", "req/s", "of wall", "req/cpu-s", "of cpu", "target",
              "ok/failed");
  std::printf("%-37s %8s %8s %9s %10s\n", "", "(wall)", "ceiling", "(server)", "ceiling");
  line = 0;
  for (const variant& v : variants) {
    if (++line != only && only > 0) continue;
    const double wall_share = v.r.requests_per_s / (rate.per_wall_s / v.verifies);
    const double cpu_share = v.r.per_server_cpu_s / (rate.per_cpu_s / v.verifies);
    std::printf("%-37s %8.0f %7.0f%% %9.0f %9.0f%% %8s %d/%d\n", v.name, v.r.requests_per_s, wall_share * 100,
                v.r.per_server_cpu_s, cpu_share * 100,
                !v.tls ? "" : (wall_share >= 0.6 && cpu_share >= 0.6) ? "met" : cpu_share >= 0.6 ? "cpu" : "MISSED",
                v.r.ok, v.r.failed);
  }
  for (const variant& v : variants) {
    if (v.tls && v.r.server_cpu_us > 0)
      std::printf("%s: server thread %.0f us CPU per request, %.0f us of it in the kernel; one verify %.0f us\n",
                  v.name, v.r.server_cpu_us, v.r.server_sys_us, 1e6 / rate.per_cpu_s);
  }
  std::printf("\nceiling = raw verify rate / verifications per request (one proof, plus the token when the\n"
              "cache is off). wall: clients and server share this machine's cores, so the wall clock also\n"
              "counts waiting for a core; cpu: per second of the server thread's own CPU time. target 60%%:\n"
              "met = on both, cpu = on the server's CPU time only.\n");
  return 0;
}
