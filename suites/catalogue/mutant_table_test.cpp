// The mutant tables are read as strictly as scenario files: a typo must fail loudly, never turn
// an entry into one that proves nothing.

#include <gtest/gtest.h>

#include "suites/catalogue/mutant_table.hpp"

namespace tether::catalogue {
namespace {

nlohmann::json table_with(nlohmann::json entry) {
  return {{"role", "rs"}, {"mutants", {{"skip_ath_check", std::move(entry)}}}};
}

const nlohmann::json good_entry = {{"why", "RFC 9449 4.3 (12): ath must match"},
                                   {"caught_by", {{"rfc9449/4.3/rs-rejects-ath-mismatch", "fail"},
                                                  {"rfc9449/7.1/rs-something-softer", "warn"}}}};

TEST(MutantTable, ReadsEntriesWithTheirVerdicts) {
  auto t = parse_mutant_table(table_with(good_entry), "rs");
  ASSERT_TRUE(t) << t.err().message;
  ASSERT_EQ(t->entries.size(), 1u);
  const mutant_entry& e = t->entries[0];
  EXPECT_EQ(e.name(), "rs.skip_ath_check");
  EXPECT_EQ(e.value, nlohmann::json(true));
  ASSERT_EQ(e.caught_by.size(), 2u);
  EXPECT_EQ(e.caught_by[0], (std::pair<std::string, std::string>{"rfc9449/4.3/rs-rejects-ath-mismatch", "fail"}));
  EXPECT_EQ(e.caught_by[1].second, "warn");
}

TEST(MutantTable, KeepsAnExplicitValue) {
  nlohmann::json entry = good_entry;
  entry["value"] = "rfc9440";
  auto t = parse_mutant_table(table_with(entry), "rs");
  ASSERT_TRUE(t) << t.err().message;
  EXPECT_EQ(t->entries[0].value, "rfc9440");
}

TEST(MutantTable, RefusesAMisspeltMember) {
  nlohmann::json entry = good_entry;
  entry["cuaght_by"] = entry["caught_by"];
  auto t = parse_mutant_table(table_with(entry), "rs");
  ASSERT_FALSE(t);
  EXPECT_NE(t.err().message.find("/mutants/skip_ath_check/cuaght_by"), std::string::npos) << t.err().message;
}

TEST(MutantTable, RefusesAVerdictOtherThanFailOrWarn) {
  for (const char* verdict : {"pass", "info", "error", "FAIL"}) {
    nlohmann::json entry = good_entry;
    entry["caught_by"] = {{"rfc9449/4.3/rs-rejects-ath-mismatch", verdict}};
    auto t = parse_mutant_table(table_with(entry), "rs");
    ASSERT_FALSE(t) << verdict;
    EXPECT_NE(t.err().message.find("caught_by/rfc9449/4.3/rs-rejects-ath-mismatch"), std::string::npos)
        << t.err().message;
  }
}

TEST(MutantTable, RefusesAnEntryThatCatchesNothing) {
  nlohmann::json entry = good_entry;
  entry["caught_by"] = nlohmann::json::object();
  auto t = parse_mutant_table(table_with(entry), "rs");
  ASSERT_FALSE(t);
  EXPECT_NE(t.err().message.find("caught_by"), std::string::npos) << t.err().message;
}

TEST(MutantTable, RefusesAnEntryWithoutWhy) {
  nlohmann::json entry = good_entry;
  entry.erase("why");
  auto t = parse_mutant_table(table_with(entry), "rs");
  ASSERT_FALSE(t);
  EXPECT_NE(t.err().message.find("/why"), std::string::npos) << t.err().message;
}

TEST(MutantTable, RefusesATableOfAnotherRole) {
  auto t = parse_mutant_table(table_with(good_entry), "as");
  ASSERT_FALSE(t);
  EXPECT_NE(t.err().message.find("mutants/as.json: /role"), std::string::npos) << t.err().message;
}

TEST(MutantTable, NamesAMissingFile) {
  auto t = read_mutant_table("/nonexistent-dir", "client");
  ASSERT_FALSE(t);
  EXPECT_NE(t.err().message.find("/nonexistent-dir/client.json"), std::string::npos) << t.err().message;
}

}  // namespace
}  // namespace tether::catalogue
