#pragma once
// The table that binds a mock's knob names to members of its config struct, BoringSSL-shim
// style: one line per knob, so the name a scenario or a person uses, the member it sets, its
// kind and its documentation cannot drift apart. The same table reads config files, parses
// --knob name=value, prints --help and answers --describe-knobs (JSON) for the runner, which
// checks knob names in scenarios against it.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::mocks {

// What a knob is for. The mutation tests run the catalogue once per `breaks` knob and demand
// that some scenario fails; `emulates` knobs reproduce behaviour real servers differ on where
// the RFCs allow it; `setting` knobs are ordinary configuration.
enum class knob_kind { setting, emulates, breaks };

const char* to_string(knob_kind);

template <typename Config>
class knob_table {
 public:
  using flag_member = bool Config::*;
  using int_member = int64_t Config::*;
  using text_member = std::string Config::*;

  struct entry {
    std::string name;
    knob_kind kind;
    std::string description;
    std::vector<std::string> choices;  // non-empty: a text knob restricted to these values
    std::variant<flag_member, int_member, text_member> member;
  };

  knob_table& flag(std::string name, flag_member m, knob_kind kind, std::string description) {
    entries_.push_back({std::move(name), kind, std::move(description), {}, m});
    return *this;
  }
  knob_table& integer(std::string name, int_member m, knob_kind kind, std::string description) {
    entries_.push_back({std::move(name), kind, std::move(description), {}, m});
    return *this;
  }
  knob_table& text(std::string name, text_member m, knob_kind kind, std::string description) {
    entries_.push_back({std::move(name), kind, std::move(description), {}, m});
    return *this;
  }
  knob_table& choice(std::string name, text_member m, std::vector<std::string> choices,
                     knob_kind kind, std::string description) {
    entries_.push_back({std::move(name), kind, std::move(description), std::move(choices), m});
    return *this;
  }

  const std::vector<entry>& entries() const { return entries_; }

  const entry* find(std::string_view name) const {
    for (const auto& e : entries_)
      if (e.name == name) return &e;
    return nullptr;
  }

  // Sets one knob from a JSON value; the error names the knob and the expected type.
  status set(Config& config, std::string_view name, const nlohmann::json& value) const {
    const entry* e = find(name);
    if (!e) return make_error("knob.unknown", "unknown knob \"" + std::string(name) + "\"");
    if (auto* m = std::get_if<flag_member>(&e->member)) {
      if (!value.is_boolean())
        return make_error("knob.type", "knob \"" + e->name + "\" takes true or false");
      config.*(*m) = value.get<bool>();
    } else if (auto* m = std::get_if<int_member>(&e->member)) {
      if (!value.is_number_integer())
        return make_error("knob.type", "knob \"" + e->name + "\" takes an integer");
      config.*(*m) = value.get<int64_t>();
    } else {
      auto* t = std::get_if<text_member>(&e->member);
      if (!value.is_string())
        return make_error("knob.type", "knob \"" + e->name + "\" takes a string");
      std::string v = value.get<std::string>();
      if (!e->choices.empty() && !contains(e->choices, v))
        return make_error("knob.value", "knob \"" + e->name + "\" takes one of " + join(e->choices) +
                                            ", not \"" + v + "\"");
      config.*(*t) = std::move(v);
    }
    return {};
  }

  // Every member of a JSON object; `where` names the source (a file) in errors.
  status apply(Config& config, const nlohmann::json& object, std::string_view where) const {
    if (!object.is_object())
      return make_error("knob.type", std::string(where) + ": knobs must be a JSON object");
    for (const auto& [name, value] : object.items()) {
      if (status s = set(config, name, value); !s)
        return make_error(s.err().code, std::string(where) + ": " + s.err().message);
    }
    return {};
  }

  // "name=value" from the command line: true/false, integers and text are recognised by form.
  status assign(Config& config, std::string_view assignment) const {
    auto eq = assignment.find('=');
    if (eq == std::string_view::npos)
      return make_error("knob.syntax", "--knob expects name=value, got \"" + std::string(assignment) + "\"");
    std::string name(assignment.substr(0, eq));
    std::string text(assignment.substr(eq + 1));
    const entry* e = find(name);
    if (!e) return make_error("knob.unknown", "unknown knob \"" + name + "\"");
    nlohmann::json value = text;
    if (std::holds_alternative<flag_member>(e->member)) {
      if (text == "true" || text == "1") value = true;
      else if (text == "false" || text == "0") value = false;
    } else if (std::holds_alternative<int_member>(e->member)) {
      try {
        std::size_t used = 0;
        long long n = std::stoll(text, &used);
        if (used == text.size()) value = n;
      } catch (...) {
        // Left as text: set() reports the type error with the knob's name.
      }
    }
    return set(config, name, value);
  }

  // Current value of every knob, for the ready line and for reports.
  nlohmann::json values(const Config& config) const {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& e : entries_) out[e.name] = value_of(config, e);
    return out;
  }

  // Names of the knobs whose value differs from a default-constructed Config.
  std::vector<std::string> changed(const Config& config) const {
    Config defaults{};
    std::vector<std::string> out;
    for (const auto& e : entries_)
      if (value_of(config, e) != value_of(defaults, e)) out.push_back(e.name);
    return out;
  }

  nlohmann::json describe() const {
    Config defaults{};
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries_) {
      nlohmann::json d = {{"name", e.name}, {"kind", to_string(e.kind)},
                          {"type", type_of(e)}, {"default", value_of(defaults, e)},
                          {"description", e.description}};
      if (!e.choices.empty()) d["choices"] = e.choices;
      out.push_back(std::move(d));
    }
    return out;
  }

  std::string help() const {
    Config defaults{};
    std::string out;
    for (const auto& e : entries_) {
      out += "  " + e.name + " (" + type_of(e) + ", " + to_string(e.kind) + ", default " +
             value_of(defaults, e).dump() + ")\n      " + e.description + "\n";
      if (!e.choices.empty()) out += "      one of: " + join(e.choices) + "\n";
    }
    return out;
  }

 private:
  static bool contains(const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
      if (x == s) return true;
    return false;
  }
  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
  }
  static std::string type_of(const entry& e) {
    if (std::holds_alternative<flag_member>(e.member)) return "bool";
    if (std::holds_alternative<int_member>(e.member)) return "int";
    return e.choices.empty() ? "string" : "choice";
  }
  static nlohmann::json value_of(const Config& c, const entry& e) {
    if (auto* m = std::get_if<flag_member>(&e.member)) return c.*(*m);
    if (auto* m = std::get_if<int_member>(&e.member)) return c.*(*m);
    return c.*(*std::get_if<text_member>(&e.member));
  }

  std::vector<entry> entries_;
};

}  // namespace tether::mocks
