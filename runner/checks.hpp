#pragma once
// The check operators of scenarios/README.md (exists, equals, not_equals, any_of, matches,
// count, distinct, each, some), evaluated on one step's observation. Pure functions.

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace tether::runner {

// RFC 6901 evaluation that never throws: nullptr when the pointer does not resolve (a missing
// member, an index out of range, a pointer that is not well-formed).
const nlohmann::json* resolve_pointer(const nlohmann::json& doc, const std::string& pointer);

// Finds a value observed in this run: (step name, pointer) -> value or nullptr.
using reference_lookup = std::function<const nlohmann::json*(const std::string& step, const std::string& pointer)>;

struct check_result {
  bool met = false;
  nlohmann::json observed;  // the value at the check's pointer (null when absent)
  nlohmann::json expected;  // what the operators asked for, with references replaced by values
  std::string detail;       // why it was not met, one phrase
};

// `check` was validated by the loader. A JSON null counts as absent (a member the client reports
// as null was not in the answer).
check_result evaluate_check(const nlohmann::json& check, const nlohmann::json& observation,
                            const reference_lookup& lookup);

}  // namespace tether::runner
