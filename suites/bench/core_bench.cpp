// tether-bench-core: the cost of verifying a DPoP proof, next to the ES256 verify inside it.
//   raw_openssl_es256_verify  EVP_DigestVerify of a DER signature with a prebuilt EVP_PKEY
//   jws_es256_verify          parse_compact of a proof-sized token + jose::verify, key parsed once
//   dpop_proof_verify         verify_proof of a distinct proof each iteration (RFC 9449 4.3 and
//                             11.1: checks 1 to 12, htu normalisation, ath, key binding, replay
//                             cache), with the proof key cache (key_cache:1, the common case of
//                             one client sending many proofs) and without it (key_cache:0)
// After the table it prints each throughput as a fraction of the raw verify: the signature
// check dominates, so everything else should cost little (the target is 80% or more).

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "core/dpop/proof_builder.hpp"
#include "core/dpop/proof_key_cache.hpp"
#include "core/dpop/proof_verifier.hpp"
#include "core/dpop/replay_cache.hpp"
#include "core/jose/jwk.hpp"
#include "core/jose/jws.hpp"

namespace {

using namespace tether;

constexpr int64_t now = 1700000000;
constexpr std::size_t pool_size = 4096;
const std::string resource_url = "https://127.0.0.1:9443/api/resource";
const std::string access_token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl";

struct fixture {
  jose::jwk key;                      // the client's ES256 key (private)
  jose::jwk public_key;               // parsed once, for the JWS benchmark
  std::vector<std::string> proofs;    // distinct proofs (fresh jti each) for one request
  std::string signing_input;          // of proofs[0]: the "fixed message" of the raw verify
  std::string der_signature;          // ECDSA DER over signing_input
};

const fixture& shared() {
  static const fixture f = [] {
    fixture out{*jose::jwk::generate("ES256"), {}, {}, {}, {}};
    out.public_key = out.key.public_key();
    dpop::proof_spec spec;
    spec.htm = "GET";
    spec.htu = resource_url;
    spec.iat = now;
    spec.access_token = access_token;
    for (std::size_t i = 0; i < pool_size; ++i) {
      out.proofs.push_back(dpop::build_proof(out.key, spec)->compact);
    }
    const auto jws = *jose::parse_compact(out.proofs.front());
    out.signing_input = jws.signing_input();

    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t size = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, out.key.evp());
    EVP_DigestSign(ctx, nullptr, &size,
                   reinterpret_cast<const unsigned char*>(out.signing_input.data()),
                   out.signing_input.size());
    out.der_signature.resize(size);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(out.der_signature.data()), &size,
                   reinterpret_cast<const unsigned char*>(out.signing_input.data()),
                   out.signing_input.size());
    out.der_signature.resize(size);
    EVP_MD_CTX_free(ctx);
    return out;
  }();
  return f;
}

void raw_openssl_es256_verify(benchmark::State& state) {
  const auto& f = shared();
  EVP_PKEY* pkey = f.public_key.evp();
  const auto* sig = reinterpret_cast<const unsigned char*>(f.der_signature.data());
  const auto* msg = reinterpret_cast<const unsigned char*>(f.signing_input.data());
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
                    EVP_DigestVerify(ctx, sig, f.der_signature.size(), msg,
                                     f.signing_input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
      state.SkipWithError("raw ES256 verify failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(f.signing_input.size()) + "-byte message");
}

void jws_es256_verify(benchmark::State& state) {
  const auto& f = shared();
  const std::string& token = f.proofs.front();
  for (auto _ : state) {
    auto jws = jose::parse_compact(token);
    if (!jws || !jose::verify(*jws, f.public_key, "ES256")) {
      state.SkipWithError("JWS verify failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(token.size()) + "-byte token");
}

// state.range(0): 1 with a proof key cache (a client's proofs share their header, so its key is
// parsed once), 0 without (every proof's jwk parsed into a new OpenSSL key).
void dpop_proof_verify(benchmark::State& state) {
  const auto& f = shared();
  dpop::proof_request request;
  request.method = "GET";
  request.url = resource_url;
  request.access_token = access_token;
  request.bound_jkt = f.key.thumbprint();
  request.dpop_headers.resize(1);
  auto cache = std::make_unique<dpop::replay_cache>();
  dpop::proof_key_cache keys;
  dpop::verify_policy policy;
  policy.replay = cache.get();
  if (state.range(0) == 1) policy.keys = &keys;
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == f.proofs.size()) {
      // Every proof of the pool was used once: start a fresh replay cache so the next round is
      // judged as new proofs again (outside the timing, so the cost per proof stays real).
      state.PauseTiming();
      cache = std::make_unique<dpop::replay_cache>();
      policy.replay = cache.get();
      next = 0;
      state.ResumeTiming();
    }
    request.dpop_headers[0] = f.proofs[next++];
    const auto verdict = dpop::verify_proof(request, policy, now);
    if (!verdict.ok()) {
      state.SkipWithError(("DPoP verify failed: " + verdict.detail).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(raw_openssl_es256_verify)->Unit(benchmark::kMicrosecond);
BENCHMARK(jws_es256_verify)->Unit(benchmark::kMicrosecond);
BENCHMARK(dpop_proof_verify)->ArgName("key_cache")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

// The console table, then each benchmark's throughput relative to the raw verify.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred || run.iterations == 0) continue;
      // CPU time, not wall time: on a shared machine wall time mostly measures the neighbours.
      auto& total = totals_[run.benchmark_name()];
      total.first += run.cpu_accumulated_time;
      total.second += static_cast<double>(run.iterations);
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    const auto raw = totals_.find("raw_openssl_es256_verify");
    if (raw == totals_.end()) return;
    const double raw_rate = raw->second.second / raw->second.first;
    auto& out = GetOutputStream();
    char line[160];
    std::snprintf(line, sizeof line, "\nthroughput (CPU time) relative to raw OpenSSL ES256 verify:\n");
    out << line;
    for (const auto& [name, total] : totals_) {
      const double rate = total.second / total.first;
      std::snprintf(line, sizeof line, "  %-30s %9.0f/s  %6.1f%%\n", name.c_str(), rate,
                    100.0 * rate / raw_rate);
      out << line;
    }
    out.flush();
  }

 private:
  std::map<std::string, std::pair<double, double>> totals_;  // seconds, iterations
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
