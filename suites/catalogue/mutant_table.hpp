#pragma once
// The mutant tables (suites/catalogue/mutants/<role>.json): for each `breaks` knob of a mock,
// the scenarios that must notice it and the verdict each must give. The format is the
// catalogue's (docs of the catalogue work): {"role", "mutants": {knob: {"why", "caught_by":
// {scenario id: "fail" | "warn"}}}}; an entry may add "value" for a knob that is not a flag
// (default true). Read strictly, as scenario files are: an unknown member is an error, since a
// misspelt "caught_by" would otherwise prove nothing and pass.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::catalogue {

struct mutant_entry {
  std::string role;   // as, rs, client
  std::string knob;
  std::string why;
  nlohmann::json value = true;
  // scenario id -> expected verdict ("fail", or "warn" for a knob that breaks only a SHOULD)
  std::vector<std::pair<std::string, std::string>> caught_by;

  std::string name() const { return role + "." + knob; }
};

struct mutant_table {
  std::string role;
  std::vector<mutant_entry> entries;
};

// Parses one table; `role` is the role its file name gives, which the "role" member must repeat.
result<mutant_table> parse_mutant_table(const nlohmann::json& doc, const std::string& role);

// Reads <dir>/<role>.json. A missing file is an error naming it.
result<mutant_table> read_mutant_table(const std::string& dir, const std::string& role);

}  // namespace tether::catalogue
