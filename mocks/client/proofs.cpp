#include "mocks/client/proofs.hpp"

#include <chrono>

#include <boost/url/parse.hpp>

#include "core/dpop/htu.hpp"
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

result<std::string> expand_htu_pattern(const std::string& pattern, const std::string& correct_htu) {
  if (pattern.find('{') == std::string::npos) return pattern;
  const std::string stripped = dpop::strip_query_and_fragment(correct_htu);  // the view below points into it
  auto url = boost::urls::parse_uri(stripped);
  if (!url) return make_error("proof.htu", "the request URL " + correct_htu + " is not an absolute URI");
  std::string scheme(url->scheme());
  std::string host(url->encoded_host_and_port());
  std::string bare_host(url->encoded_host_address());
  if (url->host_type() == boost::urls::host_type::ipv6) bare_host = "[" + bare_host + "]";
  std::string port(url->port());
  std::string path(url->encoded_path());
  std::string origin = scheme + "://" + host;
  const std::pair<const char*, std::string> parts[] = {
      {"{url}", origin + path}, {"{origin}", origin}, {"{scheme}", scheme}, {"{authority}", host},
      {"{host}", bare_host},    {"{port}", port},     {"{path}", path}};
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    bool matched = false;
    if (pattern[i] == '{') {
      for (const auto& [name, value] : parts) {
        if (pattern.compare(i, std::char_traits<char>::length(name), name) == 0) {
          out += value;
          i += std::char_traits<char>::length(name);
          matched = true;
          break;
        }
      }
      if (!matched) {
        std::string rest = pattern.substr(i, pattern.find('}', i) == std::string::npos
                                                 ? std::string::npos
                                                 : pattern.find('}', i) - i + 1);
        return make_error("proof.htu", "the htu defect names " + rest +
                                           ", which is none of {url}, {origin}, {scheme}, {authority}, {host}, {port}, {path}");
      }
      continue;
    }
    out += pattern[i++];
  }
  return out;
}

result<made_proofs> make_proofs(run_state& state, const proof_options& options, const proof_target& target,
                                const std::optional<std::string>& nonce, int64_t now) {
  auto key = state.key(options.key, options.alg);
  if (!key) return key.err();
  dpop::proof_defects defects = options.defects;
  if (defects.htu) {
    auto expanded = expand_htu_pattern(*defects.htu, target.htu);
    if (!expanded) return expanded.err();
    defects.htu = std::move(*expanded);
  }
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
    auto built = dpop::build_proof(**key, spec, defects);
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
