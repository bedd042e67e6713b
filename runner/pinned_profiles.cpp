#include "runner/pinned_profiles.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include "runner/known_secrets.hpp"
#include "runner/selection.hpp"

namespace tether::runner {

std::string per_token_problem(const nlohmann::json& as_knobs, const knob_catalog* knobs) {
  if (!as_knobs.is_object()) return "";
  for (const auto& [name, value] : as_knobs.items()) {
    const knob_info* k = knobs ? knobs->find(role::as, name) : nullptr;
    if (!k || !k->per_token)
      return "needs the mock AS knob " + name + " = " + (value.is_string() ? value.get<std::string>() : value.dump()) +
             ", which is not chosen per token request (tether-as --describe-knobs: per_token), and the external RS "
             "trusts one pinned mock AS";
  }
  return "";
}

std::string random_handle() {
  unsigned char bytes[32];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    // The kernel's CSPRNG does not fail once initialised; a handle must never be guessable.
    if (n <= 0) throw std::runtime_error("getrandom failed");
    got += static_cast<std::size_t>(n);
  }
  std::string hex;
  char buf[3];
  for (unsigned char b : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    hex += buf;
  }
  return hex;
}

pinned_profiles pinned_profiles::for_plan(const std::vector<planned>& plan) {
  pinned_profiles out;
  for (const auto& p : plan) {
    if (!p.skip_reason.empty() || !p.sc->mocks.contains("as")) continue;
    const nlohmann::json& k = p.sc->mocks["as"];
    if (k.is_object() && !k.empty()) out.add(k);
  }
  return out;
}

std::string pinned_profiles::add(const nlohmann::json& as_knobs, std::string handle) {
  auto [it, fresh] = by_knobs_.try_emplace(as_knobs.dump());
  if (fresh) {
    it->second = {handle.empty() ? random_handle() : std::move(handle), as_knobs};
    known_secrets::add(it->second.first);  // never shown in a message or a report
  }
  return it->second.first;
}

std::string pinned_profiles::handle_for(const nlohmann::json& as_knobs) const {
  if (!as_knobs.is_object() || as_knobs.empty()) return "";
  auto it = by_knobs_.find(as_knobs.dump());
  return it == by_knobs_.end() ? "" : it->second.first;
}

nlohmann::json pinned_profiles::file() const {
  nlohmann::json f = nlohmann::json::object();
  for (const auto& [key, entry] : by_knobs_) f[entry.first] = entry.second;
  return f;
}

}  // namespace tether::runner
