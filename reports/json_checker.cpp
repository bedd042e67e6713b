#include "reports/json_checker.hpp"

#include <cmath>

#include <fmt/format.h>

namespace tether::reports {

using nlohmann::json;

std::string pointer_child(const std::string& pointer, std::string_view key) {
  std::string out = pointer;
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_child(const std::string& pointer, std::size_t index) {
  return fmt::format("{}/{}", pointer, index);
}

std::string describe_json(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::boolean: return fmt::format("a boolean ({})", value.get<bool>());
    case json::value_t::string: {
      std::string shown = value.dump(-1, ' ', true, json::error_handler_t::replace);
      if (shown.size() > 62) shown = shown.substr(0, 58) + "...\"";
      return fmt::format("a string ({})", shown);
    }
    case json::value_t::discarded: return "nothing";
    default: return fmt::format("a number ({})", value.dump());
  }
}

void json_checker::problem(const std::string& pointer, std::string message) {
  if (problems_++ == 0) first_ = fmt::format("{} {}: {}", where_, pointer.empty() ? "/" : pointer, message);
}

error json_checker::to_error(std::string code) const {
  if (problems_ <= 1) return make_error(std::move(code), first_);
  return make_error(std::move(code), fmt::format("{} (and {} more problem{})", first_, problems_ - 1,
                                                 problems_ == 2 ? "" : "s"));
}

const json* json_checker::member(const json& object, const std::string& pointer, std::string_view key,
                                 presence p) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (p == presence::required) problem(pointer_child(pointer, key), "missing (required)");
    return nullptr;
  }
  return &*it;
}

bool json_checker::object(const json& object, const std::string& pointer, std::string_view key, presence p,
                          const json*& out) {
  out = nullptr;
  const json* v = member(object, pointer, key, p);
  if (v == nullptr) return p == presence::optional;
  if (v->is_null() && p == presence::optional) return true;
  if (!v->is_object()) {
    problem(pointer_child(pointer, key), fmt::format("expected an object, got {}", describe_json(*v)));
    return false;
  }
  out = v;
  return true;
}

bool json_checker::array(const json& object, const std::string& pointer, std::string_view key, presence p,
                         const json*& out) {
  out = nullptr;
  const json* v = member(object, pointer, key, p);
  if (v == nullptr) return p == presence::optional;
  if (!v->is_array()) {
    problem(pointer_child(pointer, key), fmt::format("expected an array, got {}", describe_json(*v)));
    return false;
  }
  out = v;
  return true;
}

bool json_checker::text(const json& object, const std::string& pointer, std::string_view key, presence p,
                        std::string& out, bool allow_null) {
  const json* v = member(object, pointer, key, p);
  if (v == nullptr) return p == presence::optional;
  if (v->is_null() && allow_null) return true;
  if (!v->is_string()) {
    problem(pointer_child(pointer, key),
            fmt::format("expected a string{}, got {}", allow_null ? " or null" : "", describe_json(*v)));
    return false;
  }
  out = v->get<std::string>();
  return true;
}

bool json_checker::non_empty_text(const json& object, const std::string& pointer, std::string_view key,
                                  std::string& out) {
  if (!text(object, pointer, key, presence::required, out)) return false;
  if (out.empty()) {
    problem(pointer_child(pointer, key), "empty (must say something)");
    return false;
  }
  return true;
}

bool json_checker::one_of(const json& object, const std::string& pointer, std::string_view key, presence p,
                          std::span<const std::string_view> allowed, std::string& out, bool allow_null) {
  std::string value;
  const json* v = member(object, pointer, key, p);
  if (v == nullptr) return p == presence::optional;
  if (v->is_null() && allow_null) return true;
  if (v->is_string()) {
    value = v->get<std::string>();
    for (std::string_view a : allowed) {
      if (value == a) {
        out = value;
        return true;
      }
    }
  }
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  problem(pointer_child(pointer, key), fmt::format("expected one of {}; got {}", list, describe_json(*v)));
  return false;
}

bool json_checker::integer(const json& object, const std::string& pointer, std::string_view key, presence p,
                           std::optional<std::int64_t>& out, bool allow_null) {
  const json* v = member(object, pointer, key, p);
  if (v == nullptr) return p == presence::optional;
  if (v->is_null() && allow_null) return true;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      problem(pointer_child(pointer, key), fmt::format("out of range: {}", v->dump()));
      return false;
    }
    out = v->get<std::int64_t>();
    return true;
  }
  problem(pointer_child(pointer, key),
          fmt::format("expected an integer{}, got {}", allow_null ? " or null" : "", describe_json(*v)));
  return false;
}

bool json_checker::count(const json& object, const std::string& pointer, std::string_view key,
                         std::int64_t& out) {
  std::optional<std::int64_t> v;
  if (!integer(object, pointer, key, presence::required, v)) return false;
  if (*v < 0) {
    problem(pointer_child(pointer, key), fmt::format("expected a count (0 or more), got {}", *v));
    return false;
  }
  out = *v;
  return true;
}

bool json_checker::duration(const json& object, const std::string& pointer, std::string_view key, presence p,
                            std::optional<double>& out) {
  const json* v = member(object, pointer, key, p);
  if (v == nullptr) return p == presence::optional;
  if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < 0) {
    problem(pointer_child(pointer, key), fmt::format("expected milliseconds (a number, 0 or more), got {}",
                                                     describe_json(*v)));
    return false;
  }
  out = v->get<double>();
  return true;
}

bool json_checker::boolean(const json& object, const std::string& pointer, std::string_view key, presence p,
                           std::optional<bool>& out, bool allow_null) {
  const json* v = member(object, pointer, key, p);
  if (v == nullptr) return p == presence::optional;
  if (v->is_null() && allow_null) return true;
  if (!v->is_boolean()) {
    problem(pointer_child(pointer, key),
            fmt::format("expected true or false{}, got {}", allow_null ? " or null" : "", describe_json(*v)));
    return false;
  }
  out = v->get<bool>();
  return true;
}

bool json_checker::text_array(const json& object, const std::string& pointer, std::string_view key, presence p,
                              std::vector<std::string>& out) {
  const json* v = nullptr;
  if (!array(object, pointer, key, p, v)) return false;
  if (v == nullptr) return true;
  const std::string here = pointer_child(pointer, key);
  bool good = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    if (!item.is_string()) {
      problem(pointer_child(here, i), fmt::format("expected a string, got {}", describe_json(item)));
      good = false;
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return good;
}

}  // namespace tether::reports
