#include "reports/temporaries.hpp"

#include <filesystem>
#include <set>

namespace tether::reports::temporaries {
namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

std::set<std::string>& paths() {
  static std::set<std::string> p;
  return p;
}

}  // namespace

hold::hold() : lock_(registry_mutex()) {}

void hold::add(const std::string& path) { paths().insert(path); }

void hold::forget(const std::string& path) { paths().erase(path); }

void remove_all_for_exit() {
  registry_mutex().lock();  // never unlocked: the process is about to _exit()
  for (const auto& p : paths()) {
    std::error_code ec;
    std::filesystem::remove_all(p, ec);
  }
  paths().clear();
}

}  // namespace tether::reports::temporaries
