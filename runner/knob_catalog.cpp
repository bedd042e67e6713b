#include "runner/knob_catalog.hpp"

#include <algorithm>

namespace tether::runner {

result<std::vector<knob_info>> knob_catalog::parse_description(const nlohmann::json& described) {
  if (!described.is_array())
    return make_error("knobs.shape", "--describe-knobs must print a JSON array");
  std::vector<knob_info> out;
  for (const auto& d : described) {
    if (!d.is_object() || !d.contains("name") || !d["name"].is_string())
      return make_error("knobs.shape", "every --describe-knobs entry needs a string \"name\"");
    knob_info k;
    k.name = d["name"].get<std::string>();
    k.kind = d.value("kind", std::string("setting"));
    k.type = d.value("type", std::string("string"));
    k.default_value = d.value("default", nlohmann::json());
    k.description = d.value("description", std::string());
    if (d.contains("choices") && d["choices"].is_array())
      for (const auto& c : d["choices"])
        if (c.is_string()) k.choices.push_back(c.get<std::string>());
    if (!k.choices.empty() && k.type == "string") k.type = "choice";
    k.per_token = d.contains("per_token") && d["per_token"] == true;
    out.push_back(std::move(k));
  }
  return out;
}

void knob_catalog::set(role r, std::vector<knob_info> knobs) {
  tables_[r] = std::move(knobs);
  unavailable_.erase(r);
}

void knob_catalog::set_unavailable(role r, std::string why) {
  tables_.erase(r);
  unavailable_[r] = std::move(why);
}

std::string knob_catalog::unavailable_reason(role r) const {
  auto it = unavailable_.find(r);
  return it == unavailable_.end() ? std::string() : it->second;
}

const knob_info* knob_catalog::find(role r, const std::string& name) const {
  auto it = tables_.find(r);
  if (it == tables_.end()) return nullptr;
  for (const auto& k : it->second)
    if (k.name == name) return &k;
  return nullptr;
}

const std::vector<knob_info>* knob_catalog::table(role r) const {
  auto it = tables_.find(r);
  return it == tables_.end() ? nullptr : &it->second;
}

std::string knob_catalog::check_value(const knob_info& k, const nlohmann::json& v) {
  if (k.type == "bool") return v.is_boolean() ? "" : "knob \"" + k.name + "\" takes true or false";
  if (k.type == "int") return v.is_number_integer() ? "" : "knob \"" + k.name + "\" takes an integer";
  if (!v.is_string()) return "knob \"" + k.name + "\" takes a string";
  if (!k.choices.empty() &&
      std::find(k.choices.begin(), k.choices.end(), v.get<std::string>()) == k.choices.end()) {
    std::string list;
    for (const auto& c : k.choices) list += (list.empty() ? "" : ", ") + c;
    return "knob \"" + k.name + "\" takes one of " + list + ", not \"" + v.get<std::string>() + "\"";
  }
  return "";
}

// Knob names and values under a role (a scenario's `mocks`, a target's `<role>.knobs`).
void check_knobs(const nlohmann::json& knobs, role r, const std::string& file, const std::string& pointer,
                 const knob_catalog& catalog, problem_list& out) {
  if (!knobs.is_object()) {
    out.add(file, pointer, "expected an object of knob names and values, found " + describe_type(knobs));
    return;
  }
  if (!catalog.has(r)) return;  // table unavailable: the caller said why once
  for (const auto& [name, value] : knobs.items()) {
    const knob_info* k = catalog.find(r, name);
    std::string where = pointer_join(pointer, name);
    if (!k) {
      out.add(file, where, "unknown knob \"" + name + "\" of tether-" + to_string(r) +
                               " (tether-" + to_string(r) + " --describe-knobs lists them)");
      continue;
    }
    if (std::string why = knob_catalog::check_value(*k, value); !why.empty()) out.add(file, where, why);
  }
}

}  // namespace tether::runner
