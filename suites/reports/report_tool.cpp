// Writes reports from a fixture, for the ctests that check the files from outside the process
// (an XML parser, headless Chromium):
//   tether_report_tool reports FIXTURE.json OUT_DIR [--hostile-bytes]
//   tether_report_tool matrix OUT_DIR REPORT.json...
// --hostile-bytes puts bytes that are not UTF-8 into strings a server could have sent, which a
// JSON fixture file cannot hold. Exit status: 0 written, 2 bad input, 1 could not write.

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/report_writers.hpp"

namespace {

int finish(const tether::status& st) {
  if (st.ok()) return 0;
  std::fprintf(stderr, "tether_report_tool: %s\n", st.err().message.c_str());
  return tether::reports::is_input_error(st.err()) ? 2 : 1;
}

void add_hostile_bytes(nlohmann::json& doc) {
  const std::string bad = "bad bytes \xff\xfe \xc0\xaf \xed\xa0\x80 cut \xe2\x82";
  doc["target"]["name"] = doc["target"]["name"].get<std::string>() + " \xff";
  for (auto& r : doc["results"]) {
    r["title"] = r["title"].get<std::string>() + " " + bad;
    if (r["verdict"] != "pass") r["reason"] = r["reason"].get<std::string>() + " " + bad;
    if (r["observed"].is_object()) r["observed"]["error_description"] = bad + " \x01\x02\x7f";
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 3 && args[0] == "reports") {
    std::ifstream in(args[1], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (!in || doc.is_discarded()) {
      std::fprintf(stderr, "tether_report_tool: %s: cannot read or parse\n", args[1].c_str());
      return 2;
    }
    if (args.size() > 3 && args[3] == "--hostile-bytes") add_hostile_bytes(doc);
    return finish(tether::reports::write_reports(doc, args[2]));
  }
  if (args.size() >= 3 && args[0] == "matrix") {
    return finish(tether::reports::write_matrix({args.begin() + 2, args.end()}, args[1]));
  }
  std::fprintf(stderr, "usage: tether_report_tool reports FIXTURE OUT_DIR [--hostile-bytes]\n"
                       "       tether_report_tool matrix OUT_DIR REPORT.json...\n");
  return 2;
}
