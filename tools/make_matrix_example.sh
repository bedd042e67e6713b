#!/usr/bin/env bash
# Regenerates docs/matrix/: the catalogue run against the built-in mocks (correct), the
# emulations of targets/emulations/ (the mocks answering like other servers, NOT those servers)
# and node-oidc-provider (a real AS, when Node.js and suites/interop/node_modules are there),
# put side by side by `tether matrix` as Markdown and HTML. Each column is headed by the
# implementation's name, version and the date of its run.
#
# Usage: tools/make_matrix_example.sh [BUILD_DIR] [extra `tether run` arguments...]
# (BUILD_DIR default: build/default; build it first with ./tether build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build/default"}
[ $# -gt 0 ] && shift
# Absolute, since the matrix is made from inside the work directory.
build=$(cd "$build" 2>/dev/null && pwd) || { echo "make_matrix_example: no build directory ${build}" >&2; exit 2; }
tether="$build/runner/tether"
[ -x "$tether" ] || { echo "make_matrix_example: $tether is not built (./tether build)" >&2; exit 2; }
out="$root/docs/matrix"
work=$(mktemp -d "${TMPDIR:-/tmp}/tether-matrix.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The catalogue; until it has scenarios, the runner's own examples.
extra=("$@")
scenarios=(--scenarios "$root/scenarios")
if ! "$tether" list --json --scenarios "$root/scenarios" 2>/dev/null | grep -q '"id"'; then
  echo "make_matrix_example: scenarios/ is empty: using the runner's examples"
  scenarios=(--scenarios "$root/suites/runner/data/scenarios" --scenarios "$root/suites/runner/data/external")
fi

# Each report goes to $work/<column>/report.json; the matrix lists them by that relative path.
run_column() {
  column=$1
  target=$2
  shift 2
  echo "make_matrix_example: $column ($target)"
  # Any verdict is material for the matrix; only a missing report is a failure here.
  NO_COLOR=1 "$tether" run --target "$target" --out "$work/$column" -j 2 "${scenarios[@]}" "${extra[@]}" "$@" \
    >"$work/$column.log" 2>&1 || true
  if [ ! -f "$work/$column/report.json" ]; then
    cat "$work/$column.log" >&2
    echo "make_matrix_example: no report for $column" >&2
    exit 1
  fi
  grep -E '^[0-9]+ scenarios?:' "$work/$column.log" || true
  columns+=("$column/report.json")
}

columns=()
run_column tether-mocks "$root/targets/builtin.json"
if command -v node >/dev/null 2>&1 && [ -d "$root/suites/interop/node_modules/oidc-provider" ]; then
  # Its expectations judge CI; the matrix shows every verdict as it is, whatever the exit status.
  run_column node-oidc-provider "$root/targets/oidc-provider.json"
else
  echo "make_matrix_example: node-oidc-provider left out (needs Node.js and npm ci --prefix suites/interop)"
fi
for emulation in node-oidc-provider-like keycloak-like spring-like auth0-like; do
  run_column "$emulation" "$root/targets/emulations/$emulation.json"
done

mkdir -p "$out"
(cd "$work" && "$tether" matrix "${columns[@]}" --out "$out")
echo "make_matrix_example: wrote $out/matrix.md and $out/matrix.html"
