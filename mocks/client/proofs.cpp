#include "mocks/client/proofs.hpp"

#include <chrono>

#include "core/dpop/proof_builder.hpp"

namespace tether::client {
namespace {

nlohmann::json proof_json(const dpop::built_proof& p) {
  return {{"header", p.header}, {"claims", p.claims}, {"jkt", p.jkt}, {"defects", p.defects}};
}

}  // namespace

int64_t unix_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<std::string> nonce_for(const proof_options& options, const run_state& state,
                                     const std::string& origin) {
  if (options.nonce == "none") return std::nullopt;
  if (options.nonce == "auto") return state.nonce(origin);
  return options.nonce;
}

result<made_proofs> make_proofs(run_state& state, const proof_options& options, const proof_target& target,
                                const std::optional<std::string>& nonce, int64_t now) {
  auto key = state.key(options.key, options.alg);
  if (!key) return key.err();
  dpop::proof_spec spec;
  spec.htm = target.htm;
  spec.htu = target.htu;
  spec.access_token = target.access_token;
  spec.nonce = nonce;
  spec.iat = now;
  spec.alg = options.alg;
  made_proofs out;
  nlohmann::json all = nlohmann::json::array();
  // headers: 0 still builds one proof, so the observation shows what was withheld.
  const int64_t count = options.headers < 1 ? 1 : options.headers;
  for (int64_t i = 0; i < count; ++i) {
    auto built = dpop::build_proof(**key, spec, options.defects);
    if (!built) return make_error(built.err().code, "the DPoP proof for key \"" + options.key +
                                                        "\" cannot be built: " + built.err().message);
    if (i < options.headers) out.values.push_back(built->compact);
    if (i == 0) out.observed = proof_json(*built);
    all.push_back(proof_json(*built));
  }
  out.observed["count"] = options.headers;
  if (options.headers > 1) out.observed["proofs"] = std::move(all);
  return out;
}

void add_proof_headers(http::request& req, const proof_options& options, const made_proofs& proofs) {
  for (const auto& value : proofs.values) req.headers.add(options.header_name, value);
}

}  // namespace tether::client
