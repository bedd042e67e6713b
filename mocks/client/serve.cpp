#include "mocks/client/serve.hpp"

#include <exception>

#include "mocks/client/discovery.hpp"
#include "mocks/client/json_fields.hpp"
#include "mocks/client/observation.hpp"

namespace tether::client {
namespace {

using nlohmann::json;

json failure(const json& id, const std::string& message) { return {{"id", id}, {"error", message}}; }

// Deeper nesting than any request needs: nlohmann's writer recurses, so a hostile line of
// ten thousand brackets must be refused before anything is parsed or echoed.
constexpr int max_depth = 64;

bool too_deep(const std::string& line) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : line) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > max_depth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// The run id of a request: a non-empty string.
result<std::string> run_of(const json& request) {
  auto it = request.find("run");
  if (it == request.end() || !it->is_string() || it->get<std::string>().empty())
    return make_error("serve.run", "\"run\" must be a non-empty string");
  return it->get<std::string>();
}

}  // namespace

std::string serve_loop::handle_line(const std::string& line) {
  if (too_deep(line))
    return dump_line(failure(nullptr, "the line nests deeper than " + std::to_string(max_depth) + " levels"));
  json request = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return dump_line(failure(nullptr, "the line is not JSON"));
  if (!request.is_object()) return dump_line(failure(nullptr, "the line is not a JSON object"));
  const json id = request.contains("id") ? request["id"] : json(nullptr);
  try {
    return dump_line(dispatch(request));
  } catch (const std::exception& e) {
    // Nothing below is meant to throw; should a library call do so on hostile input, the
    // worker answers and lives on.
    return dump_line(failure(id, std::string("internal error while handling the request: ") + e.what()));
  }
}

json serve_loop::dispatch(const json& request) {
  const json id = request.contains("id") ? request["id"] : json(nullptr);
  auto op = request.find("op");
  if (op == request.end() || !op->is_string()) return failure(id, "\"op\" must be a string: step, discover or end_run");
  const std::string name = op->get<std::string>();
  json answer;
  if (name == "step") answer = do_step(request);
  else if (name == "discover") answer = do_discover(request);
  else if (name == "end_run") answer = do_end_run(request);
  else return failure(id, "unknown op \"" + name + "\": expected step, discover or end_run");
  answer["id"] = id;
  return answer;
}

json serve_loop::do_step(const json& request) {
  auto run = run_of(request);
  if (!run) return {{"error", run.err().message}};
  auto it = request.find("step");
  if (it == request.end()) return {{"error", "\"step\" is missing"}};
  auto step = parse_step(*it);
  if (!step) return {{"error", step.err().message}};
  auto obs = executor_.run(runs_.get(*run), *step);
  if (!obs) return {{"error", "step \"" + step->name + "\": " + obs.err().message}};
  return {{"observation", std::move(*obs)}};
}

json serve_loop::do_discover(const json& request) {
  std::string issuer, location;
  int64_t timeout_ms = 10000;
  field_reader r(request, "request");
  r.ignore("id");
  r.ignore("op");
  r.text("issuer", issuer);
  r.text("metadata_url", location);
  r.integer("timeout_ms", timeout_ms, 1, 600000);
  const json* tls_member = r.raw("tls");
  if (auto s = r.finish(); !s) return {{"error", s.err().message}};
  if (issuer.empty()) return {{"error", "\"issuer\" is missing"}};
  tls_settings tls;
  if (tls_member) {
    auto t = parse_tls(*tls_member, "request.tls");
    if (!t) return {{"error", t.err().message}};
    tls = std::move(*t);
  }
  run_state scratch;  // discovery belongs to no run
  auto found = discover(executor_, scratch, issuer, tls, timeout_ms, "", location);
  if (!found) return {{"error", found.err().message}};
  return {{"metadata", std::move(found->metadata)}, {"metadata_url", found->url}, {"via", found->via}};
}

json serve_loop::do_end_run(const json& request) {
  auto run = run_of(request);
  if (!run) return {{"error", run.err().message}};
  runs_.end(*run);
  return {{"ok", true}};
}

std::size_t serve_loop::run(std::istream& in, std::ostream& out) {
  std::size_t answered = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out << handle_line(line) << '\n';
    out.flush();  // the runner waits for this line; nothing may sit in a buffer
    ++answered;
  }
  return answered;
}

}  // namespace tether::client
