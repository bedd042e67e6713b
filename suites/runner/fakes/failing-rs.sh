#!/bin/sh
# Stands in for a tether-rs that fails as it starts (as one killed at start, or past the start
# timeout, would): answers --describe-knobs as fake-mock.sh does; otherwise appends what it was
# given to $FAKE_RS_RECORD (its arguments, and the mode and content of its
# --introspection-client-file) and exits 3 without a ready line.
for a in "$@"; do
  [ "$a" = --describe-knobs ] && exec "$(dirname "$0")/fake-mock.sh" "$@"
done
{
  echo "args: $*"
  prev=
  for a in "$@"; do
    if [ "$prev" = --introspection-client-file ]; then
      echo "mode: $(stat -c %a "$a")"
      echo "content: $(cat "$a")"
    fi
    prev=$a
  done
} >>"${FAKE_RS_RECORD:-/dev/null}"
echo "tether-rs stand-in: failing on purpose" >&2
exit 3
