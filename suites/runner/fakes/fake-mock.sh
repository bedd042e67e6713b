#!/bin/sh
# Stands in for tether-as / tether-rs in the runner's process tests: answers --describe-knobs,
# prints a ready line of the documented shape and waits to be killed. It serves nothing.
role=rs
for a in "$@"; do
  case "$a" in
    --describe-knobs) echo '[{"name":"pad_x5t","kind":"breaks","type":"bool","default":false,"description":"d"}]'; exit 0 ;;
    --mtls-port) role=as ;;
  esac
done
if [ "$role" = as ]; then
  echo '{"ready":true,"issuer":"https://127.0.0.1:1","mtls_origin":"https://127.0.0.1:2","token_endpoint":"https://127.0.0.1:1/token","mtls_token_endpoint":"https://127.0.0.1:2/token","introspection_endpoint":"https://127.0.0.1:1/introspect","authorization_endpoint":"https://127.0.0.1:1/authorize","jwks_uri":"https://127.0.0.1:1/jwks","pid":'$$'}'
else
  echo '{"ready":true,"url":"https://127.0.0.1:3","resource":"https://127.0.0.1:3/resource","pid":'$$'}'
fi
# A child of its own, so that the tests can check the whole process group goes.
sleep 1000 &
wait
