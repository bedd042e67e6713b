#include "mocks/client/run_state.hpp"

#include <algorithm>
#include <cctype>

#include <boost/url/parse.hpp>

namespace tether::client {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

result<const jose::jwk*> run_state::key(const std::string& name, const std::string& alg) {
  if (auto it = keys_.find(name); it != keys_.end()) return &it->second;
  auto made = jose::jwk::generate(alg.empty() ? "ES256" : alg);
  if (!made) return make_error("key.generate", "cannot create key \"" + name + "\" for " + alg + ": " + made.err().message);
  return &keys_.emplace(name, std::move(*made)).first->second;
}

void run_state::set_key(const std::string& name, jose::jwk key) { keys_.insert_or_assign(name, std::move(key)); }

const jose::jwk* run_state::find_key(const std::string& name) const {
  auto it = keys_.find(name);
  return it == keys_.end() ? nullptr : &it->second;
}

std::optional<std::string> run_state::nonce(const std::string& origin) const {
  auto it = nonces_.find(origin);
  if (it == nonces_.end()) return std::nullopt;
  return it->second;
}

void run_state::set_nonce(const std::string& origin, std::string nonce) { nonces_[origin] = std::move(nonce); }

const sent_request* run_state::last_request(const std::string& step) const {
  auto it = requests_.find(step);
  return it == requests_.end() ? nullptr : &it->second;
}

void run_state::remember(const std::string& step, sent_request request) {
  requests_.insert_or_assign(step, std::move(request));
}

std::string origin_of(const std::string& url) {
  auto u = boost::urls::parse_uri(url);  // URI-reference of RFC 3986 4.1: a fragment is allowed
  if (!u) return url;  // not a URL: keyed as given, so it still never mixes with another
  std::string scheme = lower(std::string(u->scheme()));
  std::string port = u->has_port() ? std::string(u->port()) : (scheme == "http" ? "80" : "443");
  std::string host = lower(std::string(u->encoded_host()));
  if (u->host_type() == boost::urls::host_type::ipv6) host = "[" + lower(std::string(u->encoded_host_address())) + "]";
  return scheme + "://" + host + ":" + port;
}

}  // namespace tether::client
