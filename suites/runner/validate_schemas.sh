#!/bin/sh
# Validates scenario and target files with ajv (JSON Schema 2020-12): the example files must
# pass, every file under suites/runner/data/invalid/ must fail, and every file of the catalogue
# (scenarios/) and every target file (targets/) must pass. Installs ajv-cli into the build tree
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
scenario_schema="$root/scenarios/schema/scenario-v1.schema.json"
target_schema="$root/scenarios/schema/target-v1.schema.json"
failures=0
check() {  # check SCHEMA FILE pass|fail
  if "$ajv" validate --spec=draft2020 --strict=false -c ajv-formats -s "$1" -d "$2" >/tmp/ajv.$$ 2>&1; then got=pass; else got=fail; fi
  if [ "$got" != "$3" ]; then
    echo "FAIL: $2 should $3 $(basename "$1") but did not:"; sed 's/^/    /' /tmp/ajv.$$
    failures=$((failures + 1))
  fi
  rm -f /tmp/ajv.$$
}
count=0
for f in suites/runner/data/scenarios/*.json suites/runner/data/process/*.json; do check "$scenario_schema" "$f" pass; count=$((count + 1)); done
for f in suites/runner/data/invalid/*.json; do check "$scenario_schema" "$f" fail; count=$((count + 1)); done
for f in $(find scenarios -name '*.json' -not -path 'scenarios/schema/*' -not -name requirements.json | sort); do
  check "$scenario_schema" "$f" pass; count=$((count + 1))
done
for f in targets/*.json suites/runner/data/targets/*.json; do
  [ -f "$f" ] || continue
  grep -q '"tether-target/1"' "$f" || continue
  check "$target_schema" "$f" pass; count=$((count + 1))
done
echo "$count files checked with ajv, $failures disagreements"
[ "$failures" -eq 0 ]
