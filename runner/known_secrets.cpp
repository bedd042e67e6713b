#include "runner/known_secrets.hpp"

#include <mutex>
#include <set>

namespace tether::runner::known_secrets {
namespace {

struct longest_first {
  bool operator()(const std::string& a, const std::string& b) const {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  }
};

std::mutex mu;
std::set<std::string, longest_first> secrets;

}  // namespace

void add(const std::string& secret) {
  if (secret.empty()) return;
  std::lock_guard<std::mutex> lock(mu);
  secrets.insert(secret);
}

std::string redact(std::string text) {
  static const std::string mark = "(redacted)";
  std::lock_guard<std::mutex> lock(mu);
  for (const std::string& s : secrets)
    for (std::size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + mark.size()))
      text.replace(at, s.size(), mark);
  return text;
}

}  // namespace tether::runner::known_secrets
