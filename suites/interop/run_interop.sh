#!/bin/sh
# The AS catalogue against node-oidc-provider, for CI (suites/interop/README.md "In CI").
#   run_interop.sh install                      npm ci from the lock file, when node_modules is not
#                                               exactly the locked oidc-provider
#   run_interop.sh smoke CERTS_DIR TETHER_CLIENT oidc-provider/smoke.sh, with the same checks first
#   run_interop.sh catalogue TETHER OUT_DIR     tether run against targets/oidc-provider.json; the
#                                               verdicts must match oidc-provider/expectations.json
# Exit status: tether's (0: every verdict passes or is expected), or 77 (skipped: no Node.js or
# no installed packages), saying why in one line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

need_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "interop: SKIPPED: Node.js and npm are not installed; install Node.js 20.19 or later to test against node-oidc-provider"
    exit 77
  fi
}

# The oidc-provider version the lock file pins, and the one installed ("" when none).
locked_version() {
  node -e 'const l=require(process.argv[1]);process.stdout.write((l.packages["node_modules/oidc-provider"]||{}).version||"")' \
    "$here/package-lock.json"
}
installed_version() {
  node -e 'try{process.stdout.write(require(process.argv[1]).version)}catch(e){}' \
    "$here/node_modules/oidc-provider/package.json" 2>/dev/null
}

case "${1:-}" in
  install)
    need_node
    locked=$(locked_version)
    if [ -n "$locked" ] && [ "$(installed_version)" = "$locked" ] && [ ! "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
      echo "interop: oidc-provider $locked is installed (suites/interop/node_modules)"
      exit 0
    fi
    echo "interop: npm ci --prefix suites/interop (oidc-provider $locked, from the lock file)"
    npm ci --prefix "$here" --no-audit --no-fund || exit 1
    [ "$(installed_version)" = "$locked" ] || { echo "interop: npm ci did not install oidc-provider $locked"; exit 1; }
    ;;
  smoke)
    need_node
    exec "$here/oidc-provider/smoke.sh" "${2:?usage: run_interop.sh smoke CERTS_DIR TETHER_CLIENT}" "${3:-}"
    ;;
  catalogue)
    tether=${2:?usage: run_interop.sh catalogue TETHER OUT_DIR}
    out=${3:?usage: run_interop.sh catalogue TETHER OUT_DIR}
    need_node
    if [ -z "$(installed_version)" ]; then
      echo "interop: SKIPPED: oidc-provider is not installed; run: npm ci --prefix suites/interop"
      exit 77
    fi
    # The AS catalogue (scenarios with role "as"); until it has any, the runner's own AS examples.
    scenarios="--scenarios $root/scenarios"
    if ! "$tether" list --json --scenarios "$root/scenarios" 2>/dev/null | grep -q '"role": "as"'; then
      echo "interop: the catalogue has no AS scenarios yet: running the runner's AS examples"
      scenarios="--scenarios $root/suites/runner/data/scenarios --scenarios $root/suites/runner/data/external"
    fi
    rm -rf "$out"
    mkdir -p "$out"
    # shellcheck disable=SC2086 # $scenarios is a list of options
    NO_COLOR=1 "$tether" run --target "$root/targets/oidc-provider.json" $scenarios --out "$out" -j 2
    status=$?
    echo "interop: reports in $out (report.html, report.md, junit.xml, report.json)"
    exit $status
    ;;
  *)
    echo "usage: run_interop.sh install | smoke CERTS_DIR TETHER_CLIENT | catalogue TETHER OUT_DIR" >&2
    exit 2
    ;;
esac
