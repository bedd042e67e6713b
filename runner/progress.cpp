#include "runner/progress.hpp"

#include <unistd.h>

#include <cstdlib>
#include <map>

#include <fmt/format.h>

namespace tether::runner {
namespace {

const char* colour_of(const std::string& verdict) {
  if (verdict == "pass") return "\x1b[32m";
  if (verdict == "fail" || verdict == "error") return "\x1b[31m";
  if (verdict == "warn") return "\x1b[33m";
  if (verdict == "info") return "\x1b[36m";
  return "\x1b[90m";
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return s;
}

}  // namespace

progress_printer::progress_printer(std::FILE* out, bool colour) : out_(out), colour_(colour) {}

bool progress_printer::want_colour(std::FILE* out) {
  const char* no = std::getenv("NO_COLOR");
  return isatty(fileno(out)) && !(no && *no);
}

void progress_printer::scenario_done(const scenario_result& r) {
  std::string verdict = fmt::format("{:<5}", upper(r.verdict));
  if (colour_) verdict = std::string(colour_of(r.verdict)) + verdict + "\x1b[0m";
  std::string text = fmt::format("{} {} {:.0f} ms", verdict, r.sc->id, r.duration_ms);
  if (r.verdict != "pass" && !r.reason.empty()) text += " - " + r.reason;
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

std::string summary_line(const std::vector<scenario_result>& results, double duration_ms) {
  std::map<std::string, int> n;
  for (const auto& r : results) ++n[r.verdict];
  double s = duration_ms / 1000.0;
  double rate = s > 0 ? static_cast<double>(results.size()) / s : 0.0;
  return fmt::format("{} scenario{}: {} pass, {} warn, {} info, {} skip, {} fail, {} error in {:.1f} s ({:.1f} scenarios/s)",
                     results.size(), results.size() == 1 ? "" : "s", n["pass"], n["warn"], n["info"], n["skip"], n["fail"], n["error"], s, rate);
}

void progress_printer::summary(const std::vector<scenario_result>& results, double duration_ms) {
  std::fprintf(out_, "%s\n", summary_line(results, duration_ms).c_str());
  std::fflush(out_);
}

void progress_printer::line(const std::string& text) {
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

}  // namespace tether::runner
