// The suite's client registrations (scenarios/README.md "Client registrations"), as oidc-provider
// client metadata (RFC 7591, RFC 8705 2.1.2 / 2.2 / 3.4, RFC 9449 5.2). Names, client_ids and test
// secrets are those of targets/builtin-clients.json, so a scenario reads the same for every AS.
// Subject values are read from the certificate set at start, so they match the certificates the
// runner presents even after the set is regenerated.

import { loadCertificate, sanValues, subjectDn } from './certificates.mjs';

const REDIRECT = ['https://client.tether.test/cb'];
const CODE = { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: REDIRECT };
const ALL = { grant_types: ['client_credentials', 'authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: REDIRECT };
// Without redirect URIs a client cannot use the code flow: oidc-provider then wants no response types.
const SERVICE = { grant_types: ['client_credentials', 'refresh_token'], response_types: [], redirect_uris: [] };

// RFC 8705 2.1.2 compares iPAddress in binary form: register the long form of the certificate's
// IPv6 address so that a text comparison would fail and a binary one passes.
function expandedIpv6(text) {
  const [head, tail = ''] = text.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = text.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

// RFC 8705 2.2: a self-signed client registers its certificate in jwks (x5c), no chain is checked.
function jwksOf(cert) {
  const jwk = cert.x509.publicKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, x5c: [cert.x509.raw.toString('base64')] }] };
}

export function suiteClients(certsDir) {
  const a = loadCertificate(certsDir, 'client-a').x509;
  const selfSigned = loadCertificate(certsDir, 'client-self-signed');
  const ipv6 = sanValues(a, 'IP Address').find((ip) => ip.includes(':'));
  const pki = (extra) => ({
    ...SERVICE, token_endpoint_auth_method: 'tls_client_auth', tls_client_certificate_bound_access_tokens: true, ...extra,
  });
  return [
    { client_id: 'mtls-pki', ...pki(ALL), tls_client_auth_subject_dn: subjectDn(a) },
    { client_id: 'mtls-pki-san-dns', ...pki(), tls_client_auth_san_dns: sanValues(a, 'DNS')[0] },
    { client_id: 'mtls-pki-san-uri', ...pki(), tls_client_auth_san_uri: sanValues(a, 'URI')[0] },
    { client_id: 'mtls-pki-san-ip', ...pki(), tls_client_auth_san_ip: expandedIpv6(ipv6) },
    { client_id: 'mtls-pki-san-email', ...pki(), tls_client_auth_san_email: sanValues(a, 'email')[0] },
    {
      client_id: 'mtls-self-signed', ...SERVICE, token_endpoint_auth_method: 'self_signed_tls_client_auth',
      jwks: jwksOf(selfSigned), tls_client_certificate_bound_access_tokens: true,
    },
    { client_id: 'secret-basic', ...ALL, token_endpoint_auth_method: 'client_secret_basic', client_secret: 'secret-basic-test-secret' },
    { client_id: 'secret-post', ...SERVICE, token_endpoint_auth_method: 'client_secret_post', client_secret: 'secret-post-test-secret' },
    // RFC 9449 5: a public client's refresh token is bound to its proof key; PKCE is required of it.
    { client_id: 'public', ...CODE, token_endpoint_auth_method: 'none' },
    {
      client_id: 'dpop-bound', ...ALL, token_endpoint_auth_method: 'client_secret_basic',
      client_secret: 'dpop-bound-test-secret', dpop_bound_access_tokens: true,
    },
    {
      client_id: 'mtls-bound-secret', ...SERVICE, token_endpoint_auth_method: 'client_secret_basic',
      client_secret: 'mtls-bound-secret-test-secret', tls_client_certificate_bound_access_tokens: true,
    },
    // RFC 8705 4: a public client binds its tokens to a self-signed certificate, no chain checked.
    { client_id: 'public-mtls', ...CODE, token_endpoint_auth_method: 'none', tls_client_certificate_bound_access_tokens: true },
    {
      client_id: 'confidential-dpop', ...ALL, token_endpoint_auth_method: 'client_secret_basic',
      client_secret: 'confidential-dpop-test-secret',
    },
    // The resource server's credentials for RFC 7662 introspection; it obtains no tokens itself.
    {
      client_id: 'rs', grant_types: [], response_types: [], redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic', client_secret: 'rs-introspection-test-secret',
    },
  ];
}
