// SIGTERM at many points while a large report set is written: the output directory must hold
// one whole set afterwards (report.json, junit.xml, report.md and report.html of the same run,
// told apart by generated_at, which every file shows) and no temporary file or directory.
// The writer is report_signal_writer: write_reports under the runner's signal clean-up.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "run_tether.hpp"

namespace tether::runner {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::scratch;

const std::string kWriter = REPORT_SIGNAL_WRITER;
const std::string kFixture = std::string(TETHER_SOURCE_ROOT) + "/suites/reports/testdata/report-fixture.json";
const char* const kSet[] = {"report.json", "junit.xml", "report.md", "report.html"};
constexpr int kKibPerResult = 128;  // 1 to 3 MB in each file (report.html about 2.6 MB)

struct writer_run {
  int exit = -1;            // exit status, or 128 + signal
  double ready_to_exit_ms = 0;  // from "writing" to the exit
};

// Runs the writer; when `signal_after_ms` is set, sends SIGTERM that long after it says "writing".
writer_run run_writer(const fs::path& out, const std::string& stamp, std::optional<double> signal_after_ms) {
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    const std::string kib = std::to_string(kKibPerResult);
    ::execl(kWriter.c_str(), kWriter.c_str(), kFixture.c_str(), out.c_str(), stamp.c_str(), kib.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  writer_run r;
  std::string line;
  char c;
  while (line != "writing" && ::read(out_pipe[0], &c, 1) == 1) line += c == '\n' ? "" : std::string(1, c);
  const auto ready = std::chrono::steady_clock::now();
  if (signal_after_ms) {
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(*signal_after_ms * 1000)));
    ::kill(pid, SIGTERM);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out_pipe[0]);
  r.ready_to_exit_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ready).count();
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// Which of `stamps` each file of the set shows ("" when none, "?" when missing).
std::vector<std::string> stamps_in_set(const fs::path& out, const std::vector<std::string>& stamps) {
  std::vector<std::string> found;
  for (const char* name : kSet) {
    if (!fs::exists(out / name)) {
      found.push_back("?");
      continue;
    }
    const std::string text = read_text(out / name);
    std::string which;
    for (const auto& s : stamps)
      if (text.find(s) != std::string::npos) which = s;
    found.push_back(which);
  }
  return found;
}

TEST(ReportSignals, SigtermDuringWritingLeavesOneWholeSetAndNoTemporaries) {
  scratch dir("report-signals");
  const fs::path out = dir.dir / "out";
  std::vector<std::string> stamps = {"2030-01-01T00:00:00Z"};
  writer_run first = run_writer(out, stamps[0], std::nullopt);
  ASSERT_EQ(first.exit, 0);
  const double whole_ms = first.ready_to_exit_ms;

  constexpr int kRuns = 24;
  int mixed = 0, leftovers = 0, interrupted = 0;
  for (int i = 0; i < kRuns; ++i) {
    stamps.push_back(fmt::format("2030-01-01T00:00:{:02}Z", i + 1));
    // Spread over the whole write, and a little past it.
    const double at_ms = whole_ms * 1.1 * i / kRuns;
    writer_run r = run_writer(out, stamps.back(), at_ms);
    if (r.exit == 128 + SIGTERM) ++interrupted;
    else EXPECT_EQ(r.exit, 0) << "run " << i;
    const std::vector<std::string> found = stamps_in_set(out, stamps);
    bool whole = found[0] != "" && found[0] != "?";
    for (const auto& f : found) whole = whole && f == found[0];
    if (!whole) {
      ++mixed;
      ADD_FAILURE() << "SIGTERM " << at_ms << " ms into the write left report.json " << found[0] << ", junit.xml "
                    << found[1] << ", report.md " << found[2] << ", report.html " << found[3];
    }
    std::vector<fs::path> extra;
    for (const auto& e : fs::directory_iterator(out))
      if (std::find(std::begin(kSet), std::end(kSet), e.path().filename().string()) == std::end(kSet))
        extra.push_back(e.path());
    for (const auto& e : extra) {
      ++leftovers;
      ADD_FAILURE() << "SIGTERM " << at_ms << " ms into the write left " << e.filename().string();
      fs::remove_all(e);  // counted once
    }
  }
  std::printf("%d SIGTERMs over a %.0f ms write (%d landed before it ended): %d mixed sets, %d leftover temporaries\n",
              kRuns, whole_ms, interrupted, mixed, leftovers);
  RecordProperty("mixed_sets", mixed);
  RecordProperty("leftover_temporaries", leftovers);
  EXPECT_GE(interrupted, kRuns / 4) << "the signals must land while the set is being written";
}

}  // namespace
}  // namespace tether::runner
