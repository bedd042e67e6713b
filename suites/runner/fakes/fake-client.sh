#!/bin/sh
# Stands in for `tether-client serve` in the runner's process tests. Answers each request line
# by the step's name: "hang..." never answers, "slow..." answers after 2 s (creating the file
# $FAKE_SLOW_MARKER first, when set), a resource step with
# an `ath` defect gets 401 with a DPoP challenge, anything else is accepted.
case "$1" in
  --describe-knobs) echo '[]'; exit 0 ;;
  serve) ;;
  *) exit 0 ;;
esac
while IFS= read -r line; do
  id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  op=$(printf '%s' "$line" | sed -n 's/.*"op":"\([a-z_]*\)".*/\1/p')
  name=$(printf '%s' "$line" | sed -n 's/.*"step":{.*"name":"\([^"]*\)".*/\1/p')
  if [ "$op" != step ]; then echo "{\"id\":$id,\"ok\":true}"; continue; fi
  case "$name" in
    hang*) sleep 1000 ;;
    slow*) [ -n "${FAKE_SLOW_MARKER:-}" ] && : >"$FAKE_SLOW_MARKER"; sleep 2 ;;
  esac
  tls='"tls":{"ok":true,"version":"TLSv1.3","stage":"","error":"","alert":false,"handshake_ms":1.5}'
  case "$line" in
    *'"action":"token"'*)
      echo "{\"id\":$id,\"observation\":{\"step\":\"$name\",$tls,\"response\":{\"status\":200,\"json\":{\"access_token\":\"at-1\",\"token_type\":\"DPoP\"},\"challenges\":[]},\"token\":{\"access_token\":\"at-1\",\"token_type\":\"DPoP\",\"cnf\":{\"jkt\":\"jkt-1\"}}}}" ;;
    *'"ath":"other_token"'*)
      echo "{\"id\":$id,\"observation\":{\"step\":\"$name\",$tls,\"response\":{\"status\":401,\"challenges\":[{\"scheme\":\"DPoP\",\"params\":{\"error\":\"invalid_dpop_proof\"}}]}}}" ;;
    *)
      echo "{\"id\":$id,\"observation\":{\"step\":\"$name\",$tls,\"response\":{\"status\":200,\"challenges\":[]}}}" ;;
  esac
done
