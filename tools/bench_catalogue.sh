#!/bin/sh
# Runs the default catalogue against the built-in mocks with -j 2 (or $JOBS) and prints the
# throughput and where the time went: TLS handshakes (summed from the observations) against the
# rest. Usage: tools/bench_catalogue.sh [BUILD_DIR] [extra `tether run` arguments...]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build/default"}
[ $# -gt 0 ] && shift
tether="$build/runner/tether"
[ -x "$tether" ] || { echo "bench_catalogue: $tether is not built" >&2; exit 2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/tether-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
status=0
NO_COLOR=1 "$tether" run --out "$out" -j "${JOBS:-2}" "$@" >"$out/run.log" 2>&1 || status=$?
if [ ! -f "$out/report.json" ]; then
  cat "$out/run.log" >&2
  echo "bench_catalogue: tether run exited with $status and wrote no report" >&2
  exit 1
fi
grep -E '^[0-9]+ scenarios:' "$out/run.log" || true
# report.json's run info: scenarios per second, and the time inside scenarios split into TLS
# handshakes and everything else (process I/O, JSON, the servers' own work).
if command -v python3 >/dev/null 2>&1; then
  python3 - "$out/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
run, total = r["run"], r["summary"]["total"]
secs = run["duration_ms"] / 1000.0
print(f"scenarios: {total} in {secs:.2f} s = {total / secs if secs else 0:.1f} scenarios/s with -j {run['jobs']}")
scen = run.get("scenario_ms", 0.0)
tls = run.get("tls_handshake_ms", 0.0)
share = 100.0 * tls / scen if scen else 0.0
print(f"time inside scenarios: {scen:.0f} ms; TLS handshakes {tls:.0f} ms ({share:.0f}%), the rest {scen - tls:.0f} ms")
print(f"mock instances started: {run.get('mocks_started', '?')}, worker restarts: {run.get('worker_restarts', '?')}")
PY
else
  grep -E '"(duration_ms|tls_handshake_ms|scenario_ms|other_ms)"' "$out/report.json" | head -5
fi
exit 0
