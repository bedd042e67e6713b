#pragma once
// junit.xml for CI: one <testsuite> named after the target, one <testcase> per scenario
// (classname = RFC section, name = scenario id). The verdicts map onto the three JUnit outcomes
// a CI server understands, and nothing is lost that a reader needs: fail -> <failure> (the unmet
// expectations and the observed answer), error -> <error>, skip -> <skipped message=reason>;
// warn and info are passing test cases whose <system-out> says what was observed. (h2spec's
// JUnit output reported assertion failures as <error>: each mapping here is tested.)

#include <string>

#include "reports/report_model.hpp"

namespace tether::reports {

std::string render_junit(const report_document& report);

}  // namespace tether::reports
