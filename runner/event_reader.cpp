#include "runner/event_reader.hpp"

#include <algorithm>
#include <fstream>

#include "runner/known_secrets.hpp"

namespace tether::runner {

namespace {

// A member read as text, or `fallback` when it is absent or not a string. json::value() throws
// type_error when the member exists with another type, and the log is written by a process under
// test (docs/mock-events.md): {"trace": 5} must be an event without a trace, not an abort.
std::string text_member(const nlohmann::json& e, const char* key, const std::string& fallback) {
  auto it = e.find(key);
  return it != e.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

event_reader::event_reader(std::string path) : path_(std::move(path)) {}

void event_reader::sync() {
  std::lock_guard<std::mutex> lock(mu_);
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;
  in.seekg(offset_);
  std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  offset_ += static_cast<long long>(chunk.size());
  partial_ += chunk;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = partial_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string line = partial_.substr(start, nl - start);
    start = nl + 1;
    nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object()) continue;  // a torn or foreign line is not an event
    std::string trace = text_member(e, "trace", "");
    by_trace_[trace].push_back(e);
    order_.push_back(std::move(e));
  }
  partial_.erase(0, start);
}

std::vector<nlohmann::json> event_reader::take(const std::string& trace) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_trace_.find(trace);
  if (it == by_trace_.end()) return {};
  std::vector<nlohmann::json> out = std::move(it->second);
  by_trace_.erase(it);
  // order_ only serves take_all on private instances; keep it bounded on shared ones.
  if (order_.size() > 4096) order_.clear();
  return out;
}

std::vector<nlohmann::json> event_reader::take_prefix(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<nlohmann::json> out;
  auto it = by_trace_.lower_bound(prefix);
  while (it != by_trace_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
    for (auto& e : it->second) out.push_back(std::move(e));
    it = by_trace_.erase(it);
  }
  // Back into the order they happened (ISO 8601 UTC times sort as text).
  std::stable_sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return text_member(a, "ts", "") < text_member(b, "ts", "");
  });
  if (order_.size() > 4096) order_.clear();
  return out;
}

std::vector<nlohmann::json> event_reader::take_all() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<nlohmann::json> out = std::move(order_);
  order_.clear();
  by_trace_.clear();
  return out;
}

nlohmann::json group_events(const std::vector<nlohmann::json>& events, const std::string& default_server) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& e : events) {
    if (!e.is_object()) continue;  // take() only yields objects; a caller's list may hold anything
    std::string server = text_member(e, "server", default_server);
    std::string endpoint = text_member(e, "endpoint", "other");
    out[server][endpoint].push_back(e);
  }
  return out;
}

nlohmann::json scrub_secrets(const nlohmann::json& v) {
  if (v.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : v) out.push_back(scrub_secrets(e));
    return out;
  }
  if (v.is_string()) {
    // HTTP Basic credentials and form-encoded secrets inside recorded requests.
    std::string s = known_secrets::redact(v.get<std::string>());  // a token profile's handle, say
    if (s.rfind("Basic ", 0) == 0) return "Basic (redacted)";
    std::size_t at = s.find("client_secret=");
    if (at != std::string::npos) {
      std::size_t end = s.find('&', at);
      return s.substr(0, at) + "client_secret=(redacted)" + (end == std::string::npos ? "" : s.substr(end));
    }
    return s;
  }
  if (!v.is_object()) return v;
  bool is_jwk = v.contains("kty");
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, e] : v.items()) {
    if (k == "client_secret" || k == "secret" || k == "password") continue;
    // RFC 7517/7518 private members of a JWK.
    if (is_jwk && (k == "d" || k == "p" || k == "q" || k == "dp" || k == "dq" || k == "qi" || k == "k")) continue;
    out[k] = scrub_secrets(e);
  }
  return out;
}

}  // namespace tether::runner
