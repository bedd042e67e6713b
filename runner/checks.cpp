#include "runner/checks.hpp"

#include <regex>
#include <set>

namespace tether::runner {

const nlohmann::json* resolve_pointer(const nlohmann::json& doc, const std::string& pointer) {
  if (pointer.empty()) return &doc;
  if (pointer[0] != '/') return nullptr;
  const nlohmann::json* cur = &doc;
  std::size_t pos = 1;
  while (true) {
    std::size_t end = pointer.find('/', pos);
    std::string raw = pointer.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else if (raw[i] == '~') {
        return nullptr;
      } else {
        token += raw[i];
      }
    }
    if (cur->is_object()) {
      auto it = cur->find(token);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return nullptr;
      for (char c : token)
        if (c < '0' || c > '9') return nullptr;
      std::size_t index = std::stoul(token);
      if (index >= cur->size()) return nullptr;
      cur = &(*cur)[index];
    } else {
      return nullptr;
    }
    if (end == std::string::npos) return cur;
    pos = end + 1;
  }
}

namespace {

bool present(const nlohmann::json* v) { return v && !v->is_null(); }

// A literal, or {"step", "pointer"}: a value observed earlier in this run.
bool comparand(const nlohmann::json& spec, const reference_lookup& lookup, nlohmann::json& out) {
  if (spec.is_object() && spec.size() == 2 && spec.contains("step") && spec.contains("pointer") &&
      spec["step"].is_string() && spec["pointer"].is_string()) {
    const nlohmann::json* v = lookup ? lookup(spec["step"].get<std::string>(), spec["pointer"].get<std::string>())
                                     : nullptr;
    if (!present(v)) return false;
    out = *v;
    return true;
  }
  out = spec;
  return true;
}

void fail(check_result& r, std::string why) {
  if (r.met) r.detail = std::move(why);
  r.met = false;
}

}  // namespace

check_result evaluate_check(const nlohmann::json& check, const nlohmann::json& observation,
                            const reference_lookup& lookup) {
  check_result r;
  r.met = true;
  std::string pointer = check.value("pointer", std::string());
  const nlohmann::json* value = resolve_pointer(observation, pointer);
  r.observed = present(value) ? *value : nlohmann::json();
  nlohmann::json expected = nlohmann::json::object();

  if (check.contains("exists")) {
    bool want = check["exists"] == true;
    expected["exists"] = want;
    if (present(value) != want) fail(r, want ? "absent" : "present");
  }
  for (const char* op : {"equals", "not_equals"}) {
    if (!check.contains(op)) continue;
    nlohmann::json other;
    bool resolved = comparand(check[op], lookup, other);
    expected[op] = resolved ? other : nlohmann::json("(absent reference)");
    bool is_equals = std::string(op) == "equals";
    if (!resolved) fail(r, "the referenced value is absent");
    else if (!present(value)) fail(r, "absent");
    else if ((*value == other) != is_equals) fail(r, is_equals ? "differs" : "is equal");
  }
  if (check.contains("any_of")) {
    expected["any_of"] = check["any_of"];
    bool found = false;
    if (present(value))
      for (const auto& v : check["any_of"]) found = found || v == *value;
    if (!found) fail(r, present(value) ? "not one of the acceptable values" : "absent");
  }
  if (check.contains("matches")) {
    expected["matches"] = check["matches"];
    if (!present(value) || !value->is_string()) {
      fail(r, present(value) ? "not a string" : "absent");
    } else {
      try {
        std::regex re(check["matches"].get<std::string>(), std::regex::ECMAScript);
        if (!std::regex_search(value->get<std::string>(), re)) fail(r, "does not match");
      } catch (const std::exception&) {
        fail(r, "the regular expression does not compile");
      }
    }
  }
  if (check.contains("count")) {
    const nlohmann::json& c = check["count"];
    expected["count"] = c;
    // An absent array has no elements: "at least one event" fails when none was logged.
    std::size_t n = present(value) && (value->is_array() || value->is_object()) ? value->size() : 0;
    if (present(value) && !value->is_array() && !value->is_object()) fail(r, "not an array");
    if (c.contains("min") && n < c["min"].get<std::size_t>()) fail(r, "has " + std::to_string(n) + " elements");
    if (c.contains("max") && n > c["max"].get<std::size_t>()) fail(r, "has " + std::to_string(n) + " elements");
  }
  if (check.contains("distinct")) {
    std::string inner = check["distinct"].get<std::string>();
    expected["distinct"] = inner;
    if (!present(value) || !value->is_array()) {
      fail(r, present(value) ? "not an array" : "absent");
    } else {
      std::set<std::string> seen;
      for (const auto& e : *value) {
        const nlohmann::json* v = resolve_pointer(e, inner);
        if (!present(v)) continue;
        if (!seen.insert(v->dump()).second) {
          fail(r, "repeats " + v->dump());
          break;
        }
      }
    }
  }
  for (const char* op : {"each", "some"}) {
    if (!check.contains(op)) continue;
    bool each = std::string(op) == "each";
    expected[op] = check[op];
    if (!present(value) || !value->is_array()) {
      fail(r, present(value) ? "not an array" : "absent");
      continue;
    }
    std::size_t met = 0;
    std::string first_detail;
    for (std::size_t i = 0; i < value->size(); ++i) {
      check_result inner = evaluate_check(check[op], (*value)[i], lookup);
      if (inner.met) ++met;
      else if (first_detail.empty()) first_detail = "element " + std::to_string(i) + ": " + inner.detail;
    }
    if (each && met != value->size()) fail(r, first_detail);
    if (!each && met == 0) fail(r, value->empty() ? "no elements" : "no element meets the check");
  }
  r.expected = expected;
  return r;
}

}  // namespace tether::runner
