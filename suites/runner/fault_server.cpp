// tether-fault-server: a target that misbehaves, for the runner's fault tests. One mode per
// process, on 127.0.0.1, printing one JSON ready line ({"ready":true,"port":N,"url":...}) once
// it listens:
//   slow          every answer comes after --delay-ms (default 30000): longer than any step
//   non_json      200 text/html for every path, the AS metadata included
//   redirect      302 to the same URL, forever (a redirect loop)
//   server_error  500 with an HTML body
//   huge          200 with a 2 MiB JSON body: more than tether-client reads (docs/client-protocol.md)
//   garbage_tls   accepts TCP and answers bytes that are not TLS (plain HTTP), then closes
// Every mode but garbage_tls is an https_server of core/http (the suite's own TLS plumbing);
// garbage_tls is a plain socket, since its whole point is not to speak TLS.
//
// Usage: tether-fault-server --mode MODE --certs DIR [--port N] [--delay-ms MS]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "core/http/https_server.hpp"

namespace {

using tether::http::request;
using tether::http::response;

struct options {
  std::string mode;
  std::string certs;
  int port = 0;
  int delay_ms = 30000;
};

int usage(const char* why) {
  std::fprintf(stderr, "tether-fault-server: %s\nusage: tether-fault-server --mode "
               "slow|non_json|redirect|server_error|huge|garbage_tls --certs DIR [--port N] [--delay-ms MS]\n", why);
  return 2;
}

void ready(int port) {
  std::printf("{\"ready\":true,\"port\":%d,\"url\":\"https://127.0.0.1:%d\"}\n", port, port);
  std::fflush(stdout);
}

response answer(const options& o, const request& rq, const tether::http::connection_info& ci) {
  response r;
  if (o.mode == "slow") {
    std::this_thread::sleep_for(std::chrono::milliseconds(o.delay_ms));
    r.headers.add("Content-Type", "application/json");
    r.body = "{}";
  } else if (o.mode == "non_json") {
    r.headers.add("Content-Type", "text/html");
    r.body = "<html><body>Welcome to the portal</body></html>";
  } else if (o.mode == "huge") {
    r.headers.add("Content-Type", "application/json");
    r.body = "{\"pad\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}";
  } else if (o.mode == "redirect") {
    r.status = 302;
    r.headers.add("Location", ci.origin + rq.target);
  } else {
    r.status = 500;
    r.headers.add("Content-Type", "text/html");
    r.body = "<html><body>Internal Server Error</body></html>";
  }
  return r;
}

// Not TLS at all: whatever the client sends, the answer is a plain-text HTTP response.
int serve_garbage(const options& o) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(o.port));
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    std::fprintf(stderr, "tether-fault-server: cannot listen: %s\n", std::strerror(errno));
    return 2;
  }
  ready(ntohs(a.sin_port));
  const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
  while (true) {
    int c = ::accept(fd, nullptr, nullptr);
    if (c < 0) continue;
    char buf[4096];
    (void)!::recv(c, buf, sizeof buf, 0);  // the ClientHello, unread
    (void)!::send(c, reply, sizeof reply - 1, MSG_NOSIGNAL);
    ::close(c);
  }
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return usage(("missing value after " + a).c_str());
    std::string v = argv[++i];
    if (a == "--mode") o.mode = v;
    else if (a == "--certs") o.certs = v;
    else if (a == "--port") o.port = std::atoi(v.c_str());
    else if (a == "--delay-ms") o.delay_ms = std::atoi(v.c_str());
    else return usage(("unknown option " + a).c_str());
  }
  if (o.mode == "garbage_tls") return serve_garbage(o);
  if (o.mode != "slow" && o.mode != "non_json" && o.mode != "redirect" && o.mode != "server_error" &&
      o.mode != "huge")
    return usage("unknown --mode");
  if (o.certs.empty()) return usage("--certs DIR is required");
  tether::http::https_server server(4, /*stop_on_signals=*/true);
  tether::http::listener_options lo;
  lo.port = static_cast<uint16_t>(o.port);
  lo.cert_file = o.certs + "/server.crt";
  lo.key_file = o.certs + "/server.key";
  lo.timeout = std::chrono::milliseconds(o.delay_ms + 10000);
  auto port = server.add_listener(lo, [&o](const request& rq, const tether::http::connection_info& ci) {
    return answer(o, rq, ci);
  });
  if (!port) {
    std::fprintf(stderr, "tether-fault-server: %s\n", port.err().message.c_str());
    return 2;
  }
  ready(*port);
  server.run();
  return 0;
}
