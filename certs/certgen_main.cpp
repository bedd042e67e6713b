// tether-certgen OUT_DIR [--force]: makes sure OUT_DIR holds the suite's certificate set
// (see certs/README.md). The build runs it on every build; it rewrites nothing while the set
// is complete and valid for another week.

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "certs/certgen.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Generate Tether's test certificate set (ECDSA P-256, test use only)"};
  std::string out_dir;
  bool force = false;
  int min_valid_days = 7;
  app.add_option("OUT_DIR", out_dir, "directory that receives the set")->required();
  app.add_flag("--force", force, "replace the set even when it is still valid");
  app.add_option("--min-valid-days", min_valid_days,
                 "regenerate when a certificate expires sooner than this")
      ->check(CLI::Range(0, 29));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is 0; a usage error is 2
  }

  const int64_t min_valid_s = static_cast<int64_t>(min_valid_days) * 24 * 3600;
  if (!force) {
    if (auto fresh = tether::certs::check_suite_certificates(out_dir, min_valid_s)) {
      std::printf("tether-certgen: certificate set in %s is up to date\n", out_dir.c_str());
      return 0;
    } else {
      std::printf("tether-certgen: regenerating (%s)\n", fresh.err().message.c_str());
    }
  }
  auto done = force ? tether::certs::regenerate_suite_certificates(out_dir)
                    : tether::certs::ensure_suite_certificates(out_dir, min_valid_s);
  if (!done) {
    std::fprintf(stderr, "tether-certgen: %s\n", done.err().message.c_str());
    return 1;
  }
  // Without --force another process may have written the set while this one waited.
  std::printf(force ? "tether-certgen: wrote a fresh certificate set to %s\n"
                    : "tether-certgen: certificate set in %s is ready\n",
              out_dir.c_str());
  return 0;
}
