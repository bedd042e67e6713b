#!/bin/sh
# A client under test in a few lines of shell (curl and jq), to show the contract of
# targets/README.md "The client under test": Tether runs it once per scenario with TETHER_*
# variables and judges what its mock AS and RS saw. It gets client-credentials tokens, bound to
# its certificate (RFC 8705) or plain bearer tokens, and calls the RS with them. Anything else
# (DPoP, the code flow, refresh) it does not support: exit status 89, which Tether reports as
# `skip`, not `fail`.
set -eu

case "$TETHER_BINDING/$TETHER_FLOW" in
  mtls/token | mtls/token+resource | none/token | none/token+resource) ;;
  *) echo "curl-client: $TETHER_FLOW with binding $TETHER_BINDING is not supported" >&2; exit 89 ;;
esac

# TLS: trust the suite's CA; present the client certificate when there is one.
set -- --silent --show-error --fail --cacert "$TETHER_CA_FILE"
[ -n "$TETHER_CLIENT_CERT" ] && set -- "$@" --cert "$TETHER_CLIENT_CERT" --key "$TETHER_CLIENT_KEY"

meta=$(curl "$@" "$TETHER_AS_METADATA")
# RFC 8705 5: a client that uses mutual TLS goes to the alias when the AS publishes one.
if [ -n "$TETHER_CLIENT_CERT" ]; then
  token_endpoint=$(echo "$meta" | jq -r '.mtls_endpoint_aliases.token_endpoint // .token_endpoint')
else
  token_endpoint=$(echo "$meta" | jq -r '.token_endpoint')
fi

case "$TETHER_CLIENT_AUTH_METHOD" in
  client_secret_basic) auth="--user $TETHER_CLIENT_ID:$TETHER_CLIENT_SECRET" ;;
  tls_client_auth | self_signed_tls_client_auth | none) auth="--data-urlencode client_id=$TETHER_CLIENT_ID" ;;
  *) echo "curl-client: $TETHER_CLIENT_AUTH_METHOD is not supported" >&2; exit 89 ;;
esac

# Tether-Trace is optional: it lets the mocks' events be matched to this scenario.
# shellcheck disable=SC2086 # $auth is two words
token=$(curl "$@" -H "Tether-Trace: $TETHER_TRACE/token" $auth -d grant_type=client_credentials "$token_endpoint" |
  jq -r .access_token)
[ "$TETHER_FLOW" = token ] && exit 0

curl "$@" -o /dev/null -H "Tether-Trace: $TETHER_TRACE/resource" -H "Authorization: Bearer $token" "$TETHER_RS_URL"
