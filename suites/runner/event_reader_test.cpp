// The event-log reader against members of the wrong type: the log is written by a process under
// test (docs/mock-events.md), so {"trace": 5} is an event without a trace, never an exception
// (found by suites/runner/fuzz_event_log.cpp).

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "runner/event_reader.hpp"

namespace tether::runner {
namespace {

using json = nlohmann::json;

std::string write_log(const std::string& tag, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("tether-event-reader-" + tag + ".jsonl");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(EventReader, MembersOfAnotherTypeReadAsAbsent) {
  const std::string path = write_log("types",
                                     "{\"trace\":5,\"server\":1,\"endpoint\":[],\"ts\":2}\n"
                                     "{\"trace\":\"a/1\",\"ts\":3}\n"
                                     "{\"trace\":\"a/2\",\"ts\":\"2026-11-27T10:00:00.000Z\"}\n");
  event_reader reader(path);
  ASSERT_NO_THROW(reader.sync());

  std::vector<json> untraced;
  ASSERT_NO_THROW(untraced = reader.take(""));
  ASSERT_EQ(untraced.size(), 1u);
  EXPECT_EQ(untraced[0]["trace"], 5);

  std::vector<json> prefixed;
  ASSERT_NO_THROW(prefixed = reader.take_prefix("a/"));
  ASSERT_EQ(prefixed.size(), 2u);
  // A ts that is not text sorts as "" (first).
  EXPECT_EQ(prefixed[0]["trace"], "a/1");

  json grouped;
  ASSERT_NO_THROW(grouped = group_events(untraced, "rs"));
  ASSERT_TRUE(grouped.contains("rs"));
  ASSERT_TRUE(grouped["rs"].contains("other"));
  EXPECT_EQ(grouped["rs"]["other"].size(), 1u);
  std::remove(path.c_str());
}

TEST(EventReader, GroupingSkipsWhatIsNotAnEvent) {
  json grouped;
  ASSERT_NO_THROW(grouped = group_events({json::array({1}), json("x"), json{{"endpoint", "token"}}}, "as"));
  EXPECT_EQ(grouped, (json{{"as", {{"token", json::array({json{{"endpoint", "token"}}})}}}}));
}

}  // namespace
}  // namespace tether::runner
