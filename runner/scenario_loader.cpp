#include "runner/scenario_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>

#include "runner/scenario_parts.hpp"

namespace tether::runner {
namespace fs = std::filesystem;
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Lower case, `/`-separated, at least two segments: "rfc9449/4.3/rs-rejects-ath-mismatch".
bool valid_id(const std::string& id) {
  static const std::regex re("^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._+-]*)+$");
  return std::regex_match(id, re);
}

void read_environment(object_reader& s, const std::string& file, problem_list& out) {
  const nlohmann::json* env = s.object("environment");
  if (!env) return;
  object_reader e(*env, file, s.at("environment"), out);
  if (const nlohmann::json* as = e.get("as")) {
    object_reader a(*as, file, e.at("as"), out);
    a.boolean("require_nonce");
    a.choice("mtls_client_cert_mode", {"optional", "required"});
    a.choice("token_format", {"jwt", "opaque"});
  }
  if (const nlohmann::json* rs = e.get("rs")) {
    object_reader r(*rs, file, e.at("rs"), out);
    r.choice("client_cert_mode", {"none", "optional", "required"});
    r.choice("token_format", {"jwt", "introspection"});
    r.boolean("require_nonce");
    r.choice("trusted_proxy", {"rfc9440", "xfcc", "escaped_pem", "base64_der"});
  }
}

}  // namespace

namespace {

scenario read_scenario(const nlohmann::json& v, const std::string& pointer, const scenario_file& f,
                       const knob_catalog& knobs, problem_list& out) {
  scenario sc;
  sc.file = f.path;
  sc.pointer = pointer;
  sc.spec = f.spec;
  sc.section = f.section;
  object_reader s(v, f.path, pointer, out);
  if (auto id = s.string("id", true)) {
    sc.id = *id;
    if (!valid_id(*id))
      s.problem("id", "expected a lower-case slug of at least two `/`-separated parts, such as "
                      "\"rfc9449/4.3/rs-rejects-ath-mismatch\"");
  }
  sc.title = s.string("title", true).value_or("");
  if (auto r = s.choice("role", {"as", "rs", "client"}, true)) sc.under_test = *role_from(*r);
  if (auto refs = s.strings("refs", true, true)) sc.refs = *refs;
  if (auto l = s.choice("level", {"MUST", "SHOULD", "MAY"}, true)) sc.lvl = *level_from(*l);
  sc.requirement = s.string("requirement", true).value_or("");
  if (auto flags = s.strings("flags")) {
    for (std::size_t i = 0; i < flags->size(); ++i)
      if (!f.notes.contains((*flags)[i]))
        out.add(f.path, pointer_join(s.at("flags"), i),
                "flag \"" + (*flags)[i] + "\" is not defined in the file's \"notes\"");
    sc.flags = *flags;
  }
  if (auto q = s.string("question")) {
    static const std::regex re("^Q[0-9]+$");
    if (!std::regex_match(*q, re)) s.problem("question", "expected a question ID such as \"Q1\"");
    sc.question = *q;
  }
  if (auto req = s.strings("requires")) {
    for (std::size_t i = 0; i < req->size(); ++i)
      if (!contains(vocabulary::capabilities(), (*req)[i]))
        out.add(f.path, pointer_join(s.at("requires"), i),
                "unknown capability \"" + (*req)[i] + "\" (targets/README.md lists them)");
    sc.requires_caps = *req;
  }
  read_environment(s, f.path, out);
  if (const nlohmann::json* env = s.get("environment"); env && env->is_object()) sc.environment = *env;
  if (const nlohmann::json* m = s.object("mocks")) {
    object_reader mr(*m, f.path, s.at("mocks"), out);
    for (role r : {role::as, role::rs}) {
      if (const nlohmann::json* k = mr.get(to_string(r))) {
        if (r == sc.under_test)
          mr.problem(to_string(r), std::string("knobs of the role under test (") + to_string(r) +
                                       ") break the implementation being judged; a target's own knobs do that");
        check_knobs(*k, r, f.path, mr.at(to_string(r)), knobs, out);
      }
    }
    sc.mocks = *m;
  }
  if (auto t = s.number("timeout_s", 0.1, 3600)) sc.timeout_s = *t;

  const nlohmann::json* steps = s.array("steps", true);
  if (steps && steps->empty()) s.problem("steps", "expected at least one step");
  detail::step_context ctx;
  ctx.file = f.path;
  ctx.scenario_level = sc.lvl;
  ctx.out = &out;
  bool has_control = false;
  std::vector<std::string> reject_probes;
  for (std::size_t i = 0; steps && i < steps->size(); ++i) {
    std::string sp = pointer_join(s.at("steps"), i);
    object_reader r((*steps)[i], f.path, sp, out);
    step st;
    st.pointer = sp;
    st.name = r.string("name", true).value_or("");
    if (!st.name.empty() && ctx.earlier.count(st.name))
      r.problem("name", "step name \"" + st.name + "\" is used twice in this scenario");
    ctx.current = st.name;
    st.action = r.choice("action", vocabulary::actions(), true).value_or("");
    if (auto k = r.choice("kind", {"setup", "control", "probe", "precondition"}))
      st.kind = *k == "setup"          ? step_kind::setup
                : *k == "control"      ? step_kind::control
                : *k == "precondition" ? step_kind::precondition
                                       : step_kind::probe;
    if (st.action == "run_client" && sc.under_test != role::client)
      r.problem("action", "run_client runs the client under test; it needs \"role\": \"client\"");
    detail::read_step_params(r, st.action, ctx);
    if (const nlohmann::json* e = r.get("expect", true))
      st.expect = detail::read_expectation(*e, r.at("expect"), st.action, ctx);
    if ((*steps)[i].is_object())
      for (const auto& [key, value] : (*steps)[i].items())
        if (key != "name" && key != "action" && key != "kind" && key != "expect") st.params[key] = value;
    if (st.kind == step_kind::control) has_control = true;
    if (st.kind == step_kind::probe && st.expect.outcome == expected_outcome::reject) reject_probes.push_back(sp);
    if (!st.name.empty()) ctx.earlier[st.name] = st.action;
    sc.steps.push_back(std::move(st));
  }
  // README "Steps": a rejection proves nothing unless the same request done correctly succeeds.
  if (!has_control)
    for (const auto& p : reject_probes)
      out.add(f.path, p, "this probe expects \"reject\" but the scenario has no \"control\" step: "
                         "add the same request done correctly, with \"kind\": \"control\"");
  return sc;
}

}  // namespace

bool is_other_tether_document(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("schema") || !doc["schema"].is_string()) return false;
  std::string s = doc["schema"].get<std::string>();
  return s.rfind("tether-", 0) == 0 && s.rfind("tether-scenarios/", 0) != 0;
}

scenario_file read_scenario_file(const nlohmann::json& doc, const std::string& path,
                                 const knob_catalog& knobs, problem_list& out) {
  scenario_file f;
  f.path = path;
  object_reader r(doc, path, "", out);
  r.string("$schema");
  if (auto s = r.string("schema", true); s && *s != "tether-scenarios/1")
    r.problem("schema", "expected \"tether-scenarios/1\", found \"" + *s + "\"");
  f.spec = r.string("spec", true).value_or("");
  f.section = r.string("section", true).value_or("");
  f.title = r.string("title", true).value_or("");
  if (const nlohmann::json* notes = r.object("notes")) {
    f.notes = *notes;
    for (const auto& [flag, note] : notes->items()) {
      object_reader n(note, path, pointer_join(r.at("notes"), flag), out);
      if (auto b = n.string("bug_type", true); b && !contains(vocabulary::bug_types(), *b)) {
        std::string list;
        for (const auto& t : vocabulary::bug_types()) list += (list.empty() ? "" : ", ") + t;
        n.problem("bug_type", "expected one of " + list + ", found \"" + *b + "\"");
      }
      n.string("description", true);
    }
  }
  if (const nlohmann::json* list = r.array("scenarios", true)) {
    if (list->empty()) r.problem("scenarios", "expected at least one scenario");
    for (std::size_t i = 0; i < list->size(); ++i)
      f.scenarios.push_back(read_scenario((*list)[i], pointer_join(r.at("scenarios"), i), f, knobs, out));
  }
  return f;
}

std::vector<std::string> expand_scenario_paths(const std::vector<std::string>& paths, problem_list& out) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_directory() && it->path().filename() == "schema") {
          it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file() && it->path().extension() == ".json") {
          problem_list ignored;
          nlohmann::json doc = parse_json_file(it->path().string(), ignored);
          if (!doc.is_discarded() && is_other_tether_document(doc)) continue;
          found.push_back(it->path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      out.add(p, "", "no such file or directory");
    }
  }
  return files;
}

std::vector<const scenario*> scenario_catalogue::all() const {
  std::vector<const scenario*> v;
  for (const auto& f : files)
    for (const auto& s : f.scenarios) v.push_back(&s);
  return v;
}

const scenario* scenario_catalogue::find(const std::string& id) const {
  for (const auto& f : files)
    for (const auto& s : f.scenarios)
      if (s.id == id) return &s;
  return nullptr;
}

scenario_catalogue load_scenarios(const std::vector<std::string>& files, const knob_catalog& knobs,
                                  problem_list& out) {
  scenario_catalogue cat;
  for (const auto& path : files) {
    nlohmann::json doc = parse_json_file(path, out);
    if (doc.is_discarded()) continue;
    cat.files.push_back(read_scenario_file(doc, path, knobs, out));
  }
  std::map<std::string, const scenario*> seen;
  for (const scenario* s : cat.all()) {
    if (s->id.empty()) continue;
    auto [it, fresh] = seen.emplace(s->id, s);
    if (!fresh)
      out.add(s->file, pointer_join(s->pointer, "id"),
              "duplicate scenario ID \"" + s->id + "\": also defined at " + it->second->file + ": " +
                  pointer_join(it->second->pointer, "id"));
  }
  return cat;
}

}  // namespace tether::runner
