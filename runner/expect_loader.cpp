// A step's `expect` (scenarios/README.md "Expectations"): the outcome, the acceptable status,
// error and scheme sets, and the checks with their operators.

#include <regex>

#include "runner/scenario_parts.hpp"

namespace tether::runner::detail {
namespace {

const char* const kStatusShape = "expected an integer, an array of integers or {\"any_of\", \"level\"}";
const char* const kTextShape = "expected a string, an array of strings or {\"any_of\", \"level\"}";
const char* const kSchemeShape =
    "expected a string, an array of strings or {\"any_of\" or \"all_of\", \"level\"}";

bool value_fits(const nlohmann::json& v, bool integers) {
  if (integers) return v.is_number_integer() && v.get<int64_t>() >= 100 && v.get<int64_t>() <= 599;
  return v.is_string() && !v.get<std::string>().empty();
}

// status/error/scheme: a bare value or array is shorthand at the scenario's level.
std::optional<acceptable_set> read_acceptable(const nlohmann::json& v, const std::string& pointer,
                                              bool integers, bool allow_all_of,
                                              const step_context& ctx) {
  const char* shape = integers ? kStatusShape : (allow_all_of ? kSchemeShape : kTextShape);
  acceptable_set set;
  set.lvl = ctx.scenario_level;
  const nlohmann::json* list = nullptr;
  std::string list_pointer = pointer;
  if (v.is_object()) {
    object_reader r(v, ctx.file, pointer, *ctx.out);
    const nlohmann::json* any = r.get("any_of");
    const nlohmann::json* all = allow_all_of ? r.get("all_of") : nullptr;
    if (auto l = r.choice("level", {"MUST", "SHOULD", "MAY"})) set.lvl = *level_from(*l);
    if ((any != nullptr) == (all != nullptr)) {
      ctx.out->add(ctx.file, pointer, shape);
      return std::nullopt;
    }
    list = any ? any : all;
    list_pointer = r.at(any ? "any_of" : "all_of");
    set.all_of = all != nullptr;
    if (!list->is_array()) {
      ctx.out->add(ctx.file, list_pointer, std::string(shape));
      return std::nullopt;
    }
  } else if (v.is_array()) {
    list = &v;
  } else if (value_fits(v, integers)) {
    set.values.push_back(v);
    return set;
  } else {
    ctx.out->add(ctx.file, pointer, shape);
    return std::nullopt;
  }
  if (list->empty()) {
    ctx.out->add(ctx.file, list_pointer, "expected at least one acceptable value");
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (!value_fits((*list)[i], integers)) {
      ctx.out->add(ctx.file, pointer_join(list_pointer, i),
                   integers ? "expected an HTTP status code (an integer from 100 to 599)"
                            : "expected a non-empty string");
      ok = false;
    } else {
      set.values.push_back((*list)[i]);
    }
  }
  if (!ok) return std::nullopt;
  return set;
}

bool is_pointer(const nlohmann::json& v) {
  if (!v.is_string()) return false;
  std::string s = v.get<std::string>();
  if (!s.empty() && s[0] != '/') return false;
  try {
    (void)nlohmann::json::json_pointer(s);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

void read_check(const nlohmann::json& v, const std::string& pointer, const step_context& ctx, bool nested);

void read_comparand(const nlohmann::json& v, const std::string& pointer, const step_context& ctx) {
  // {"step", "pointer"} is a reference to a value observed in this or an earlier step.
  if (v.is_object() && v.contains("step") && v.contains("pointer") && v.size() == 2) {
    check_step_ref(v["step"], pointer_join(pointer, "step"), ctx, {}, /*allow_current=*/true);
    if (!is_pointer(v["pointer"]))
      ctx.out->add(ctx.file, pointer_join(pointer, "pointer"), "expected a JSON pointer starting with \"/\"");
  }
}

void read_check(const nlohmann::json& v, const std::string& pointer, const step_context& ctx, bool nested) {
  object_reader r(v, ctx.file, pointer, *ctx.out);
  if (const nlohmann::json* p = r.get("pointer", !nested)) {
    if (!is_pointer(*p)) r.problem("pointer", "expected a JSON pointer (\"\" or starting with \"/\")");
  }
  int operators = 0;
  if (r.has("exists")) { ++operators; r.boolean("exists"); }
  if (const nlohmann::json* e = r.get("equals")) { ++operators; read_comparand(*e, r.at("equals"), ctx); }
  if (const nlohmann::json* e = r.get("not_equals")) { ++operators; read_comparand(*e, r.at("not_equals"), ctx); }
  if (r.has("any_of")) {
    ++operators;
    if (const nlohmann::json* a = r.array("any_of"); a && a->empty())
      r.problem("any_of", "expected at least one value");
  }
  if (r.has("matches")) {
    ++operators;
    if (auto re = r.string("matches")) {
      try {
        std::regex compiled(*re, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        r.problem("matches", "not a valid ECMAScript regular expression");
      }
    }
  }
  if (const nlohmann::json* c = r.get("count")) {
    ++operators;
    object_reader cr(*c, ctx.file, r.at("count"), *ctx.out);
    auto min = cr.integer("min", 0, 1000000);
    auto max = cr.integer("max", 0, 1000000);
    if (c->is_object() && !cr.has("min") && !cr.has("max"))
      cr.problem_here("expected {\"min\"} or {\"max\"} or both");
    if (min && max && *min > *max) cr.problem("max", "\"max\" is smaller than \"min\"");
  }
  if (const nlohmann::json* d = r.get("distinct")) {
    ++operators;
    if (!is_pointer(*d)) r.problem("distinct", "expected a JSON pointer inside each element (\"\" for the element)");
  }
  for (const char* key : {"each", "some"}) {
    if (const nlohmann::json* n = r.get(key)) {
      ++operators;
      read_check(*n, r.at(key), ctx, /*nested=*/true);
    }
  }
  if (!nested) {
    r.choice("level", {"MUST", "SHOULD", "MAY"});
    r.string("says");
  }
  if (operators == 0 && v.is_object())
    r.problem_here("a check needs an operator: exists, equals, not_equals, any_of, matches, count, "
                   "distinct, each or some");
}

}  // namespace

expectation read_expectation(const nlohmann::json& value, const std::string& pointer,
                             const std::string& action, const step_context& ctx) {
  expectation e;
  object_reader r(value, ctx.file, pointer, *ctx.out);
  bool client_run = action == "run_client";
  if (auto o = r.choice("outcome", {"accept", "reject", "either"}, !client_run)) {
    if (*o == "accept") e.outcome = expected_outcome::accept;
    else if (*o == "reject") e.outcome = expected_outcome::reject;
    else e.outcome = expected_outcome::either;
  }
  if (auto t = r.choice("tls_reject", {"allowed", "not_allowed"})) {
    e.tls_reject_allowed = *t == "allowed";
    if (e.tls_reject_allowed && e.outcome != expected_outcome::reject)
      r.problem("tls_reject", "\"tls_reject\" applies only to an outcome of \"reject\"");
  }
  if (const nlohmann::json* s = r.get("status")) e.status = read_acceptable(*s, r.at("status"), true, false, ctx);
  if (const nlohmann::json* s = r.get("error")) e.error = read_acceptable(*s, r.at("error"), false, false, ctx);
  if (const nlohmann::json* s = r.get("scheme")) e.scheme = read_acceptable(*s, r.at("scheme"), false, true, ctx);
  if (const nlohmann::json* c = r.array("checks")) {
    for (std::size_t i = 0; i < c->size(); ++i) {
      read_check((*c)[i], pointer_join(r.at("checks"), i), ctx, /*nested=*/false);
      e.checks.push_back((*c)[i]);
    }
  }
  return e;
}

}  // namespace tether::runner::detail
