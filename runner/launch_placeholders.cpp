#include "runner/launch_placeholders.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runner/mock_commands.hpp"

namespace tether::runner {
namespace {

constexpr const char* port_open = "{port";

// Calls f(name, begin, end) for each {port} / {port:NAME} in text; returns false on a
// malformed one.
template <typename F>
bool for_each_port(const std::string& text, F f) {
  std::size_t at = 0;
  while ((at = text.find(port_open, at)) != std::string::npos) {
    std::size_t after = at + 5;
    if (after < text.size() && text[after] == '}') {
      f(std::string(), at, after + 1);
      at = after + 1;
      continue;
    }
    if (after < text.size() && text[after] == ':') {
      std::size_t close = text.find('}', after);
      if (close == std::string::npos) return false;
      std::string name = text.substr(after + 1, close - after - 1);
      if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
        return false;
      f(name, at, close + 1);
      at = close + 1;
      continue;
    }
    at = after;  // "{ports}" or similar: not ours
  }
  return true;
}

template <typename F>
void each_text(target& t, F f) {
  if (t.launch) {
    for (auto& a : t.launch->command) f(a, "launch.command");
    for (auto& [k, v] : t.launch->env) f(v, "launch.env");
    f(t.launch->ready_url, "launch.ready_url");
  }
  f(t.settings[role::as].issuer, "as.issuer");
  f(t.settings[role::as].metadata_url, "as.metadata_url");
  f(t.settings[role::rs].url, "rs.url");
  for (auto& [path, u] : t.settings[role::rs].urls) f(u, "rs.urls");
  f(t.settings[role::rs].second_instance, "rs.second_instance");
  for (auto& a : t.settings[role::client].command) f(a, "client.command");
}

}  // namespace

status collect_ports(const std::string& text, std::map<std::string, int>& ports) {
  bool ok = for_each_port(text, [&](const std::string& name, std::size_t, std::size_t) { ports.emplace(name, 0); });
  if (!ok)
    return make_error("target.placeholder",
                      "a port placeholder is {port} or {port:NAME} (NAME in a-z, 0-9, _ and -): \"" + text + "\"");
  return {};
}

std::string substitute(const std::string& text, const placeholder_values& v) {
  std::string out;
  std::size_t last = 0;
  for_each_port(text, [&](const std::string& name, std::size_t begin, std::size_t end) {
    auto it = v.ports.find(name);
    if (it == v.ports.end()) return;
    out += text.substr(last, begin - last) + std::to_string(it->second);
    last = end;
  });
  out += text.substr(last);
  auto replace_all = [](std::string text, const std::string& from, const std::string& to) {
    std::string result;
    std::size_t at = 0, found;
    while ((found = text.find(from, at)) != std::string::npos) {
      result += text.substr(at, found - at) + to;
      at = found + from.size();
    }
    return result + text.substr(at);
  };
  out = replace_all(out, "{certs}", v.certs_dir);
  for (const auto& [name, path] : v.programs) out = replace_all(out, "{" + name + "}", path);
  return out;
}

status choose_free_ports(std::map<std::string, int>& ports) {
  // All sockets stay bound until every port is known, so two names never get the same port.
  std::vector<int> fds;
  status st;
  for (auto& [name, port] : ports) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      st = make_error("target.port", std::string("socket: ") + std::strerror(errno));
      break;
    }
    fds.push_back(fd);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      st = make_error("target.port", std::string("no free port on 127.0.0.1: ") + std::strerror(errno));
      break;
    }
    port = ntohs(a.sin_port);
  }
  for (int fd : fds) ::close(fd);
  return st;
}

result<placeholder_values> fill_placeholders(target& t, const std::string& certs_dir) {
  placeholder_values v;
  v.certs_dir = certs_dir;
  for (role r : {role::as, role::rs, role::client}) v.programs[std::string("tether-") + to_string(r)] = mock_binary(r);
  status bad;
  each_text(t, [&](std::string& text, const char* where) {
    if (!bad) return;  // the first problem is enough
    if (status s = collect_ports(text, v.ports); !s) bad = make_error(s.err().code, std::string(where) + ": " + s.err().message);
  });
  if (!bad) return bad.err();
  if (status s = choose_free_ports(v.ports); !s) return s.err();
  each_text(t, [&](std::string& text, const char*) { text = substitute(text, v); });
  return v;
}

}  // namespace tether::runner
