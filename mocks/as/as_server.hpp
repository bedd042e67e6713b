#pragma once
// Routes a request to its endpoint and writes the exchange's event (docs/mock-events.md) before
// the response goes back to the transport. Plain functions of request and connection: the same
// object serves the HTTPS listeners and the tests.

#include <memory>
#include <string>

#include "core/http/message.hpp"
#include "mocks/as/as_state.hpp"

namespace tether::as {

class as_server {
 public:
  explicit as_server(std::unique_ptr<as_state> state);

  http::response handle(const http::request& req, const http::connection_info& conn);

  // A connection that ended before a request (refused handshake, garbage, timeout).
  void connection_error(const std::string& listener, const std::string& what);

  as_state& state() { return *state_; }

 private:
  std::unique_ptr<as_state> state_;
};

}  // namespace tether::as
