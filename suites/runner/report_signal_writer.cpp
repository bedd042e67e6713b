// Writes one large report set the way `tether run` does: reports::write_reports in a process
// whose signals the runner's clean-up thread handles (runner/process.hpp). For the test that
// stops it with SIGTERM part-way through (report_signal_test.cpp).
//
// usage: report_signal_writer FIXTURE OUT_DIR GENERATED_AT KIB_PER_RESULT
// Prints "writing" once the document is ready, then writes; exits 0 when the set is written.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/report_writers.hpp"
#include "runner/process.hpp"

int main(int argc, char** argv) {
  tether::runner::install_signal_cleanup();  // first, as in runner/main.cpp
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s FIXTURE OUT_DIR GENERATED_AT KIB_PER_RESULT\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) return 2;
  doc["generated_at"] = argv[3];
  // Every file shows each result's reason: long reasons make every file of the set large, so
  // that writing it takes long enough to be interrupted at many points.
  const std::string filler(static_cast<std::size_t>(std::atoi(argv[4])) * 1024, 'r');
  for (auto& r : doc["results"]) r["reason"] = r["reason"].get<std::string>() + " " + filler;
  std::printf("writing\n");
  std::fflush(stdout);
  auto st = tether::reports::write_reports(doc, argv[2]);
  if (!st) std::fprintf(stderr, "%s\n", st.err().message.c_str());
  return st ? 0 : 1;
}
