// node-oidc-provider as an external authorization server for Tether: mutual-TLS client
// authentication and certificate-bound tokens (RFC 8705), DPoP (RFC 9449), RFC 9068 JWT access
// tokens for the suite's resource server, and an authorization endpoint that approves every valid
// request at once (no user, no UI). See ../README.md for every choice made here.
//
//   node server.mjs [--port N] [--mtls-port N] [--certs DIR] [--token-format jwt|opaque] [--require-nonce]
//
// Prints one JSON line on stdout when both listeners are up; SIGTERM or SIGINT stops it (exit 0).
// Exit status 2: bad arguments or an unreadable certificate set.

import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import {
  certificateAuthorized, certificateSubjectMatches, getCertificate, loadCertificate, loadKey,
} from './certificates.mjs';
import { suiteClients } from './clients.mjs';

const HOST = '127.0.0.1';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// The audience the suite's resource server expects (mocks/rs: tether-rs), and the resource
// indicator (RFC 8707) that stands for it when a request names none.
const AUDIENCE = 'tether-rs';
const DEFAULT_RESOURCE = 'urn:tether:rs';
const RS_SCOPES = 'read write';
const ACCESS_TOKEN_TTL = 300;  // RFC 9449 11.2: no long-lived DPoP tokens without nonces
const ACCOUNT = 'tether-user';

// Stop signals are taken from the start, so a SIGTERM right after launch still exits cleanly.
const servers = [];
function stop() {
  for (const s of servers) {
    s.close();
    s.closeAllConnections();
  }
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

function fail(message) {
  process.stderr.write(`oidc-provider server: ${message}\n`);
  process.exit(2);
}

function port(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${name} must be a port number (0 = ephemeral), got "${text}"`);
  return n;
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.TETHER_NOP_PORT ?? '0' },
      'mtls-port': { type: 'string', default: process.env.TETHER_NOP_MTLS_PORT ?? '0' },
      certs: { type: 'string', default: process.env.TETHER_CERTS },
      'require-nonce': { type: 'boolean', default: process.env.TETHER_NOP_REQUIRE_NONCE === '1' },
      'token-format': { type: 'string', default: process.env.TETHER_NOP_TOKEN_FORMAT ?? 'jwt' },
    },
  }));
} catch (e) {
  fail(e.message);
}
const ports = { main: port(args.port, '--port'), mtls: port(args['mtls-port'], '--mtls-port') };

// oidc-provider refuses to introspect its own JWT access tokens (unsupported_token_type), so an
// RS that introspects (RFC 7662, RFC 8705 3.2, RFC 9449 6.2) needs the opaque format.
if (!['jwt', 'opaque'].includes(args['token-format'])) fail(`--token-format must be jwt or opaque, got "${args['token-format']}"`);

// Loaded here rather than imported at the top so that a missing install is a message, not a trace.
let Provider;
try {
  ({ default: Provider } = await import('oidc-provider'));
} catch (e) {
  fail(`oidc-provider is not installed (${e.code ?? e.message}): run npm ci --prefix suites/interop`);
}

// Default: the certificate set of the default build, the one `./tether run` generates.
const certsDir = resolve(args.certs ?? `${ROOT}/build/${process.env.TETHER_PRESET ?? 'default'}/certs`);

let tls;
let clients;
try {
  // The suite's server certificate and CA (certs/README.md): clients trust ca.crt.
  tls = { key: loadKey(certsDir, 'server'), cert: loadCertificate(certsDir, 'server').pem, minVersion: 'TLSv1.2' };
  tls.ca = loadCertificate(certsDir, 'ca').pem;
  clients = suiteClients(certsDir);
} catch (e) {
  fail(`cannot read the certificate set in ${certsDir} (${e.message}); generate it with `
    + `build/<preset>/certs/tether-certgen ${certsDir}, or pass --certs DIR / TETHER_CERTS`);
}

// RFC 8705 5: the main listener never asks for a certificate; the mTLS listener asks (requestCert)
// but lets every handshake finish (rejectUnauthorized false), because the application judges the
// certificate: the PKI method validates its chain (certificateAuthorized), the self-signed method
// (2.2) and public clients (4) must not. Its endpoints are published as mtls_endpoint_aliases.
const main = createServer({ ...tls, requestCert: false });
const mtls = createServer({ ...tls, requestCert: true, rejectUnauthorized: false });
servers.push(main, mtls);
const listen = (server, p) => new Promise((ok, ko) => {
  server.once('error', ko);
  server.listen(p, HOST, () => ok(server.address().port));
});

let mainPort;
let mtlsPort;
try {
  mainPort = await listen(main, ports.main);
  mtlsPort = await listen(mtls, ports.mtls);
} catch (e) {
  fail(`cannot listen on ${HOST}: ${e.message}`);
}
const issuer = `https://${HOST}:${mainPort}`;
const mtlsOrigin = `https://${HOST}:${mtlsPort}`;

// A fresh ES256 signing key per start: nothing to commit, and the RS reads it from jwks_uri. Its
// kid is its RFC 7638 thumbprint.
const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
const signingKey = { ...jwk, alg: 'ES256', use: 'sig', kid };

const routes = {
  authorization: '/auth', token: '/token', introspection: '/token/introspection',
  revocation: '/token/revocation', pushed_authorization_request: '/request', jwks: '/jwks',
};

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  routes,
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'],
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  scopes: ['openid', 'offline_access'],
  discovery: {
    // RFC 8705 5: oidc-provider has no option of its own for this member; the discovery
    // document takes extra members verbatim.
    mtls_endpoint_aliases: Object.fromEntries(['token', 'introspection', 'revocation', 'pushed_authorization_request']
      .map((r) => [`${r}_endpoint`, `${mtlsOrigin}${routes[r]}`])),
  },
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: false },  // every access token is for the suite's RS, never for /me
    rpInitiatedLogout: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      // RFC 7662 2.1: only the resource server's credentials may introspect.
      allowedPolicy: (ctx, client) => client.clientId === 'rs',
    },
    revocation: { enabled: true },
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,  // RFC 8705 3, 3.3
      tlsClientAuth: true,                 // RFC 8705 2.1
      selfSignedTlsClientAuth: true,       // RFC 8705 2.2
      getCertificate,
      certificateAuthorized,
      certificateSubjectMatches,
    },
    dPoP: {
      enabled: true,
      // RFC 9449 8: nonces need a secret (stateless, HKDF-derived); only set when demanded, since
      // with a secret oidc-provider also answers a stale iat with use_dpop_nonce.
      ...(args['require-nonce'] ? { nonceSecret: randomBytes(32), requireNonce: () => true } : {}),
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, client, oneOf) => oneOf ?? DEFAULT_RESOURCE,
      // RFC 9068 JWT access tokens (or opaque ones, --token-format). RFC 8707 lets the AS map an
      // indicator to an audience: the default one means the suite's RS; any other absolute URI
      // becomes the audience itself.
      getResourceServerInfo: (ctx, indicator) => ({
        audience: indicator === DEFAULT_RESOURCE ? AUDIENCE : indicator,
        scope: RS_SCOPES,
        accessTokenFormat: args['token-format'],
        accessTokenTTL: ACCESS_TOKEN_TTL,
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
  // Consent: every scope the request asks for is granted (the oidc-provider documented way to
  // skip the consent prompt is to return a grant from loadExistingGrant).
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    const oidcScopes = [...ctx.oidc.requestParamOIDCScopes].join(' ');
    if (oidcScopes) grant.addOIDCScope(oidcScopes);
    for (const [indicator, rs] of Object.entries(ctx.oidc.resourceServers)) {
      const granted = [...ctx.oidc.requestParamScopes].filter((s) => rs.scopes.has(s)).join(' ');
      if (granted) grant.addResourceScope(indicator, granted);
    }
    await grant.save();
    return grant;
  },
  findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  // Refresh tokens go to every client registered for the refresh_token grant, without the OIDC
  // offline_access ceremony (which needs prompt=consent), and do not die with the session below.
  issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token'),
  expiresWithSession: () => false,
  ttl: {
    AccessToken: ACCESS_TOKEN_TTL, ClientCredentials: ACCESS_TOKEN_TTL, AuthorizationCode: 60,
    RefreshToken: 24 * 3600, Grant: 24 * 3600, Session: 600, Interaction: 600,
  },
  renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
});

// Login: the suite has no user agent, so every authorization request arrives with a session for
// the account login_hint names (default tether-user) already logged in. oidc-provider reads the
// session from its cookie; a fresh session is stored and its cookie put on the request before the
// provider sees it. Every prompt (login, consent) is then satisfied and /auth answers with the
// redirect carrying the code, in one request.
provider.use(async (ctx, next) => {
  if (ctx.path === routes.authorization) {
    const hint = ctx.query.login_hint;
    const session = new provider.Session();
    session.loginAccount({ accountId: typeof hint === 'string' && hint ? hint : ACCOUNT });
    await session.save(600);
    // No cookies.keys are configured, so the cookie is not signed: it carries no authority here.
    ctx.req.headers.cookie = `${provider.cookieName('session')}=${session.jti}`;
  }
  await next();
});

// oidc-provider masks some reasons on the wire ("grant request is invalid"); the detail goes to
// stderr as one JSON line per refusal, with the certificate verdict when there was one.
for (const event of ['grant.error', 'introspection.error', 'revocation.error', 'authorization.error',
  'pushed_authorization_request.error', 'server_error']) {
  provider.on(event, (ctx, err) => {
    process.stderr.write(`${JSON.stringify({
      event, route: ctx.oidc?.route, client_id: ctx.oidc?.client?.clientId, error: err.error ?? err.name,
      error_description: err.error_description ?? err.message, error_detail: err.error_detail,
      certificate: ctx.state?.certificateError,
    })}\n`);
  });
}

const callback = provider.callback();
main.on('request', callback);
mtls.on('request', callback);

process.stdout.write(`${JSON.stringify({
  ready: true, issuer, metadata_url: `${issuer}/.well-known/openid-configuration`, port: mainPort,
  mtls_port: mtlsPort, mtls_origin: mtlsOrigin, certs: certsDir, token_format: args['token-format'],
  require_nonce: args['require-nonce'], pid: process.pid,
})}\n`);

