// Proof that the catalogue catches broken implementations (issue 6 item 7). For every entry of
// suites/catalogue/mutants/{as,rs,client}.json, the mock of that role runs with that one
// `breaks` knob on, and each scenario the entry lists must give the listed verdict (fail, or
// warn for a knob that breaks only a SHOULD), while the same scenarios pass or are info against
// the correct mocks. Two more tests keep the tables honest: every `breaks` knob of the three
// mocks has an entry (otherwise the catalogue has a hole), and every listed scenario exists.
//
// Tests are registered from the tables when the program starts, named so that `ctest -R`
// picks one knob: mutant.rs.skip_ath_check. The correct-mock run happens once, in the test
// mutant.baseline, which CTest runs first as the fixture of every mutant test.

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "suites/catalogue/mutant_table.hpp"
#include "suites/catalogue/tether_programs.hpp"

namespace tether::catalogue {
namespace {

const std::vector<std::string> all_roles = {"as", "rs", "client"};

struct loaded_tables {
  std::vector<mutant_entry> entries;
  std::vector<std::string> problems;  // one sentence per unreadable table
};

const loaded_tables& tables() {
  static const loaded_tables t = [] {
    loaded_tables out;
    for (const auto& role : all_roles) {
      auto table = read_mutant_table(CATALOGUE_MUTANTS_DIR, role);
      if (!table) {
        out.problems.push_back(table.err().message);
        continue;
      }
      for (auto& e : table->entries) out.entries.push_back(std::move(e));
    }
    return out;
  }();
  return t;
}

std::string baseline_dir() { return programs().work_root + "/baseline"; }
std::string mutant_dir(const mutant_entry& e) { return programs().work_root + "/" + e.name(); }
std::string table_file(const std::string& role) { return "suites/catalogue/mutants/" + role + ".json"; }

std::vector<std::string> ids_of(const mutant_entry& e) {
  std::vector<std::string> ids;
  for (const auto& [id, verdict] : e.caught_by) ids.push_back(id);
  return ids;
}

// The report's reason, cut short: it may quote whole event logs; the report has the rest.
std::string because(const run_outcome& run, const std::string& id) {
  auto it = run.reasons.find(id);
  if (it == run.reasons.end() || it->second.empty()) return "";
  const std::size_t max = 300;
  return " (" + (it->second.size() <= max ? it->second : it->second.substr(0, max) + "...") + ")";
}

// The correct mocks (targets/builtin.json: every role under test), every scenario any table
// lists: one run.
class baseline_run : public ::testing::Test {
  void TestBody() override {
    std::set<std::string> ids;
    for (const auto& e : tables().entries)
      for (const auto& [id, verdict] : e.caught_by) ids.insert(id);
    ASSERT_FALSE(ids.empty()) << "no mutant table lists a scenario";
    const std::string target = programs().source_root + "/targets/builtin.json";
    auto run = run_scenarios(baseline_dir(), target, {ids.begin(), ids.end()});
    ASSERT_TRUE(run) << run.err().message;
    // Verdicts are judged by each mutant test, so that one scenario that does not pass here
    // fails only the knobs that rely on it.
  }
};

class mutant_caught : public ::testing::Test {
 public:
  explicit mutant_caught(mutant_entry e) : e_(std::move(e)) {}

 private:
  void TestBody() override {
    auto correct = read_run(baseline_dir());
    ASSERT_TRUE(correct) << "the run against the correct mocks (test mutant.baseline) left no report: "
                         << correct.err().message;
    for (const auto& [id, verdict] : e_.caught_by) {
      auto it = correct->verdicts.find(id);
      std::string got = it == correct->verdicts.end() ? "absent from the run" : it->second;
      EXPECT_TRUE(got == "pass" || got == "info")
          << id << " gave " << got << because(*correct, id)
          << " against the correct mocks; it must pass (or be info) there, or its " << verdict
          << " with " << e_.name() << " on proves nothing";
    }
    auto target = write_target(mutant_dir(e_), e_.role, nlohmann::json{{e_.knob, e_.value}});
    ASSERT_TRUE(target) << target.err().message;
    auto broken = run_scenarios(mutant_dir(e_), *target, ids_of(e_));
    ASSERT_TRUE(broken) << broken.err().message;
    for (const auto& [id, verdict] : e_.caught_by) {
      auto it = broken->verdicts.find(id);
      std::string got = it == broken->verdicts.end() ? "absent from the run" : it->second;
      EXPECT_EQ(got, verdict) << "with " << e_.name() << " on (" << e_.why << "), " << id << " gave " << got
                              << because(*broken, id) << " instead of " << verdict
                              << ": fix the scenario or the entry in " << table_file(e_.role)
                              << " (the run is in " << mutant_dir(e_) << ")";
    }
  }

  mutant_entry e_;
};

class tables_read : public ::testing::Test {
  void TestBody() override {
    for (const auto& p : tables().problems) ADD_FAILURE() << p;
  }
};

// A `breaks` knob without an entry is a defect the catalogue was never shown to notice.
class every_breaks_knob_has_an_entry : public ::testing::Test {
  void TestBody() override {
    for (const auto& role : all_roles) {
      auto knobs = breaks_knobs(role);
      ASSERT_TRUE(knobs) << knobs.err().message;
      std::map<std::string, const mutant_entry*> listed;
      for (const auto& e : tables().entries)
        if (e.role == role) listed[e.knob] = &e;
      for (const auto& [knob, type] : *knobs) {
        auto it = listed.find(knob);
        if (it == listed.end()) {
          ADD_FAILURE() << "a hole: tether-" << role << " knob " << knob << " breaks a requirement and has no entry in "
                        << table_file(role) << ": add the scenario that catches it";
        } else if (type != "bool" && it->second->value == nlohmann::json(true)) {
          ADD_FAILURE() << role << "." << knob << " takes a " << type << ", not a flag: give its entry in "
                        << table_file(role) << " the \"value\" that breaks the mock";
        }
      }
      for (const auto& [knob, entry] : listed)
        if (!knobs->count(knob))
          ADD_FAILURE() << table_file(role) << " has an entry for " << knob << ", which is not a breaks knob of tether-"
                        << role << " (--describe-knobs): remove or rename it";
    }
  }
};

// A listed scenario that does not exist (or belongs to another role, and would be skipped with
// only this role under test) proves nothing.
class listed_scenarios_exist : public ::testing::Test {
  void TestBody() override {
    auto catalogue = catalogue_roles();
    ASSERT_TRUE(catalogue) << catalogue.err().message;
    for (const auto& e : tables().entries) {
      for (const auto& [id, verdict] : e.caught_by) {
        auto it = catalogue->find(id);
        if (it == catalogue->end())
          ADD_FAILURE() << table_file(e.role) << ": " << e.knob << " is said to be caught by " << id
                        << ", which is no scenario of scenarios/";
        else if (it->second != e.role)
          ADD_FAILURE() << table_file(e.role) << ": " << e.knob << " is said to be caught by " << id << ", a scenario of the "
                        << it->second << " role, which is skipped when only tether-" << e.role << " is under test";
      }
    }
  }
};

template <typename Factory>
void add(const std::string& suite, const std::string& name, Factory factory) {
  ::testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__, factory);
}

// Registered before main runs, from the tables as they are now. Nothing here may throw out of a
// static initialiser: a problem becomes a failing test instead.
[[maybe_unused]] const bool registered = [] {
  try {
    add("mutant", "baseline", []() -> ::testing::Test* { return new baseline_run(); });
    add("mutant.catalogue", "tables_read", []() -> ::testing::Test* { return new tables_read(); });
    add("mutant.catalogue", "every_breaks_knob_has_an_entry",
        []() -> ::testing::Test* { return new every_breaks_knob_has_an_entry(); });
    add("mutant.catalogue", "listed_scenarios_exist", []() -> ::testing::Test* { return new listed_scenarios_exist(); });
    for (const auto& e : tables().entries)
      add("mutant." + e.role, e.knob, [e]() -> ::testing::Test* { return new mutant_caught(e); });
  } catch (const std::exception& ex) {
    std::string why = ex.what();
    add("mutant.catalogue", "registration", [why]() -> ::testing::Test* {
      struct failed : ::testing::Test {
        std::string why;
        void TestBody() override { ADD_FAILURE() << "registering the mutant tests failed: " << why; }
      };
      auto* t = new failed();
      t->why = why;
      return t;
    });
  }
  return true;
}();

}  // namespace
}  // namespace tether::catalogue
