#!/usr/bin/env bash
# Builds the fuzz tree (clang, libFuzzer, ASan, UBSan) and runs one fuzzer for a bounded time.
#   run_fuzzer.sh build              configure and build every fuzz_* target in build/fuzz
#   run_fuzzer.sh run NAME SECONDS   run fuzz_NAME for SECONDS on its seed corpus
# Exit 77 (ctest: skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tree="$root/build/fuzz"

if ! command -v clang++ >/dev/null; then
  echo "SKIP: clang++ is not installed, so the fuzzers do not run (apt-get install clang libclang-rt-14-dev)"
  exit 77
fi

case "${1:-}" in
  build)
    if [ ! -f "$tree/build.ninja" ]; then
      cmake --preset fuzz -S "$root" >/dev/null
    fi
    targets=$(ninja -C "$tree" -t targets all | sed -n 's/^\(fuzz_[A-Za-z0-9_]*\): phony$/\1/p' | sort -u)
    [ -n "$targets" ] || { echo "no fuzz targets"; exit 0; }
    # shellcheck disable=SC2086
    cmake --build "$tree" --target $targets
    ;;
  run)
    name=$2 seconds=$3
    bin=$(find "$tree/suites" -type f -name "fuzz_$name" -perm -u+x | head -n 1)
    [ -n "$bin" ] || { echo "fuzz_$name was not built"; exit 1; }
    corpus_src="$root/suites/fuzz/corpus/$name"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/corpus"
    [ -d "$corpus_src" ] && cp -r "$corpus_src/." "$work/corpus/"
    # -rss_limit_mb keeps a runaway allocation a finding rather than an OOM kill of the machine.
    "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$work/" "$work/corpus" 2>&1 | tail -n 25
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then
      mkdir -p "$root/build/fuzz-artifacts"
      cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$root/build/fuzz-artifacts/" 2>/dev/null || true
      echo "fuzz_$name failed (exit $status); reproducer copied to build/fuzz-artifacts/"
    fi
    exit "$status"
    ;;
  *) echo "usage: $0 build | run NAME SECONDS" >&2; exit 2 ;;
esac
