#!/bin/sh
# Runs the default catalogue once for the per-scenario CTest tests; succeeds when the report was
# written (scenario failures are judged by each scenario's own test).
tether=${1:?usage: run_catalogue.sh TETHER OUT_DIR}
out=${2:?usage: run_catalogue.sh TETHER OUT_DIR}
rm -f "$out/report.json"
NO_COLOR=1 "$tether" run --out "$out" -j 2
status=$?
if [ ! -f "$out/report.json" ]; then
  echo "FAIL: tether run exited with $status and wrote no report"
  exit 1
fi
exit 0
