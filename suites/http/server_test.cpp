// https_server over real TLS: request and connection_info reach the handler, keep-alive,
// bounded header and body, timeouts for silent clients, bytes that are not TLS, a throwing
// handler, several listeners, and stop() (from a thread, a handler in flight, or SIGTERM).

#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <set>
#include <unistd.h>

#include "net_test_support.hpp"

namespace tether::http {
namespace {

using namespace testing_support;

response text(int status, std::string body) {
  response r;
  r.status = status;
  r.headers.add("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

TEST(HttpsServer, HandlerSeesTheRequestAndTheConnection) {
  std::mutex m;
  request got;
  connection_info info;
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::none), [&](const request& req, const connection_info& i) {
    std::lock_guard lock(m);
    got = req;
    info = i;
    response res = text(201, "made");
    res.headers.add("DPoP-Nonce", "n-1");
    return res;
  });
  srv.start();

  request req;
  req.method = "POST";
  req.target = "/token?x=1&y=%20";
  req.headers.add("Content-Type", "application/x-www-form-urlencoded");
  req.headers.add("DPoP", "proof-one");
  req.headers.add("DPoP", "proof-two");
  req.body = "grant_type=client_credentials";
  auto r = send_once(origin, req, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 201);
  EXPECT_EQ(r.resp->body, "made");
  EXPECT_EQ(r.resp->headers.first("dpop-nonce"), "n-1");

  std::lock_guard lock(m);
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/token?x=1&y=%20");
  EXPECT_EQ(got.body, "grant_type=client_credentials");
  // RFC 9449 4.3 (1): "not more than one DPoP HTTP request header field" - so both must arrive.
  EXPECT_EQ(got.headers.all("DPoP"), (std::vector<std::string>{"proof-one", "proof-two"}));
  EXPECT_EQ(got.headers.first("Host"), origin.substr(std::string("https://").size()));
  EXPECT_EQ(info.listener, "main");
  EXPECT_EQ(info.origin, origin);
  EXPECT_EQ(info.remote_address.rfind("127.0.0.1:", 0), 0u) << info.remote_address;
  EXPECT_EQ(info.tls_version, "TLSv1.3");
}

TEST(HttpsServer, KeepAliveReusesTheConnection) {
  std::mutex m;
  std::vector<std::string> remotes;
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::optional), [&](const request&, const connection_info& i) {
    std::lock_guard lock(m);
    remotes.push_back(i.remote_address);
    return text(200, "ok");
  });
  srv.start();

  https_connection conn(origin, client("client-a"));
  for (int i = 0; i < 3; ++i) {
    auto r = conn.send(request{});
    ASSERT_TRUE(r.ok()) << r.failure;
    if (i > 0) {
      EXPECT_EQ(r.handshake_ms, 0.0);  // no new handshake
    }
  }
  std::lock_guard lock(m);
  ASSERT_EQ(remotes.size(), 3u);
  EXPECT_EQ(remotes[0], remotes[1]);
  EXPECT_EQ(remotes[1], remotes[2]);
}

TEST(HttpsServer, ConnectionCloseFromTheHandlerEndsTheConnection) {
  std::mutex m;
  std::vector<std::string> remotes;
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::none), [&](const request&, const connection_info& i) {
    std::lock_guard lock(m);
    remotes.push_back(i.remote_address);
    response r = text(200, "bye");
    r.headers.add("Connection", "close");
    return r;
  });
  srv.start();

  https_connection conn(origin, client());
  auto first = conn.send(request{});
  auto second = conn.send(request{});
  ASSERT_TRUE(first.ok()) << first.failure;
  ASSERT_TRUE(second.ok()) << second.failure;
  EXPECT_GT(second.handshake_ms, 0.0);  // a new connection
  std::lock_guard lock(m);
  ASSERT_EQ(remotes.size(), 2u);
  EXPECT_NE(remotes[0], remotes[1]);
}

TEST(HttpsServer, OversizedHeaderGets431) {
  running_server srv;
  auto opts = listener("main", client_cert_mode::none);
  opts.max_header_bytes = 4096;
  std::string origin = srv.add(opts, [](const request&, const connection_info&) { return text(200, "no"); });
  srv.start();

  request req;
  req.headers.add("X-Big", std::string(8192, 'a'));
  auto r = send_once(origin, req, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 431);
  EXPECT_EQ(r.resp->headers.first("Connection"), "close");
}

TEST(HttpsServer, OversizedBodyGets413) {
  running_server srv;
  auto opts = listener("main", client_cert_mode::none);
  opts.max_body_bytes = 1000;
  std::string origin = srv.add(opts, [](const request&, const connection_info&) { return text(200, "no"); });
  srv.start();

  request req;
  req.method = "POST";
  req.body = std::string(1001, 'b');
  auto r = send_once(origin, req, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 413);

  req.body = std::string(1000, 'b');  // at the limit: served
  r = send_once(origin, req, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 200);
}

TEST(HttpsServer, MalformedRequestGets400) {
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::none),
                               [](const request&, const connection_info&) { return text(200, "no"); });
  srv.start();
  request req;
  req.method = "GE T";  // a space in the method: not a token (RFC 9110 9.1)
  auto r = send_once(origin, req, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 400);
}

TEST(HttpsServer, ThrowingHandlerGets500WithJson) {
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::none), [](const request&, const connection_info&) -> response {
    throw std::runtime_error("boom \"quoted\"");
  });
  srv.start();
  https_connection conn(origin, client());
  auto r = conn.send(request{});
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 500);
  EXPECT_EQ(r.resp->headers.first("Content-Type"), "application/json");
  EXPECT_EQ(r.resp->body,
            R"({"error":"server_error","error_description":"request handler failed: boom \"quoted\""})");
  // The server carries on, on the same connection.
  auto again = conn.send(request{});
  ASSERT_TRUE(again.ok()) << again.failure;
  EXPECT_EQ(again.resp->status, 500);
}

TEST(HttpsServer, ImpossibleStatusGets500) {
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::none),
                               [](const request&, const connection_info&) { return text(1000, "x"); });
  srv.start();
  auto r = send_once(origin, request{}, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 500);
}

TEST(HttpsServer, SilentClientIsCutOffAfterTheTimeout) {
  running_server srv;
  auto opts = listener("main", client_cert_mode::none);
  opts.timeout = std::chrono::milliseconds(200);
  std::string origin = srv.add(opts, [](const request&, const connection_info&) { return text(200, "ok"); });
  srv.start();

  int fd = tcp_connect(port_of(origin));
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(wait_for_close(fd, 60000)) << "the server kept a silent connection open";
  close(fd);
  srv.stop_and_join();
  auto errors = srv.connection_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("handshake"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("timeout"), std::string::npos) << errors[0];
}

TEST(HttpsServer, RequestThatNeverEndsIsCutOffAfterTheTimeout) {
  running_server srv;
  auto opts = listener("main", client_cert_mode::none);
  opts.timeout = std::chrono::milliseconds(300);
  std::string origin = srv.add(opts, [](const request&, const connection_info&) { return text(200, "ok"); });
  srv.start();

  raw_tls_client slow;
  ASSERT_TRUE(slow.connect(port_of(origin)));
  ASSERT_TRUE(slow.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));  // no empty line: never complete
  EXPECT_TRUE(slow.wait_for_close(60000)) << "the server kept waiting for the rest of the request";
  srv.stop_and_join();
  auto errors = srv.connection_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("read from 127.0.0.1:"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("timeout"), std::string::npos) << errors[0];
}

TEST(HttpsServer, BytesThatAreNotTlsDoNotHurtTheServer) {
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::optional),
                               [](const request&, const connection_info&) { return text(200, "ok"); });
  srv.start();

  const std::string garbage[] = {
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",  // plain HTTP on the TLS port
      std::string("\x16\x03\x01\xff\xff\x01\x00", 7) + std::string(64, '\xAA'),  // a broken ClientHello
      std::string(3000, '\0'),
  };
  for (const auto& bytes : garbage) {
    int fd = tcp_connect(port_of(origin));
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    EXPECT_TRUE(wait_for_close(fd, 60000));
    close(fd);
  }
  auto r = send_once(origin, request{}, client("client-a"));
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->status, 200);
  srv.stop_and_join();
  EXPECT_EQ(srv.connection_errors().size(), 3u);
}

TEST(HttpsServer, SeveralListenersInOneServer) {
  std::mutex m;
  std::vector<connection_info> infos;
  auto record = [&](const request&, const connection_info& i) {
    std::lock_guard lock(m);
    infos.push_back(i);
    return text(200, i.listener);
  };
  running_server srv(2);
  std::string main_origin = srv.add(listener("main", client_cert_mode::none), record);
  std::string mtls_origin = srv.add(listener("mtls", client_cert_mode::required), record);
  srv.start();
  ASSERT_NE(main_origin, mtls_origin);

  auto a = send_once(main_origin, request{}, client());
  auto b = send_once(mtls_origin, request{}, client("client-a"));
  auto c = send_once(mtls_origin, request{}, client());
  ASSERT_TRUE(a.ok()) << a.failure;
  ASSERT_TRUE(b.ok()) << b.failure;
  EXPECT_EQ(a.resp->body, "main");
  EXPECT_EQ(b.resp->body, "mtls");
  EXPECT_FALSE(c.ok());
  std::lock_guard lock(m);
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[0].origin, main_origin);
  EXPECT_EQ(infos[0].client_cert, nullptr);
  EXPECT_EQ(infos[1].origin, mtls_origin);
  ASSERT_NE(infos[1].client_cert, nullptr);
  EXPECT_EQ(infos[1].client_cert->x5t_s256(), expected_x5t("client-a"));
}

TEST(HttpsServer, StopClosesIdleConnectionsAndReturns) {
  running_server srv(2);
  std::string origin = srv.add(listener("main", client_cert_mode::none),
                               [](const request&, const connection_info&) { return text(200, "ok"); });
  srv.start();
  https_connection idle(origin, client());
  ASSERT_TRUE(idle.send(request{}).ok());
  int silent = tcp_connect(port_of(origin));  // mid-handshake, as far as the server knows
  ASSERT_GE(silent, 0);
  // The listener's timeout is 10 s; stop() must not wait for it.
  srv.stop_and_join();
  EXPECT_TRUE(wait_for_close(silent, 60000));
  close(silent);
  auto after = send_once(origin, request{}, client());
  EXPECT_FALSE(after.ok());
  EXPECT_EQ(after.failure_stage, "connect") << after.failure;
}

TEST(HttpsServer, StopLetsTheRequestInFlightFinish) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  running_server srv;
  std::string origin = srv.add(listener("main", client_cert_mode::none), [&](const request&, const connection_info&) {
    entered.set_value();
    released.wait();
    return text(200, "finished");
  });
  srv.start();

  auto reply = std::async(std::launch::async, [&] { return send_once(origin, request{}, client()); });
  entered.get_future().wait();
  std::thread stopper([&] { srv.server().stop(); });
  stopper.join();
  release.set_value();
  auto r = reply.get();
  srv.stop_and_join();
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->body, "finished");
  EXPECT_EQ(r.resp->headers.first("Connection"), "close");
}

TEST(HttpsServer, AHalfSentRequestDoesNotHoldTheStop) {
  // A client that stopped in the middle of its request: stop() closes it after a short grace
  // instead of waiting out the listener's timeout (a mock's SIGTERM waited 10 s for it).
  running_server srv;
  auto opts = listener("main", client_cert_mode::none);
  opts.timeout = std::chrono::seconds(60);
  std::string origin = srv.add(opts, [](const request&, const connection_info&) { return text(200, "ok"); });
  srv.start();
  raw_tls_client half;
  ASSERT_TRUE(half.connect(port_of(origin)));
  ASSERT_TRUE(half.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly part"));
  auto ok = send_once(origin, request{}, client());  // the server has read the half request by now
  ASSERT_TRUE(ok.ok()) << ok.failure;
  auto stopped = std::async(std::launch::async, [&] { srv.stop_and_join(); });
  // A bound far below the 60 s timeout, not a measurement.
  EXPECT_EQ(stopped.wait_for(std::chrono::seconds(20)), std::future_status::ready)
      << "stop() waited for the half-sent request";
  EXPECT_TRUE(half.wait_for_close(60000));
  stopped.get();
}

TEST(HttpsServer, StopFromInsideAHandler) {
  running_server srv;
  https_server* server = &srv.server();
  std::string origin = srv.add(listener("main", client_cert_mode::none), [server](const request&, const connection_info&) {
    server->stop();
    return text(200, "stopping");
  });
  srv.start();
  auto r = send_once(origin, request{}, client());
  ASSERT_TRUE(r.ok()) << r.failure;
  EXPECT_EQ(r.resp->body, "stopping");
  srv.stop_and_join();
}

TEST(HttpsServer, SigtermStopsARunWithSignals) {
  running_server srv(1, /*stop_on_signals=*/true);
  std::string origin = srv.add(listener("main", client_cert_mode::none),
                               [](const request&, const connection_info&) { return text(200, "ok"); });
  srv.start();
  // A served request proves run() is under way.
  ASSERT_TRUE(send_once(origin, request{}, client()).ok());
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  srv.stop_and_join();  // joins the thread that SIGTERM already ended; stop() is idempotent
  auto after = send_once(origin, request{}, client());
  EXPECT_FALSE(after.ok());
}

// A mock prints its ready line before run(); a runner that stops it at once must get a clean
// stop, not the default action of SIGTERM (death mid-write).
TEST(HttpsServer, SigtermBeforeRunIsKeptForRun) {
  https_server server(1, /*stop_on_signals=*/true);
  auto port = server.add_listener(listener("main", client_cert_mode::none),
                                  [](const request&, const connection_info&) { return text(200, "ok"); });
  ASSERT_TRUE(port.ok()) << port.err().message;
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);  // this process survives: the server has the signal
  server.run();                           // returns: the queued signal stopped it
}

TEST(HttpsServer, StopBeforeRunMakesRunReturn) {
  https_server server;
  auto port = server.add_listener(listener("main", client_cert_mode::none),
                                  [](const request&, const connection_info&) { return text(200, "ok"); });
  ASSERT_TRUE(port.ok()) << port.err().message;
  server.stop();
  server.run();
}

TEST(HttpsServer, ListenerErrorsNameWhatWasWrong) {
  https_server server;
  auto h = [](const request&, const connection_info&) { return text(200, "ok"); };
  auto o = listener("broken", client_cert_mode::none);
  o.cert_file = cert_dir() + "/absent.crt";
  auto r = server.add_listener(o, h);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("listener 'broken'"), std::string::npos) << r.err().message;
  EXPECT_NE(r.err().message.find("absent.crt"), std::string::npos) << r.err().message;

  o = listener("mismatch", client_cert_mode::none);
  o.key_file = key_path("client-a");
  r = server.add_listener(o, h);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("client-a.key"), std::string::npos) << r.err().message;
  EXPECT_NE(r.err().message.find("mismatch"), std::string::npos) << r.err().message;

  o = listener("named", client_cert_mode::none);
  o.host = "localhost";
  r = server.add_listener(o, h);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("not an IP address"), std::string::npos) << r.err().message;

  auto first = server.add_listener(listener("a", client_cert_mode::none), h);
  ASSERT_TRUE(first.ok());
  o = listener("b", client_cert_mode::none);
  o.port = *first;
  r = server.add_listener(o, h);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("cannot listen on 127.0.0.1:" + std::to_string(*first)), std::string::npos)
      << r.err().message;
}

}  // namespace
}  // namespace tether::http
