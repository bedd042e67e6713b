#!/bin/sh
# Validates scenario and target files with ajv (JSON Schema 2020-12): the example files must
# pass, every file under suites/runner/data/invalid/ must fail, and every file of the catalogue
# (scenarios/) and every target file (targets/, the guides' examples) must pass. Installs ajv-cli into the build tree
# (NODE_TOOLS) on first use. Exits 77 (skipped) when npm is not there.
set -u
tools=${1:?usage: validate_schemas.sh NODE_TOOLS_DIR}
root=$(pwd)
if ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: npm is not installed, so the JSON Schemas were not checked with ajv"
  exit 77
fi
ajv="$tools/node_modules/.bin/ajv"
if [ ! -x "$ajv" ]; then
  mkdir -p "$tools"
  if ! npm install --silent --no-audit --no-fund --prefix "$tools" ajv-cli@5 ajv-formats@3 >"$tools/npm-install.log" 2>&1; then
    echo "SKIP: npm could not install ajv-cli (see $tools/npm-install.log)"
    exit 77
  fi
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failures=0
count=0
# check SCHEMA pass|fail FILE...: one ajv run (node starts slowly), then each file's verdict.
check() {
  schema=$1 want=$2
  shift 2
  [ $# -gt 0 ] || return 0
  args=""
  for f in "$@"; do args="$args -d $f"; done
  # shellcheck disable=SC2086
  "$ajv" validate --spec=draft2020 --strict=false -c ajv-formats -s "$schema" $args >"$out" 2>&1
  for f in "$@"; do
    count=$((count + 1))
    if grep -qxF "$f valid" "$out"; then got=pass; elif grep -qxF "$f invalid" "$out"; then got=fail; else got=unknown; fi
    if [ "$got" != "$want" ]; then
      echo "FAIL: $f should $want $(basename "$schema") (ajv: $got)"
      failures=$((failures + 1))
    fi
  done
  [ "$failures" -eq 0 ] || sed 's/^/    /' "$out"
}
scenario_schema="$root/scenarios/schema/scenario-v1.schema.json"
target_schema="$root/scenarios/schema/target-v1.schema.json"
check "$scenario_schema" pass suites/runner/data/scenarios/*.json suites/runner/data/external/*.json suites/runner/data/process/*.json
check "$scenario_schema" fail suites/runner/data/invalid/*.json
# shellcheck disable=SC2046
check "$scenario_schema" pass $(find scenarios -name '*.json' -not -path 'scenarios/schema/*' -not -name requirements.json | sort)
targets=""
for f in targets/*.json targets/emulations/*.json docs/guides/*.json suites/runner/data/targets/*.json; do
  [ -f "$f" ] && grep -q '"tether-target/1"' "$f" && targets="$targets $f"
done
# shellcheck disable=SC2086
check "$target_schema" pass $targets
echo "$count files checked with ajv, $failures disagreements"
[ "$failures" -eq 0 ]
