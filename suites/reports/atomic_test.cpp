// A report file is either the old one or the new one, never a part of either: the file is
// written under a temporary name and renamed, and a failure removes the temporary file.

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "reports/atomic_file.hpp"
#include "reports/report_writers.hpp"
#include "report_test_support.hpp"

namespace tether::reports::test {
namespace {

std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(atomic_file, replaces_the_file_and_leaves_nothing_else) {
  temp_dir dir;
  ASSERT_TRUE(write_file_atomically(dir / "a.txt", "one").ok());
  ASSERT_TRUE(write_file_atomically(dir / "a.txt", "two").ok());
  EXPECT_EQ(read_file(dir / "a.txt"), "two");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"a.txt"});
  struct stat st {};
  ASSERT_EQ(::stat((dir / "a.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u) << "reports are readable by others";
}

TEST(atomic_file, out_dir_that_is_a_file_is_a_clear_error) {
  temp_dir dir;
  std::ofstream(dir / "out") << "a file, not a directory";
  auto st = write_reports(fixture(), dir / "out");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.err().code, "io.directory");
  EXPECT_EQ(st.err().message.rfind("cannot create directory " + (dir / "out") + ": ", 0), 0u) << st.err().message;
  EXPECT_FALSE(is_input_error(st.err()));
  EXPECT_EQ(read_file(dir / "out"), "a file, not a directory");
}

// rename(2) cannot replace a non-empty directory: the set is refused before anything of it is
// published (no new report.json beside a missing report.md), and nothing temporary stays.
TEST(atomic_file, a_file_that_cannot_be_replaced_publishes_nothing_of_the_set) {
  temp_dir dir;
  std::filesystem::create_directories(dir.path() / "out" / "report.md");
  std::ofstream(dir.path() / "out" / "report.md" / "keep") << "x";
  auto st = write_reports(fixture(), dir / "out");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.err().code, "io.write");
  EXPECT_EQ(st.err().message.rfind("cannot replace " + (dir / "out/report.md") + ": ", 0), 0u) << st.err().message;
  EXPECT_EQ(entries(dir.path() / "out"), (std::vector<std::string>{"report.md"}));
}

// The previous set is replaced as a whole, and the directory holds the set and nothing else.
TEST(atomic_file, a_set_replaces_the_previous_set) {
  temp_dir dir;
  ASSERT_TRUE(write_file_set(dir.path().string(), {{"a.txt", "a1"}, {"b.txt", "b1"}}).ok());
  ASSERT_TRUE(write_file_set(dir.path().string(), {{"a.txt", "a2"}, {"b.txt", "b2"}}).ok());
  EXPECT_EQ(read_file(dir / "a.txt"), "a2");
  EXPECT_EQ(read_file(dir / "b.txt"), "b2");
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"a.txt", "b.txt"}));
}

// SIGKILL cannot be caught: the staging directory of a killed writer is removed by the next
// write into the directory, and one of a writer still running is left alone.
TEST(atomic_file, staging_left_by_a_killed_writer_is_removed_by_the_next_write) {
  temp_dir dir;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // a process ID that no longer runs
  const auto dead = dir.path() / (".tether-staging-" + std::to_string(child) + "-abcdef");
  const auto alive = dir.path() / ".tether-staging-1-abcdef";  // init never goes away
  for (const auto& d : {dead, alive}) {
    std::filesystem::create_directories(d);
    std::ofstream(d / "report.html") << "half";
  }
  ASSERT_TRUE(write_file_atomically(dir / "a.txt", "one").ok());
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{".tether-staging-1-abcdef", "a.txt"}));
}

// A disk that fills up in the middle of a write: RLIMIT_FSIZE makes write(2) fail with EFBIG
// part-way through. Done in a child process so that the limit cannot touch anything else.
TEST(atomic_file, failure_mid_write_keeps_the_old_file) {
  temp_dir dir;
  const std::string path = dir / "report.html";
  ASSERT_TRUE(write_file_atomically(path, "previous report").ok());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(3);
    auto st = write_file_atomically(path, std::string(64 * 1024, 'x'));
    if (st.ok()) ::_exit(1);
    const bool named = st.err().code == "io.write" && st.err().message.rfind("cannot write " + path + ": ", 0) == 0;
    ::_exit(named ? 0 : 2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the write succeeded; 2: the error did not name the file; 3: no rlimit";
  EXPECT_EQ(read_file(path), "previous report");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"report.html"});
}

TEST(atomic_file, unwritable_directory_is_a_clear_error) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  temp_dir dir;
  std::filesystem::create_directories(dir.path() / "ro");
  std::filesystem::permissions(dir.path() / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto st = write_reports(fixture(), dir / "ro");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.err().message.rfind("cannot create a temporary file for " + (dir / "ro/report.json") + ": ", 0), 0u)
      << st.err().message;
  EXPECT_TRUE(entries(dir.path() / "ro").empty());
}

}  // namespace
}  // namespace tether::reports::test
