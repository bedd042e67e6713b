#!/bin/sh
# scenarios/COVERAGE.md must be what `tether list --coverage --markdown` prints for the current
# catalogue. Skipped (77) until the page exists.
tether=${1:?usage: check_coverage.sh TETHER COVERAGE.md}
page=${2:?usage: check_coverage.sh TETHER COVERAGE.md}
if [ ! -f "$page" ]; then
  echo "SKIP: $page does not exist yet; write it with: tether list --coverage --markdown > $page"
  exit 77
fi
if ! "$tether" list --coverage --markdown 2>/dev/null | diff -u "$page" - ; then
  echo "FAIL: $page is out of date; regenerate it with: tether list --coverage --markdown > $page"
  exit 1
fi
echo "$page is current"
