// HTTPS listeners in the shape of Beast's async server examples: a listener accepts, a session
// per connection runs handshake -> read -> handle -> write -> (read again | close) as do_x/on_x
// pairs on its own strand, and every error ends in fail(). The handler sees only the plain
// request/response structs and the connection_info captured once after the handshake.

#include "core/http/https_server.hpp"

#include <atomic>
#include <exception>
#include <stdexcept>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/http/error_body.hpp"
#include "core/http/tls_context.hpp"

namespace tether::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using detail::error_response;

namespace {

std::string endpoint_text(const tcp::endpoint& ep) {
  auto addr = ep.address();
  std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return host + ":" + std::to_string(ep.port());
}

struct listener_state {
  listener_options options;
  handler handle;
  std::string origin;
  // Streams need a non-const context; an SSL_CTX is safe to share between connections.
  mutable ssl::context ctx;

  listener_state(listener_options o, handler h, std::string origin_, SSL_CTX* native)
      : options(std::move(o)), handle(std::move(h)), origin(std::move(origin_)), ctx(native) {}
};

class session;

// How long stop() lets a connection that is mid-request finish (see session::on_stop).
constexpr std::chrono::milliseconds stop_grace{500};

// What the server and its sessions share: the stop flag and the live sessions, so that stop()
// can close idle keep-alive connections instead of waiting for their timeout.
struct server_state {
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::unordered_map<const session*, std::weak_ptr<session>> sessions;
};

//------------------------------------------------------------------------------

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, std::shared_ptr<const listener_state> listener,
          std::shared_ptr<server_state> server)
      : stream_(std::move(socket), listener->ctx),
        stop_timer_(stream_.get_executor()),
        listener_(std::move(listener)),
        server_(std::move(server)) {
    beast::error_code ec;
    info_.remote_address = endpoint_text(beast::get_lowest_layer(stream_).socket().remote_endpoint(ec));
    info_.listener = listener_->options.name;
    info_.origin = listener_->origin;
  }

  ~session() {
    std::lock_guard lock(server_->mutex);
    server_->sessions.erase(this);
  }

  void run() {
    {
      std::lock_guard lock(server_->mutex);
      server_->sessions.emplace(this, weak_from_this());
    }
    // Registered first, then the flag: either stop() saw this session, or this sees the flag.
    if (server_->stopping) return;
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::do_handshake, shared_from_this()));
  }

  // From any thread.
  void stop() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::on_stop, shared_from_this()));
  }

 private:
  enum class phase { handshake, read, write, close };

  void expire() { beast::get_lowest_layer(stream_).expires_after(listener_->options.timeout); }

  void do_handshake() {
    phase_ = phase::handshake;
    expire();
    stream_.async_handshake(ssl::stream_base::server,
                            beast::bind_front_handler(&session::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail(ec, "handshake");
    // Once per connection: the certificate cannot change on this connection (renegotiation
    // is off), and a resumed session carries the certificate of the original handshake.
    detail::describe_tls_connection(stream_.native_handle(), info_);
    do_read();
  }

  // stop() sets the shared flag at once and reaches this strand later (after a handler that
  // is running returns), so both are consulted.
  bool stopping() const { return stopping_ || server_->stopping; }

  void do_read() {
    // Between requests at stop: close now. do_close() would wait, up to the timeout, for the
    // close_notify of a client that is not reading (on_stop closes idle reads the same way).
    if (stopping()) return beast::get_lowest_layer(stream_).close();
    phase_ = phase::read;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(listener_->options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(listener_->options.max_body_bytes);
    expire();
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream) return do_close();
    if (ec == bhttp::error::header_limit) {
      return reply_and_close(error_response(431, "invalid_request", "request header fields too large"));
    }
    if (ec == bhttp::error::body_limit) {
      return reply_and_close(error_response(413, "invalid_request", "request body too large"));
    }
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category()) {
      return reply_and_close(error_response(400, "invalid_request", "malformed HTTP request: " + ec.message()));
    }
    if (ec) {
      bool idle = buffer_.size() == 0 && !parser_->got_some();
      if (idle && (ec == beast::error::timeout || stopping_)) return;  // idle keep-alive ends
      return fail(ec, "read");
    }
    handle(parser_->release());
  }

  void handle(bhttp::request<bhttp::string_body>&& msg) {
    request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& field : msg) {
      req.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    req.body = std::move(msg.body());

    response res;
    try {
      res = listener_->handle(req, info_);
    } catch (const std::exception& e) {
      res = error_response(500, "server_error", std::string("request handler failed: ") + e.what());
    } catch (...) {
      res = error_response(500, "server_error", "request handler failed");
    }
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == bhttp::verb::head;
    send(std::move(res), msg.version());
  }

  void reply_and_close(response res) {
    keep_alive_ = false;
    head_ = false;
    send(std::move(res), 11);
  }

  void send(response&& res, unsigned version) {
    try {
      build(res, version);
    } catch (const std::exception& e) {
      // Beast refuses some responses (status > 999, a body on a 204, oversized fields).
      response fallback =
          error_response(500, "server_error", std::string("response cannot be sent: ") + e.what());
      build(fallback, version);
    }
    do_write();
  }

  void build(response& res, unsigned version) {
    out_ = {};
    out_.version(version);
    if (res.status < 100 || res.status > 999) {
      throw std::invalid_argument("status " + std::to_string(res.status) + " is not a 3-digit code");
    }
    out_.result(static_cast<unsigned>(res.status));
    for (const auto& f : res.headers.fields()) out_.insert(f.name, f.value);
    out_.body() = std::move(res.body);
    // The handler may ask to close ("Connection: close"); so may the client, or stop().
    out_.keep_alive(out_.keep_alive() && keep_alive_ && !stopping());
    out_.prepare_payload();
    // RFC 9110 9.3.2: the answer to HEAD carries the GET answer's header fields, no content.
    if (head_) out_.body().clear();
  }

  void do_write() {
    phase_ = phase::write;
    expire();
    bhttp::async_write(stream_, out_, beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, "write");
    if (out_.need_eof()) return do_close();
    do_read();
  }

  void do_close() {
    phase_ = phase::close;
    expire();  // a peer that never answers close_notify must not hold the session
    stream_.async_shutdown(beast::bind_front_handler(&session::on_shutdown, shared_from_this()));
  }

  void on_shutdown(beast::error_code ec) {
    if (ec) fail(ec, "shutdown");
  }

  void on_stop() {
    stopping_ = true;
    // A connection waiting for a request that has not begun is idle: close it now. A request
    // being read, handled or answered finishes, and its response says "Connection: close".
    bool idle_read = phase_ == phase::read && buffer_.size() == 0 && !(parser_ && parser_->got_some());
    if (phase_ == phase::handshake || idle_read) return beast::get_lowest_layer(stream_).cancel();
    // ... within stop_grace, not the whole timeout: a client that sent half a request, or does
    // not read its response or answer close_notify, would otherwise hold the stop (and a
    // mock's SIGTERM) for up to the timeout. The wait holds no reference: a session that ends
    // first cancels it as it is destroyed.
    stop_timer_.expires_after(std::min(stop_grace, listener_->options.timeout));
    stop_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (auto self = weak.lock(); self && !ec) beast::get_lowest_layer(self->stream_).cancel();
    });
  }

  // The one place a connection error ends a session.
  void fail(beast::error_code ec, const char* what) {
    // ssl::error::stream_truncated: the peer closed TCP without a TLS close_notify. Many
    // clients do, and it is harmless here because every HTTP message is delimited by its own
    // framing (Content-Length or chunked), so a truncation cannot pass as a complete message
    // (Beast's async-ssl client example; https://github.com/boostorg/beast/issues/38).
    if (ec == net::ssl::error::stream_truncated) return;
    if (ec == net::error::operation_aborted && stopping_) return;
    if (listener_->options.on_connection_error) {
      std::string text = ec.category() == net::error::get_ssl_category()
                             ? detail::tls_error_text(static_cast<unsigned long>(ec.value()))
                             : ec.message();
      listener_->options.on_connection_error(std::string(what) + " from " + info_.remote_address +
                                             " on listener '" + info_.listener + "': " + text);
    }
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  net::steady_timer stop_timer_;
  std::shared_ptr<const listener_state> listener_;
  std::shared_ptr<server_state> server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> out_;
  connection_info info_;
  phase phase_ = phase::handshake;
  bool keep_alive_ = true;
  bool head_ = false;
  bool stopping_ = false;
};

//------------------------------------------------------------------------------

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(net::io_context& ioc, tcp::acceptor&& acceptor, std::shared_ptr<const listener_state> state,
           std::shared_ptr<server_state> server)
      : ioc_(ioc),
        acceptor_(std::move(acceptor)),
        retry_(acceptor_.get_executor()),
        state_(std::move(state)),
        server_(std::move(server)) {}

  void run() {
    net::dispatch(acceptor_.get_executor(), beast::bind_front_handler(&listener::do_accept, shared_from_this()));
  }

  void close() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
      self->retry_.cancel();
    });
  }

 private:
  void do_accept() {
    if (!acceptor_.is_open()) return;
    // Each connection gets its own strand.
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || server_->stopping) return;
    if (ec) {
      // Out of descriptors and the like: pause instead of spinning or giving up for good.
      if (state_->options.on_connection_error) {
        state_->options.on_connection_error("accept on listener '" + state_->options.name + "': " + ec.message());
      }
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->do_accept();
      });
      return;
    }
    // Nagle plus delayed ACK stalls every small TLS record by about 40 ms (toolchain notes 5.5).
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<session>(std::move(socket), state_, server_)->run();
    do_accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::shared_ptr<const listener_state> state_;
  std::shared_ptr<server_state> server_;
};

}  // namespace

//------------------------------------------------------------------------------

struct https_server::impl {
  explicit impl(int threads)
      : threads(threads < 1 ? 1 : threads), ioc(this->threads), guard(ioc.get_executor()), signals(ioc) {}

  void stop() {
    state->stopping = true;
    net::post(ioc, [this] {
      std::lock_guard lock(mutex);
      for (auto& l : listeners) l->close();
      beast::error_code ignored;
      signals.cancel(ignored);
      guard.reset();
    });
    std::vector<std::shared_ptr<session>> live;
    {
      std::lock_guard lock(state->mutex);
      for (auto& [ptr, weak] : state->sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->stop();
  }

  int threads;
  std::shared_ptr<server_state> state = std::make_shared<server_state>();
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> guard;
  net::signal_set signals;
  bool stop_on_signals = false;
  std::mutex mutex;
  std::vector<std::shared_ptr<listener>> listeners;
};

https_server::https_server(int threads, bool stop_on_signals) : impl_(std::make_unique<impl>(threads)) {
  // Registered now, not in run(): asio queues a signal that arrives before run() waits for it,
  // so a runner that stops the mock right after its ready line still gets a clean stop.
  if (stop_on_signals) {
    beast::error_code ec;
    impl_->signals.add(SIGINT, ec);
    impl_->signals.add(SIGTERM, ec);
    impl_->stop_on_signals = true;
  }
}

https_server::~https_server() = default;

result<uint16_t> https_server::add_listener(const listener_options& options, handler h) {
  std::string who = "listener '" + options.name + "'";
  beast::error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (ec) return make_error("http.listen", who + ": host '" + options.host + "' is not an IP address");

  auto ctx = detail::make_server_context(options);
  if (!ctx) return ctx.err();

  tcp::acceptor acceptor(net::make_strand(impl_->ioc));
  tcp::endpoint endpoint(address, options.port);
  std::string where = endpoint_text(endpoint);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return make_error("http.listen", who + ": cannot listen on " + where + ": " + ec.message());
  uint16_t port = acceptor.local_endpoint(ec).port();
  if (ec) return make_error("http.listen", who + ": no local port: " + ec.message());

  tcp::endpoint bound(address, port);
  auto state = std::make_shared<listener_state>(options, std::move(h), "https://" + endpoint_text(bound),
                                                ctx->release());
  auto l = std::make_shared<listener>(impl_->ioc, std::move(acceptor), std::move(state), impl_->state);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->listeners.push_back(l);
  }
  l->run();
  return port;
}

void https_server::run() {
  if (impl_->stop_on_signals) {
    impl_->signals.async_wait([this](beast::error_code wait_ec, int) {
      if (!wait_ec) stop();
    });
  }
  auto work = [this] {
    // A handler that escapes must not end the server (no input may crash the process).
    for (;;) {
      try {
        impl_->ioc.run();
        return;
      } catch (...) {
      }
    }
  };
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->threads; ++i) extra.emplace_back(work);
  work();
  for (auto& t : extra) t.join();
}

void https_server::stop() { impl_->stop(); }

}  // namespace tether::http
