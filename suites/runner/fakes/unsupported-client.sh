#!/bin/sh
# Stands in for a client under test that supports nothing: records the TETHER_* environment it
# was given, and the directory it runs in, in $STAND_IN_ENV_FILE (when set), then exits 89, the
# status that means "not supported" (targets/README.md).
if [ -n "${STAND_IN_ENV_FILE:-}" ]; then
  { env | grep '^TETHER_' | sort; echo "PWD=$(pwd -P)"; } >"$STAND_IN_ENV_FILE"
fi
exit 89
