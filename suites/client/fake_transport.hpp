#pragma once
// A transport that answers from a script instead of the network, and records every request
// with the options it was sent with: the executor's retries, nonces and replays are then
// tested without sockets and without timing.

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/http/https_client.hpp"
#include "mocks/client/transport.hpp"

namespace tether::client::testing {

struct recorded_request {
  std::string url;
  http::request req;
  http::client_options options;
};

class fake_transport : public transport {
 public:
  // Answers in order; when the queue is empty, `fallback` answers (default: 200 "{}").
  std::deque<http::exchange_result> queue;
  std::function<http::exchange_result(const recorded_request&)> fallback;
  std::vector<recorded_request> sent;
  std::vector<std::vector<recorded_request>> concurrent_batches;

  http::exchange_result send(const std::string& url, const http::request& req,
                             const http::client_options& options) override {
    sent.push_back({url, req, options});
    if (!queue.empty()) {
      auto r = queue.front();
      queue.pop_front();
      return r;
    }
    return fallback ? fallback(sent.back()) : reply(200, "{}");
  }

  std::vector<http::exchange_result> send_concurrently(const std::string& url, std::vector<http::request> reqs,
                                                       const http::client_options& options) override {
    std::vector<recorded_request> batch;
    std::vector<http::exchange_result> out;
    for (auto& r : reqs) {
      batch.push_back({url, r, options});
      out.push_back(send(url, r, options));
    }
    concurrent_batches.push_back(std::move(batch));
    return out;
  }

  static http::exchange_result reply(int status, std::string body,
                                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::exchange_result r;
    http::response res;
    res.status = status;
    for (auto& [n, v] : headers) res.headers.add(n, v);
    res.body = std::move(body);
    r.resp = std::move(res);
    r.tls_version = "TLSv1.3";
    return r;
  }

  static http::exchange_result tls_failure(std::string stage, std::string text, bool alert) {
    http::exchange_result r;
    r.failure_stage = std::move(stage);
    r.failure = std::move(text);
    r.tls_alert = alert;
    return r;
  }
};

}  // namespace tether::client::testing
