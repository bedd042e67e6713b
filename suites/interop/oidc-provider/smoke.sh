#!/bin/sh
# Proves with real requests that oidc-provider, set up by server.mjs, authenticates clients by
# certificate (RFC 8705 2.1, 2.2), binds tokens to the certificate (3.1) and to a DPoP key
# (RFC 9449 6.1), publishes what RFC 8705 3.3 / 5 and RFC 9449 5.1 ask, and answers /auth with a
# code in one request. Expected values come from OpenSSL and the proof key, never from the server.
#
#   smoke.sh CERTS_DIR [TETHER_CLIENT]
#
# Exit 0: every check passed; 1: a check failed; 77: skipped (node_modules not installed).
# Without TETHER_CLIENT (mocks/client/tether-client) the DPoP check is skipped and said so.
set -u
here=$(cd "$(dirname "$0")" && pwd)
certs=$(cd "${1:?usage: smoke.sh CERTS_DIR [TETHER_CLIENT]}" && pwd)
client=${2:-}
if [ ! -d "$here/../node_modules/oidc-provider" ]; then
  echo "SKIP: oidc-provider is not installed (npm ci --prefix suites/interop)"
  exit 77
fi

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
failures=0
ok() { echo "ok:   $1"; }
bad() { echo "FAIL: $1"; failures=$((failures + 1)); }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$3], got [$2]"; fi; }

# json FILE EXPR: evaluates EXPR on the JSON document d (and the access token's claims as c).
json() {
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const at = d.access_token ?? d.token?.access_token;
    const part = (i) => (typeof at === "string" && at.includes(".") ? JSON.parse(Buffer.from(at.split(".")[i], "base64url")) : {});
    const h = part(0), c = part(1);
    const v = eval(process.argv[2]);
    console.log(typeof v === "object" ? JSON.stringify(v) : String(v));' "$1" "$2" 2>/dev/null
}
thumbprint() {
  openssl x509 -in "$certs/$1.crt" -outform DER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
}
# post NAME URL ARGS...: the body goes to $work/NAME, the status is printed.
post() {
  name=$1 url=$2
  shift 2
  curl -s -o "$work/$name" -w '%{http_code}' --cacert "$certs/ca.crt" "$@" "$url"
}

node "$here/server.mjs" --certs "$certs" >"$work/ready" 2>"$work/server.log" &
pid=$!
tries=0
while ! grep -q '"ready":true' "$work/ready" 2>/dev/null; do
  tries=$((tries + 1))
  if ! kill -0 "$pid" 2>/dev/null || [ $tries -gt 300 ]; then
    echo "FAIL: the server did not start"; cat "$work/server.log"; exit 1
  fi
  sleep 0.1
done
issuer=$(json "$work/ready" d.issuer)
alias=$(json "$work/ready" d.mtls_origin)/token
echo "issuer $issuer, mTLS token endpoint $alias"

# RFC 8414 metadata with the RFC 8705 and RFC 9449 members.
post meta "$issuer/.well-known/oauth-authorization-server" >/dev/null
expect "metadata: mtls_endpoint_aliases.token_endpoint (RFC 8705 5)" "$(json "$work/meta" d.mtls_endpoint_aliases.token_endpoint)" "$alias"
expect "metadata: tls_client_certificate_bound_access_tokens (RFC 8705 3.3)" "$(json "$work/meta" d.tls_client_certificate_bound_access_tokens)" true
expect "metadata: dpop_signing_alg_values_supported has ES256 (RFC 9449 5.1)" "$(json "$work/meta" 'd.dpop_signing_alg_values_supported.includes("ES256")')" true
expect "metadata: tls_client_auth and self_signed_tls_client_auth (RFC 8705 2.1.1, 2.2.1)" \
  "$(json "$work/meta" '["tls_client_auth","self_signed_tls_client_auth"].every((m) => d.token_endpoint_auth_methods_supported.includes(m))')" true

# tls_client_auth (PKI) and self_signed_tls_client_auth: a JWT bound to the certificate.
for c in "mtls-pki client-a" "mtls-self-signed client-self-signed"; do
  set -- $c
  status=$(post "$1" "$alias" --cert "$certs/$2.crt" --key "$certs/$2.key" -d grant_type=client_credentials -d client_id="$1")
  expect "$1: token over mTLS" "$status" 200
  expect "$1: RFC 9068 at+jwt for tether-rs, Bearer" "$(json "$work/$1" '[h.typ, c.aud, d.token_type].join(" ")')" "at+jwt tether-rs Bearer"
  expect "$1: cnf.x5t#S256 is the thumbprint of $2 (RFC 8705 3.1)" "$(json "$work/$1" 'c.cnf["x5t#S256"]')" "$(thumbprint "$2")"
done

# Refusals (RFC 8705 2, 2.1): another subject, another CA, an expired certificate, none at all.
for c in client-b client-other-ca client-expired; do
  status=$(post "no-$c" "$alias" --cert "$certs/$c.crt" --key "$certs/$c.key" -d grant_type=client_credentials -d client_id=mtls-pki)
  expect "mtls-pki with $c: invalid_client" "$status $(json "$work/no-$c" d.error)" "401 invalid_client"
done
status=$(post no-cert "$alias" -d grant_type=client_credentials -d client_id=mtls-pki)
expect "mtls-pki without a certificate: invalid_client" "$status $(json "$work/no-cert" d.error)" "401 invalid_client"

# /auth approves at once: one request, a 303 to the redirect URI with a code (PKCE S256).
verifier=$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\n')
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
location=$(curl -s -o /dev/null -w '%{redirect_url}' --cacert "$certs/ca.crt" \
  "$issuer/auth?response_type=code&client_id=public&state=s1&scope=read&code_challenge=$challenge&code_challenge_method=S256")
case "$location" in
  https://client.tether.test/cb\?code=*) ok "authorization code in one /auth request" ;;
  *) bad "authorization code in one /auth request: got [$location]" ;;
esac

# DPoP (RFC 9449 5, 6.1): token_type DPoP and cnf.jkt = the thumbprint of the proof key.
if [ -n "$client" ] && [ -x "$client" ]; then
  "$client" token --as "$issuer" --ca "$certs/ca.crt" --client-id dpop-bound --secret dpop-bound-test-secret \
    --dpop --key-file "$work/dpop.pem" >"$work/dpop" 2>"$work/dpop.err"
  expect "dpop-bound: token_type DPoP" "$(json "$work/dpop" d.token.token_type)" DPoP
  expect "dpop-bound: cnf.jkt is the proof key's thumbprint" "$(json "$work/dpop" 'c.cnf?.jkt')" "$(json "$work/dpop" d.request.dpop.jkt)"
else
  echo "skip: DPoP-bound token (no tether-client given)"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed; server log:"
  cat "$work/server.log"
  exit 1
fi
echo "all checks passed"
