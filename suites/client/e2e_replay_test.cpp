// replay over real TLS: the exact request again is refused by the RS's replay cache (RFC 9449
// 11.1), and fifty copies sent at the same moment to an RS that has not seen the proof yet get
// through exactly once.

#include <gtest/gtest.h>

#include "e2e_world.hpp"
#include "mocks/client/discovery.hpp"
#include "mocks/client/step_executor.hpp"
#include "support.hpp"

namespace tether::client {
namespace {

using nlohmann::json;
using namespace testing;

struct replay_fixture {
  https_transport net;
  step_executor exec{net, {certs_dir() + "/ca.crt", nullptr}};
  run_state state;
  std::string trace = unique("replay");

  json run(const resolved_step& s) {
    auto obs = exec.run(state, s);
    EXPECT_TRUE(obs.ok()) << (obs.ok() ? "" : obs.err().message);
    return obs.ok() ? *obs : json::object();
  }

  // A DPoP token from the AS of w.
  json token(world& w) {
    auto found = discover(exec, state, w.issuer(), tls_settings{w.ca(), "", "", ""}, 30000);
    EXPECT_TRUE(found.ok());
    json reg = builtin_client("dpop-bound");
    resolved_step s;
    s.name = "tok";
    s.action = "token";
    s.url = found.ok() ? endpoint_for(found->metadata, "token_endpoint", false) : "";
    s.trace = trace + "/tok";
    s.tls.ca_file = w.ca();
    s.client = {"dpop-bound", "client_secret_basic", reg["client_secret"].get<std::string>()};
    s.dpop = proof_options{};
    return run(s);
  }

  resolved_step resource(const std::string& url, const json& tok) {
    resolved_step s;
    s.name = "probe";
    s.action = "resource";
    s.url = url;
    s.trace = trace + "/probe";
    s.tls.ca_file = certs_dir() + "/ca.crt";
    s.access_token = tok["token"]["access_token"].get<std::string>();
    s.token_type = "DPoP";
    s.dpop = proof_options{};
    return s;
  }

  resolved_step replay(const std::string& name, int64_t concurrent) {
    resolved_step r;
    r.name = name;
    r.action = "replay";
    r.of = "probe";
    r.concurrent = concurrent;
    r.timeout_ms = 60000;
    return r;
  }
};

TEST(e2e_replay, SameRequestAgainIsRefused) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  replay_fixture f;
  json tok = f.token(w);
  json first = f.run(f.resource(w.resource(), tok));
  ASSERT_EQ(first["response"]["status"], 200) << first.dump();
  json again = f.run(f.replay("again", 1));
  EXPECT_EQ(again["response"]["status"], 401);
  EXPECT_EQ(again["request"]["dpop"]["claims"]["jti"], first["request"]["dpop"]["claims"]["jti"]);
  auto events = events_for(w.rs.event_log, f.trace + "/probe", "resource");
  ASSERT_EQ(events.size(), 2u);  // the replay carries the original's Tether-Trace
  EXPECT_EQ(events[1]["dpop"]["check"], "replayed");
}

TEST(e2e_replay, FiftyAtOnceOneAccepted) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  replay_fixture f;
  json tok = f.token(w);
  // A first RS accepts the request; a second RS on the same port, whose replay cache has not
  // seen the proof, then receives fifty copies at once.
  mock_server first_rs = start_rs(w.as);
  ASSERT_TRUE(first_rs.process);
  const int port = first_rs.ready["port"];
  json original = f.run(f.resource(first_rs.ready["resource"], tok));
  ASSERT_EQ(original["response"]["status"], 200) << original.dump();
  first_rs.process->stop();
  mock_server fresh_rs = start_rs(w.as, {"--port", std::to_string(port)});
  ASSERT_TRUE(fresh_rs.process) << read_text(fresh_rs.stderr_file);

  json race = f.run(f.replay("race", 50));
  const json& c = race["concurrent"];
  EXPECT_EQ(c["sent"], 50);
  EXPECT_EQ(c["accepted"], 1) << c.dump();
  EXPECT_EQ(c["rejected"], 49) << c.dump();
  EXPECT_EQ(c["statuses"]["401"], 49);
  EXPECT_EQ(race["response"]["status"], 200);

  auto events = events_for(fresh_rs.event_log, f.trace + "/probe", "resource");
  ASSERT_EQ(events.size(), 50u);
  int replayed = 0, accepted = 0;
  for (const auto& e : events) {
    if (e["response"]["status"] == 200) ++accepted;
    if (e["dpop"].value("check", "") == "replayed") ++replayed;
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(replayed, 49);
}

// A second RS behind the first's public origin (question Q6): a fresh proof made for the public
// URL is accepted there, and a proof the first instance used is accepted again by the second,
// whose replay cache is its own; the request and the proof are the public URL's throughout.
TEST(e2e_replay, ToSendsTheSameRequestToAnotherInstance) {
  world& w = world_named("default");
  ASSERT_TRUE(w.ok());
  replay_fixture f;
  json tok = f.token(w);
  mock_server second = start_rs(w.as, {"--knob", "public_origin=" + w.rs.ready["url"].get<std::string>()});
  ASSERT_TRUE(second.process) << read_text(second.stderr_file);
  const std::string second_origin = second.ready["url"];

  resolved_step reach = f.resource(w.resource(), tok);
  reach.to = second_origin;
  json reached = f.run(reach);
  EXPECT_EQ(reached["response"]["status"], 200) << reached.dump();
  EXPECT_EQ(reached["to"], second_origin);
  EXPECT_EQ(reached["request"]["dpop"]["claims"]["htu"], w.resource());

  json first = f.run(f.resource(w.resource(), tok));
  ASSERT_EQ(first["response"]["status"], 200) << first.dump();
  resolved_step again = f.replay("again", 1);
  again.to = second_origin;
  json replayed = f.run(again);
  EXPECT_EQ(replayed["response"]["status"], 200) << replayed.dump();
  EXPECT_EQ(replayed["request"]["dpop"]["claims"]["jti"], first["request"]["dpop"]["claims"]["jti"]);
  EXPECT_EQ(events_for(second.event_log, f.trace + "/probe", "resource").size(), 2u);

  resolved_step bad = f.replay("bad", 1);
  bad.to = second_origin + "/path";
  auto refused = f.exec.run(f.state, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.err().message.find("step.to must be an https:// origin"), std::string::npos);
}

}  // namespace
}  // namespace tether::client
