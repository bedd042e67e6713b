// Parameters of each action (scenarios/README.md "Actions"). Every reference is checked here:
// certificate and client registration names against the suite's vocabulary, step references
// against the steps before this one, DPoP defects against the proof builder's defect names.

#include <algorithm>

#include "runner/scenario_parts.hpp"

namespace tether::runner::detail {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string list_of(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void check_cert(object_reader& r, const char* key, const step_context& ctx) {
  const nlohmann::json* v = r.get(key);
  if (!v || v->is_null()) return;
  if (!v->is_string()) {
    r.problem(key, "expected a certificate name or null, found " + describe_type(*v));
    return;
  }
  if (!contains(vocabulary::certificate_names(), v->get<std::string>()))
    r.problem(key, "unknown certificate \"" + v->get<std::string>() + "\" (known: " +
                       list_of(vocabulary::certificate_names()) + ")");
  (void)ctx;
}

void check_client(object_reader& r, const char* key, bool required) {
  auto name = r.string(key, required);
  if (name && !contains(vocabulary::client_registrations(), *name))
    r.problem(key, "unknown client registration \"" + *name + "\" (known: " +
                       list_of(vocabulary::client_registrations()) + ")");
}

void check_string_map(object_reader& r, const char* key) {
  const nlohmann::json* m = r.object(key);
  if (!m) return;
  for (const auto& [k, v] : m->items())
    if (!v.is_string())
      r.problems().add(r.file(), pointer_join(r.at(key), k),
                       "expected a string, found " + describe_type(v));
}

void read_defects(const nlohmann::json& value, const std::string& pointer, const step_context& ctx) {
  // The defect names of core/dpop/proof_builder.hpp (proof_defects).
  object_reader d(value, ctx.file, pointer, *ctx.out);
  d.string("typ");
  if (auto v = d.strings("omit_header"))
    for (const auto& h : *v)
      if (!contains({"typ", "alg", "jwk"}, h))
        d.problem("omit_header", "expected header names among typ, alg, jwk, found \"" + h + "\"");
  d.string("alg");
  d.boolean("private_jwk");
  d.object("jwk");
  if (auto v = d.strings("omit_claims"))
    for (const auto& c : *v)
      if (!contains({"jti", "htm", "htu", "iat", "ath", "nonce"}, c))
        d.problem("omit_claims", "expected claim names among jti, htm, htu, iat, ath, nonce, found \"" + c + "\"");
  // jti_of: the proof carries the jti of the proof an earlier step sent (RFC 9449 11.1: a fresh
  // proof that repeats an accepted proof's jti); the resolver turns it into the builder's `jti`.
  if (const nlohmann::json* of = d.get("jti_of")) check_step_ref(*of, d.at("jti_of"), ctx, {"token", "resource"});
  d.string("htm");
  d.string("htu");
  d.integer("iat_offset_s", -100000000, 100000000);
  d.string("ath");
  d.string("nonce");
  d.boolean("bad_signature");
  d.choice("malformed", {"not_jwt", "two_parts", "bad_base64", "header_not_json", "payload_not_json"});
  d.object("extra_header");
  d.object("extra_claims");
}

void read_token(object_reader& r, const step_context& ctx) {
  check_client(r, "client", true);
  std::string grant = r.choice("grant", {"client_credentials", "authorization_code", "refresh_token"})
                          .value_or("client_credentials");
  if (const nlohmann::json* from = r.get("from")) {
    if (grant == "authorization_code") check_step_ref(*from, r.at("from"), ctx, {"authorize"});
    else if (grant == "refresh_token") check_step_ref(*from, r.at("from"), ctx, {"token"});
    else r.problem("from", "\"from\" applies only to the authorization_code and refresh_token grants");
  } else if (grant != "client_credentials") {
    r.problem_here("missing required member \"from\": the " + grant + " grant needs the step it continues");
  }
  check_cert(r, "cert", ctx);
  r.choice("endpoint", {"auto", "mtls", "main"});
  if (const nlohmann::json* p = r.get("dpop")) read_proof(*p, r.at("dpop"), ctx);
  r.string("scope");
  check_string_map(r, "params");
  r.strings("omit_params");
  r.string("secret");
}

void read_authorize(object_reader& r, const step_context& ctx) {
  check_client(r, "client", true);
  r.boolean("pkce");
  if (const nlohmann::json* j = r.get("dpop_jkt")) {
    if (j->is_object()) {
      object_reader k(*j, ctx.file, r.at("dpop_jkt"), *ctx.out);
      k.string("key", true);
    } else if (!j->is_string()) {
      r.problem("dpop_jkt", "expected {\"key\": NAME} or a literal thumbprint, found " + describe_type(*j));
    }
  }
  check_string_map(r, "params");
}

void read_forwarded_cert(const nlohmann::json& v, const std::string& pointer, const step_context& ctx) {
  object_reader f(v, ctx.file, pointer, *ctx.out);
  f.choice("format", {"rfc9440", "xfcc", "escaped_pem", "base64_der"}, true);
  check_cert(f, "cert", ctx);
  f.string("value");
  f.choice("via", {"proxy", "direct"});
}

void read_resource(object_reader& r, const step_context& ctx) {
  if (const nlohmann::json* t = r.get("token_from")) check_step_ref(*t, r.at("token_from"), ctx, {"token"});
  r.string("token");
  if (r.has("token_from") && r.has("token"))
    r.problem("token", "give either \"token_from\" or \"token\", not both");
  r.string("scheme");
  check_cert(r, "cert", ctx);
  if (const nlohmann::json* p = r.get("dpop")) read_proof(*p, r.at("dpop"), ctx);
  r.string("method");
  if (auto path = r.string("path"); path && (path->empty() || (*path)[0] != '/'))
    r.problem("path", "expected a path starting with \"/\"");
  r.string("query");
  if (const nlohmann::json* h = r.array("headers")) {
    for (std::size_t i = 0; i < h->size(); ++i) {
      const auto& e = (*h)[i];
      if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_string())
        ctx.out->add(ctx.file, pointer_join(r.at("headers"), i), "expected a [name, value] pair of strings");
    }
  }
  r.integer("authorization_headers", 0, 8);
  r.choice("token_in", {"header", "body", "query", "header_and_body"});
  if (const nlohmann::json* f = r.get("forwarded_cert")) read_forwarded_cert(*f, r.at("forwarded_cert"), ctx);
  r.integer("instance", 1, 2);
}

void read_introspect(object_reader& r, const step_context& ctx) {
  const nlohmann::json* t = r.get("token_from", true);
  if (t) check_step_ref(*t, r.at("token_from"), ctx, {"token"});
  check_client(r, "client", false);
}

void read_fetch(object_reader& r, const step_context& ctx) {
  std::optional<std::string> server = r.choice("server", {"as", "rs"});
  if (auto path = r.string("path"); path && (path->empty() || (*path)[0] != '/'))
    r.problem("path", "expected a path starting with \"/\"");
  // The AS's metadata where discovery found it: a scenario cannot rebuild that URL from a path.
  if (r.choice("document", {"metadata"})) {
    if (server && *server != "as") r.problem("document", "the metadata document is the AS's: \"server\" must be \"as\"");
    if (r.has("path")) r.problem("document", "give either \"document\" or \"path\", not both");
  }
  if (const nlohmann::json* u = r.object("url_from")) {
    object_reader ur(*u, ctx.file, r.at("url_from"), *ctx.out);
    if (const nlohmann::json* s = ur.get("step", true)) check_step_ref(*s, ur.at("step"), ctx, {});
    if (auto p = ur.string("pointer", true); p && !p->empty() && (*p)[0] != '/')
      ur.problem("pointer", "expected a JSON pointer starting with \"/\"");
    if (r.has("server") || r.has("path"))
      r.problem("url_from", "give either \"url_from\" or \"server\" and \"path\", not both");
  } else if (!r.has("server")) {
    r.problem_here("a fetch step needs \"server\" (with \"path\") or \"url_from\"");
  }
  check_cert(r, "cert", ctx);
}

void read_replay(object_reader& r, const step_context& ctx) {
  const nlohmann::json* of = r.get("of", true);
  if (of) check_step_ref(*of, r.at("of"), ctx, {"token", "authorize", "resource", "introspect", "fetch"});
  r.integer("concurrent", 1, 1000);
  // A second instance of the RS (question Q6: is the replay cache shared?) only has resources.
  if (auto instance = r.integer("instance", 1, 2); instance && *instance == 2 && of && of->is_string()) {
    auto it = ctx.earlier.find(of->get<std::string>());
    if (it != ctx.earlier.end() && it->second != "resource")
      r.problem("instance", "instance 2 is a second RS instance: it applies to a replay of a resource step, and \"" +
                                it->first + "\" is a " + it->second + " step");
  }
}

void read_run_client(object_reader& r, const step_context&) {
  r.choice("flow", {"token", "token+resource", "refresh+resource", "code+resource"}, true);
  check_client(r, "client", true);
  r.choice("binding", {"dpop", "mtls", "none"}, true);
}

}  // namespace

void check_step_ref(const nlohmann::json& value, const std::string& pointer, const step_context& ctx,
                    const std::vector<std::string>& actions, bool allow_current) {
  if (!value.is_string()) {
    ctx.out->add(ctx.file, pointer, "expected the name of an earlier step, found " + describe_type(value));
    return;
  }
  std::string name = value.get<std::string>();
  if (allow_current && name == ctx.current) return;
  auto it = ctx.earlier.find(name);
  if (it == ctx.earlier.end()) {
    std::string known;
    for (const auto& [n, a] : ctx.earlier) known += (known.empty() ? "" : ", ") + n;
    ctx.out->add(ctx.file, pointer, "unknown step \"" + name + "\": a reference must name an earlier step" +
                                        (known.empty() ? std::string(" (there is none)") : " (" + known + ")"));
    return;
  }
  if (!actions.empty() && !contains(actions, it->second))
    ctx.out->add(ctx.file, pointer, "step \"" + name + "\" is a " + it->second + " step; expected a " +
                                        list_of(actions) + " step");
}

void read_proof(const nlohmann::json& value, const std::string& pointer, const step_context& ctx) {
  object_reader p(value, ctx.file, pointer, *ctx.out);
  p.string("key");
  p.choice("alg", {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"});
  p.string("nonce");
  p.boolean("retry_on_nonce");
  if (const nlohmann::json* d = p.get("defects")) read_defects(*d, p.at("defects"), ctx);
  p.integer("headers", 0, 8);
  p.string("header_name");
}

void read_step_params(object_reader& r, const std::string& action, const step_context& ctx) {
  if (action == "token") read_token(r, ctx);
  else if (action == "authorize") read_authorize(r, ctx);
  else if (action == "resource") read_resource(r, ctx);
  else if (action == "introspect") read_introspect(r, ctx);
  else if (action == "fetch") read_fetch(r, ctx);
  else if (action == "replay") read_replay(r, ctx);
  else if (action == "run_client") read_run_client(r, ctx);
}

}  // namespace tether::runner::detail
