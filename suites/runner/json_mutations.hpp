#pragma once
// Type mutations of a JSON document, for the tests that feed every input loader wrong types:
// each value (members, array elements and the document itself) replaced in turn by a value of
// each other JSON type. A loader must answer each with a result or with problems naming the
// file and a JSON pointer; nlohmann::json's get<>() and value() throw type_error on a wrong
// type, and an exception escaping a loader aborts `tether` (exit 134) instead of exiting 2.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::testing {

struct json_mutation {
  std::string pointer;      // RFC 6901 pointer of the replaced value ("" for the document)
  std::string replacement;  // the replacing value, as JSON text
  nlohmann::json doc;       // the whole mutated document
};

// One value of each JSON type. Integers and unsigned integers are one type to a reader, and a
// float in place of an integer is a distinct wrong type.
inline const std::vector<nlohmann::json>& values_of_every_type() {
  static const std::vector<nlohmann::json> v = {nullptr, true, 7, -1.5, "x", nlohmann::json::array(),
                                                nlohmann::json::object()};
  return v;
}

inline bool same_type(const nlohmann::json& a, const nlohmann::json& b) {
  auto kind = [](const nlohmann::json& j) {
    return j.is_number_unsigned() ? nlohmann::json::value_t::number_integer : j.type();
  };
  return kind(a) == kind(b);
}

// Every value's pointer in document order (the document itself first).
inline void collect_pointers(const nlohmann::json& v, const nlohmann::json::json_pointer& at,
                             std::vector<nlohmann::json::json_pointer>& out) {
  out.push_back(at);
  if (v.is_object()) {
    for (const auto& [key, member] : v.items()) collect_pointers(member, at / key, out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) collect_pointers(v[i], at / i, out);
  }
}

// Every type mutation of `doc` whose pointer starts with `under` ("" for all).
inline std::vector<json_mutation> type_mutations(const nlohmann::json& doc, const std::string& under = "") {
  std::vector<nlohmann::json::json_pointer> pointers;
  collect_pointers(doc, nlohmann::json::json_pointer(), pointers);
  std::vector<json_mutation> out;
  for (const auto& p : pointers) {
    const std::string text = p.to_string();
    if (text.rfind(under, 0) != 0) continue;
    for (const auto& value : values_of_every_type()) {
      if (same_type(doc.at(p), value)) continue;
      nlohmann::json mutated = doc;
      mutated.at(p) = value;
      out.push_back({text, value.dump(), std::move(mutated)});
    }
  }
  return out;
}

// True when `problem_pointer` is `mutated` or encloses it ("" encloses everything).
inline bool encloses(const std::string& problem_pointer, const std::string& mutated) {
  return mutated == problem_pointer ||
         (mutated.rfind(problem_pointer, 0) == 0 && mutated.size() > problem_pointer.size() &&
          mutated[problem_pointer.size()] == '/');
}

}  // namespace tether::testing
