// HTTPS client in the shape of Beast's async-ssl client example: one client_connection runs
// resolve -> connect -> handshake, then write -> read for each exchange, as do_x/on_x pairs,
// with one fail() that records where and why an exchange ended. Every call drives its own
// io_context, so callers stay synchronous and no thread outlives a call.

#include "core/http/https_client.hpp"

#include <functional>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/http/https_url.hpp"
#include "core/http/tls_context.hpp"

namespace tether::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using detail::https_url;

namespace {

constexpr std::size_t max_response_header_bytes = 64 * 1024;

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

bool has_field(const header_list& headers, std::string_view name) { return headers.count(name) > 0; }

// The request.target default "/" means "the URL's path", so that callers can pass a URL alone.
bhttp::request<bhttp::string_body> to_wire(request&& req, const https_url& t) {
  bhttp::request<bhttp::string_body> out;
  out.version(11);
  out.method_string(req.method);
  out.target(req.target.empty() || req.target == "/" ? t.target : req.target);
  for (const auto& f : req.headers.fields()) out.insert(f.name, f.value);
  if (!has_field(req.headers, "Host")) out.set(bhttp::field::host, t.host_header);
  out.body() = std::move(req.body);
  // A caller that frames the body itself (a deliberately wrong Content-Length) keeps its framing.
  if (!has_field(req.headers, "Content-Length") && !has_field(req.headers, "Transfer-Encoding")) {
    out.prepare_payload();
  }
  return out;
}

response from_wire(bhttp::response<bhttp::string_body>&& msg) {
  response res;
  res.status = static_cast<int>(msg.result_int());
  for (const auto& f : msg) res.headers.add(std::string(f.name_string()), std::string(f.value()));
  res.body = std::move(msg.body());
  return res;
}

//------------------------------------------------------------------------------

// One TLS connection: connect once, then one exchange at a time. Each step records its
// outcome in result() and then calls its completion.
class client_connection : public std::enable_shared_from_this<client_connection> {
 public:
  using completion = std::function<void()>;

  client_connection(net::io_context& ioc, ssl::context& ctx, https_url t, const client_options& options)
      : resolver_(ioc),
        timer_(ioc),
        stream_(ioc, ctx),
        target_(std::move(t)),
        verify_(options.verify_server),
        max_body_(options.max_body_bytes) {}

  exchange_result& result() { return result_; }
  bool open() const { return open_; }
  // The last exchange failed before any byte of a response: on a reused connection this means
  // the server had closed it meanwhile, and the request may be sent again on a new one.
  bool closed_before_response() const { return closed_before_response_; }

  void connect(clock_type::time_point deadline, completion done) {
    result_ = {};
    deadline_ = deadline;
    done_ = std::move(done);
    do_resolve();
  }

  void exchange(request&& req, clock_type::time_point deadline, completion done) {
    result_.resp.reset();
    result_.failure_stage.clear();
    result_.failure.clear();
    result_.tls_alert = false;
    result_.failure_kind.clear();
    closed_before_response_ = false;
    deadline_ = deadline;
    done_ = std::move(done);
    head_ = req.method == "HEAD";
    try {
      out_ = to_wire(std::move(req), target_);
    } catch (const std::exception& e) {
      // Beast refuses some requests (a body on TRACE, oversized fields).
      result_.failure_stage = "write";
      result_.failure = std::string("request cannot be sent: ") + e.what();
      return finish();
    }
    do_write();
  }

  // close_notify, bounded by deadline; the outcome is not reported (the exchange is over).
  void shutdown(clock_type::time_point deadline) {
    if (!tls_up_) return;
    tls_up_ = false;
    open_ = false;
    beast::get_lowest_layer(stream_).expires_at(deadline);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

 private:
  void do_resolve() {
    stage_ = "connect";
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) {
        self->resolve_timed_out_ = true;
        self->resolver_.cancel();
      }
    });
    resolver_.async_resolve(target_.host, target_.port,
                            beast::bind_front_handler(&client_connection::on_resolve, shared_from_this()));
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    timer_.cancel();
    if (resolve_timed_out_) ec = beast::error::timeout;
    if (ec) return fail(ec);
    beast::get_lowest_layer(stream_).expires_at(deadline_);
    beast::get_lowest_layer(stream_).async_connect(
        results, beast::bind_front_handler(&client_connection::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, const tcp::endpoint&) {
    if (ec) return fail(ec);
    // Nagle plus delayed ACK stalls small TLS records by about 40 ms (toolchain notes 5.5).
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().set_option(tcp::no_delay(true), ignored);
    if (auto st = detail::configure_client_ssl(stream_.native_handle(), target_.host, verify_); !st) {
      result_.failure_stage = "handshake";
      result_.failure = st.err().message;
      return finish();
    }
    stage_ = "handshake";
    handshake_start_ = clock_type::now();
    stream_.async_handshake(ssl::stream_base::client,
                            beast::bind_front_handler(&client_connection::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    result_.handshake_ms = ms_since(handshake_start_);
    if (ec) return fail(ec);
    result_.tls_version = SSL_get_version(stream_.native_handle());
    open_ = tls_up_ = true;
    finish();
  }

  void do_write() {
    stage_ = "write";
    beast::get_lowest_layer(stream_).expires_at(deadline_);
    bhttp::async_write(stream_, out_, beast::bind_front_handler(&client_connection::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) {
      closed_before_response_ = ec != beast::error::timeout;
      return fail(ec);
    }
    do_read();
  }

  void do_read() {
    // Under TLS 1.3 a server that refuses the client certificate says so here, after the
    // client's handshake has already succeeded (toolchain notes 5.1).
    stage_ = "read";
    parser_.emplace();
    parser_->header_limit(max_response_header_bytes);
    parser_->body_limit(max_body_);  // the parser stops there: memory stays bounded
    parser_->skip(head_);  // RFC 9110 9.3.2: a response to HEAD has no content
    beast::get_lowest_layer(stream_).expires_at(deadline_);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&client_connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      closed_before_response_ = ec != beast::error::timeout && !parser_->got_some() && buffer_.size() == 0;
      return fail(ec);
    }
    auto msg = parser_->release();
    if (!msg.keep_alive()) open_ = false;
    result_.resp = from_wire(std::move(msg));
    finish();
  }

  // The one place an exchange failure is recorded.
  void fail(beast::error_code ec) {
    open_ = tls_up_ = false;
    if (ec == beast::error::timeout) {
      result_.failure_stage = "timeout";
      result_.failure = "no progress before the deadline during " + std::string(stage_);
    } else if (ec.category() == net::error::get_ssl_category()) {
      auto code = static_cast<unsigned long>(ec.value());
      result_.failure_stage = stage_;
      result_.failure = detail::tls_error_text(code);
      result_.tls_alert = detail::is_peer_alert(code);
      result_.failure_kind = detail::tls_failure_kind(code);
      // "certificate verify failed" alone does not say which check failed (CA, name, date).
      if (verify_ && stage_ == std::string_view("handshake")) {
        std::string why = detail::server_verify_failure(stream_.native_handle());
        if (!why.empty()) result_.failure += " (" + why + ")";
      }
    } else if (ec == bhttp::error::body_limit) {
      result_.failure_stage = stage_;
      result_.failure = "the response body is larger than " + std::to_string(max_body_) +
                        " bytes, the most this client reads (client_options::max_body_bytes)";
      result_.failure_kind = "too_large";
    } else {
      result_.failure_stage = stage_;
      result_.failure = ec.message();
      if (ec == bhttp::error::header_limit) result_.failure_kind = "too_large";
    }
    if (closed_before_response_ && result_.failure_kind.empty()) result_.failure_kind = "closed";
    finish();
  }

  void finish() {
    auto done = std::move(done_);
    done_ = nullptr;
    if (done) done();
  }

  tcp::resolver resolver_;
  net::steady_timer timer_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  https_url target_;
  bool verify_;
  std::uint64_t max_body_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> out_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  exchange_result result_;
  completion done_;
  clock_type::time_point deadline_;
  clock_type::time_point handshake_start_;
  const char* stage_ = "connect";
  bool head_ = false;
  bool open_ = false;    // usable for another exchange
  bool tls_up_ = false;  // handshaken and not failed: close_notify can be sent
  bool resolve_timed_out_ = false;
  bool closed_before_response_ = false;
};

// The shutdown that ends a one-off exchange waits for the server's close_notify, but not long.
clock_type::time_point shutdown_deadline(clock_type::time_point deadline) {
  return std::min(deadline, clock_type::now() + std::chrono::seconds(1));
}

struct prepared {
  https_url where;
  std::unique_ptr<ssl::context> ctx;
};

// URL and TLS settings, or the failure that prevents any connection.
std::optional<prepared> prepare(const std::string& url, const client_options& options, exchange_result& failure) {
  auto t = detail::parse_https_url(url);
  if (!t) {
    failure.failure_stage = "url";
    failure.failure = t.err().message;
    return std::nullopt;
  }
  auto ctx = detail::make_client_context(options);
  if (!ctx) {
    failure.failure_stage = "setup";
    failure.failure = ctx.err().message;
    return std::nullopt;
  }
  return prepared{std::move(*t), std::make_unique<ssl::context>(ctx->release())};
}

}  // namespace

//------------------------------------------------------------------------------

exchange_result send_once(const std::string& url, request req, const client_options& options) {
  auto start = clock_type::now();
  auto deadline = start + options.timeout;
  exchange_result failure;
  auto setup = prepare(url, options, failure);
  if (!setup) return failure;

  net::io_context ioc(1);
  auto conn = std::make_shared<client_connection>(ioc, *setup->ctx, setup->where, options);
  double total_ms = 0;
  conn->connect(deadline, [&] {
    if (!conn->open()) {
      total_ms = ms_since(start);
      return;
    }
    conn->exchange(std::move(req), deadline, [&] {
      total_ms = ms_since(start);
      conn->shutdown(shutdown_deadline(deadline));
    });
  });
  ioc.run();
  exchange_result out = std::move(conn->result());
  out.total_ms = total_ms;
  return out;
}

std::vector<exchange_result> send_concurrently(const std::string& url, std::vector<request> reqs,
                                               const client_options& options) {
  auto start = clock_type::now();
  auto deadline = start + options.timeout;
  exchange_result failure;
  auto setup = prepare(url, options, failure);
  if (!setup) return std::vector<exchange_result>(reqs.size(), failure);

  net::io_context ioc(1);
  std::vector<std::shared_ptr<client_connection>> conns;
  std::vector<double> total_ms(reqs.size(), 0);
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    conns.push_back(std::make_shared<client_connection>(ioc, *setup->ctx, setup->where, options));
  }
  // Every write starts only when every handshake has ended, so that the requests reach the
  // server as close together as one thread can send them (replay races, RFC 9449 11.1).
  std::size_t pending = conns.size();
  auto release = [&] {
    for (std::size_t i = 0; i < conns.size(); ++i) {
      if (!conns[i]->open()) continue;
      conns[i]->exchange(std::move(reqs[i]), deadline, [&, i] {
        total_ms[i] = ms_since(start);
        conns[i]->shutdown(shutdown_deadline(deadline));
      });
    }
  };
  for (std::size_t i = 0; i < conns.size(); ++i) {
    conns[i]->connect(deadline, [&, i] {
      if (!conns[i]->open()) total_ms[i] = ms_since(start);
      if (--pending == 0) release();
    });
  }
  ioc.run();
  std::vector<exchange_result> out;
  out.reserve(conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    out.push_back(std::move(conns[i]->result()));
    out.back().total_ms = total_ms[i];
  }
  return out;
}

//------------------------------------------------------------------------------

struct https_connection::impl {
  client_options options;
  exchange_result setup_failure;
  std::optional<prepared> setup;
  net::io_context ioc{1};
  std::shared_ptr<client_connection> conn;

  void run() {
    ioc.restart();
    ioc.run();
  }
};

https_connection::https_connection(std::string origin, client_options options)
    : impl_(std::make_unique<impl>()) {
  impl_->options = std::move(options);
  impl_->setup = prepare(origin, impl_->options, impl_->setup_failure);
}

https_connection::~https_connection() = default;

exchange_result https_connection::send(request req) {
  auto start = clock_type::now();
  auto deadline = start + impl_->options.timeout;
  if (!impl_->setup) return impl_->setup_failure;
  auto& conn = impl_->conn;

  for (int attempt = 0;; ++attempt) {
    bool reused = conn && conn->open();
    if (!reused) {
      conn = std::make_shared<client_connection>(impl_->ioc, *impl_->setup->ctx, impl_->setup->where,
                                                 impl_->options);
      conn->connect(deadline, [] {});
      impl_->run();
      if (!conn->open()) {
        exchange_result out = conn->result();
        out.total_ms = ms_since(start);
        conn.reset();
        return out;
      }
    }
    // Kept for one retry: a server may close an idle keep-alive connection at any time.
    std::optional<request> retry;
    if (reused && attempt == 0) retry = req;
    conn->exchange(std::move(req), deadline, [] {});
    impl_->run();
    exchange_result out = conn->result();
    out.total_ms = ms_since(start);
    if (reused) out.handshake_ms = 0;
    if (!out.ok() && retry && conn->closed_before_response()) {
      conn.reset();
      req = std::move(*retry);
      continue;
    }
    if (!conn->open()) {
      conn->shutdown(shutdown_deadline(deadline));
      impl_->run();
      conn.reset();
    }
    return out;
  }
}

}  // namespace tether::http
