// The runner's input loaders on any bytes: a scenario file, a target and an expectations file
// must each be answered with a result or with problems, never an exception (which `tether`
// turns into an abort, exit 134, instead of bad input, exit 2). Two inputs per run: the bytes
// parsed as JSON and given to every loader, and a valid file of each kind with values replaced
// by values of other types that the bytes choose (suites/runner/json_mutations.hpp does the
// same exhaustively for one replacement at a time).

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/expectations.hpp"
#include "runner/scenario_loader.hpp"
#include "runner/target_loader.hpp"
#include "json_mutations.hpp"

namespace {

using nlohmann::json;
using namespace tether::runner;

json load(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, false);
}

struct seed {
  std::string path;
  json doc;
  std::vector<json::json_pointer> pointers;
};

const std::vector<seed>& seeds() {
  static const std::vector<seed> s = [] {
    std::vector<seed> out;
    for (const char* f : {"/suites/runner/data/scenarios/rs_dpop.json", "/suites/runner/data/scenarios/as_mtls.json",
                          "/targets/oidc-provider.json", "/suites/interop/oidc-provider/expectations.json"}) {
      seed one{std::string(TETHER_SOURCE_ROOT) + f, {}, {}};
      one.doc = load(one.path);
      tether::testing::collect_pointers(one.doc, json::json_pointer(), one.pointers);
      out.push_back(std::move(one));
    }
    return out;
  }();
  return s;
}

void every_loader(const json& doc, const std::string& path) {
  static const knob_catalog knobs;
  problem_list out;
  (void)read_scenario_file(doc, path, knobs, out);
  (void)read_target(doc, path, knobs, out);
  (void)read_expectations(doc, path, out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  problem_list parse;
  json doc = parse_json_text(text, "fuzz.json", parse);
  if (!doc.is_discarded()) every_loader(doc, "fuzz.json");

  // Byte pairs choose a value (by index) and a type for it, on one of the seed files.
  if (size < 3) return 0;
  const seed& s = seeds()[data[0] % seeds().size()];
  if (s.doc.is_discarded()) return 0;
  json mutated = s.doc;
  const auto& values = tether::testing::values_of_every_type();
  for (size_t i = 1; i + 1 < size; i += 2) {
    const auto& p = s.pointers[(data[i] * 131u + data[i + 1]) % s.pointers.size()];
    if (!mutated.contains(p)) continue;  // under a value replaced before
    mutated.at(p) = values[data[i + 1] % values.size()];
  }
  every_loader(mutated, s.path);
  return 0;
}
