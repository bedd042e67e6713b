#include "mocks/client/json_fields.hpp"

namespace tether::client {

field_reader::field_reader(const nlohmann::json& object, std::string where)
    : object_(object), where_(std::move(where)) {
  if (!object_.is_object()) fail(where_ + " must be a JSON object");
}

const nlohmann::json* field_reader::member(const char* name) {
  known_.insert(name);
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

void field_reader::fail(const std::string& message) {
  if (!first_) first_ = make_error("step.invalid", message);
}

void field_reader::type_error(const char* name, const char* expected) {
  fail(where_ + "." + name + " must be " + expected);
}

void field_reader::text(const char* name, std::string& out) {
  if (const auto* v = member(name)) {
    if (v->is_string()) out = v->get<std::string>();
    else type_error(name, "a string");
  }
}

void field_reader::text(const char* name, std::optional<std::string>& out) {
  if (const auto* v = member(name)) {
    if (v->is_string()) out = v->get<std::string>();
    else type_error(name, "a string");
  }
}

void field_reader::integer(const char* name, int64_t& out, int64_t min, int64_t max) {
  const auto* v = member(name);
  if (!v) return;
  // An unsigned value above INT64_MAX must not wrap into range.
  if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(max))) {
    fail(where_ + "." + name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return;
  }
  int64_t n = v->get<int64_t>();
  if (n < min || n > max) {
    fail(where_ + "." + name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return;
  }
  out = n;
}

void field_reader::boolean(const char* name, bool& out) {
  if (const auto* v = member(name)) {
    if (v->is_boolean()) out = v->get<bool>();
    else type_error(name, "true or false");
  }
}

void field_reader::string_map(const char* name, std::vector<std::pair<std::string, std::string>>& out) {
  const auto* v = member(name);
  if (!v) return;
  if (!v->is_object()) return type_error(name, "an object of strings");
  for (const auto& [key, value] : v->items()) {
    if (!value.is_string()) {
      fail(where_ + "." + name + "." + key + " must be a string");
      return;
    }
    out.emplace_back(key, value.get<std::string>());
  }
}

void field_reader::string_list(const char* name, std::vector<std::string>& out) {
  const auto* v = member(name);
  if (!v) return;
  if (!v->is_array()) return type_error(name, "an array of strings");
  for (const auto& item : *v) {
    if (!item.is_string()) return type_error(name, "an array of strings");
    out.push_back(item.get<std::string>());
  }
}

const nlohmann::json* field_reader::raw(const char* name) { return member(name); }

void field_reader::ignore(const char* name) { known_.insert(name); }

status field_reader::finish() const {
  if (first_) return *first_;
  if (object_.is_object()) {
    for (const auto& [key, value] : object_.items()) {
      if (!known_.count(key)) return make_error("step.unknown", where_ + " has an unknown member \"" + key + "\"");
    }
  }
  return {};
}

}  // namespace tether::client
