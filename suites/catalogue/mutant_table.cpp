#include "suites/catalogue/mutant_table.hpp"

#include <fstream>
#include <sstream>

namespace tether::catalogue {
namespace {

error bad(const std::string& role, const std::string& where, const std::string& what) {
  return make_error("mutants.format", "mutants/" + role + ".json: " + where + ": " + what);
}

std::string type_name(const nlohmann::json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

result<mutant_entry> parse_entry(const std::string& role, const std::string& knob, const nlohmann::json& e) {
  const std::string where = "/mutants/" + knob;
  if (!e.is_object()) return bad(role, where, "expected an object, found " + type_name(e));
  for (const auto& [member, value] : e.items()) {
    (void)value;
    if (member != "why" && member != "caught_by" && member != "value")
      return bad(role, where + "/" + member, "unknown member (an entry has \"why\", \"caught_by\" and optionally \"value\")");
  }
  mutant_entry out;
  out.role = role;
  out.knob = knob;
  if (!e.contains("why") || !e["why"].is_string() || e["why"].get<std::string>().empty())
    return bad(role, where + "/why", "expected a sentence saying which requirement the knob breaks");
  out.why = e["why"].get<std::string>();
  if (e.contains("value")) out.value = e["value"];
  if (!e.contains("caught_by") || !e["caught_by"].is_object() || e["caught_by"].empty())
    return bad(role, where + "/caught_by",
               "expected an object naming at least one scenario ID and its verdict (\"fail\" or \"warn\")");
  for (const auto& [id, verdict] : e["caught_by"].items()) {
    if (!verdict.is_string() || (verdict != "fail" && verdict != "warn"))
      return bad(role, where + "/caught_by/" + id,
                 "expected \"fail\", or \"warn\" for a knob that breaks only a SHOULD; found " + verdict.dump());
    out.caught_by.emplace_back(id, verdict.get<std::string>());
  }
  return out;
}

}  // namespace

result<mutant_table> parse_mutant_table(const nlohmann::json& doc, const std::string& role) {
  if (!doc.is_object()) return bad(role, "/", "expected an object, found " + type_name(doc));
  for (const auto& [member, value] : doc.items()) {
    (void)value;
    if (member != "role" && member != "mutants")
      return bad(role, "/" + member, "unknown member (a table has \"role\" and \"mutants\")");
  }
  if (!doc.contains("role") || doc["role"] != role)
    return bad(role, "/role", "expected \"" + role + "\", the role the file is named after");
  if (!doc.contains("mutants") || !doc["mutants"].is_object())
    return bad(role, "/mutants", "expected an object with one entry per breaks knob");
  mutant_table table;
  table.role = role;
  for (const auto& [knob, entry] : doc["mutants"].items()) {
    auto parsed = parse_entry(role, knob, entry);
    if (!parsed) return parsed.err();
    table.entries.push_back(std::move(*parsed));
  }
  return table;
}

result<mutant_table> read_mutant_table(const std::string& dir, const std::string& role) {
  const std::string path = dir + "/" + role + ".json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("mutants.missing", path + " cannot be read: every breaks knob of tether-" + role +
                                                    " needs an entry there");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded()) return make_error("mutants.json", path + " is not valid JSON");
  return parse_mutant_table(doc, role);
}

}  // namespace tether::catalogue
