// The deployer-side mutual-TLS hooks node-oidc-provider leaves to us (features.mTLS.getCertificate,
// certificateAuthorized, certificateSubjectMatches), and reading the suite's certificate set.
// oidc-provider never looks at the TLS layer itself: what these functions decide is what it enforces.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

// One certificate of the set (certs/README.md): the PEM text and its parsed form.
export function loadCertificate(dir, name) {
  const pem = readFileSync(join(dir, `${name}.crt`), 'utf8');
  return { pem, x509: new X509Certificate(pem) };
}

export function loadKey(dir, name) {
  return readFileSync(join(dir, `${name}.key`), 'utf8');
}

// RFC 8705 2: the certificate the client presented in this TLS handshake, or undefined. Read from
// the socket, never from a header: this listener terminates TLS itself (RFC 8705 6.5 is out of
// scope here). oidc-provider accepts an X509Certificate and hashes its DER for x5t#S256 (3.1).
export function getCertificate(ctx) {
  return ctx.socket.getPeerX509Certificate?.() ?? undefined;
}

// RFC 8705 2.1: the PKI method needs a chain that validates (RFC 5280 6) to a trusted anchor. The
// listener requests a certificate without rejecting any (a self-signed one is legitimate for 2.2),
// so OpenSSL's verdict against the suite CA alone (`ca`, not the system roots; 7.4) is kept on
// the socket: authorized, or authorizationError naming why not (expired, unknown CA, ...).
export function certificateAuthorized(ctx) {
  const ok = ctx.socket.authorized === true;
  if (!ok) ctx.state.certificateError = String(ctx.socket.authorizationError ?? 'no certificate');
  return ok;
}

// RFC 8705 2.1.2: exactly one registered subject value, compared with the presented certificate.
export function certificateSubjectMatches(ctx, property, expected) {
  const cert = getCertificate(ctx);
  if (!cert) return false;
  switch (property) {
    case 'tls_client_auth_subject_dn':
      return dnEqual(parseRfc4514(expected), nodeSubjectRdns(cert.subject));
    case 'tls_client_auth_san_dns':
      // dNSName: case-insensitive (RFC 4343); a wildcard dNSName in the certificate does not match.
      return cert.checkHost(expected, { subject: 'never', wildcards: false }) !== undefined;
    case 'tls_client_auth_san_ip':
      // iPAddress is compared in binary form (RFC 8705 2.1.2, RFC 5952 8): OpenSSL parses the text.
      return isIP(expected) !== 0 && cert.checkIP(expected) !== undefined;
    case 'tls_client_auth_san_email':
      // rfc822Name: OpenSSL compares the domain case-insensitively and the local part exactly.
      return cert.checkEmail(expected, { subject: 'never' }) !== undefined;
    case 'tls_client_auth_san_uri':
      // uniformResourceIdentifier: RFC 8705 asks for "the expected" entry; compared as a string.
      return sanEntries(cert.subjectAltName).some(([type, value]) => type === 'URI' && value === expected);
    default:
      return false;
  }
}

// The RFC 4514 string of a certificate's subject (last RDN first), as a client registers it.
export function subjectDn(cert) {
  return cert.subject.split('\n').reverse().map((rdn) => rdn.split(' + ').join('+')).join(',');
}

// ---- Distinguished names -------------------------------------------------------------------
// RFC 8705 2.1 wants DN comparison to be predictable and points at RFC 4517 distinguishedNameMatch.
// Approximation used here: same number of RDNs in the same order, each RDN the same set of
// attribute type and value; types by short name (OIDs of the common ones mapped), values compared
// as RFC 4518 caseIgnoreMatch would after its insignificant-space handling (NFKC, case folded,
// leading/trailing spaces dropped, inner runs of spaces made one).

const OID_NAMES = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O',
  '2.5.4.11': 'OU', '2.5.4.5': 'SERIALNUMBER', '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'EMAILADDRESS',
};

function attributeType(text) {
  const t = text.trim().replace(/^oid\./i, '');
  return OID_NAMES[t] ?? (t.toUpperCase() === 'E' ? 'EMAILADDRESS' : t.toUpperCase());
}

function attributeValue(escaped) {
  const raw = escaped.trim();
  if (raw.startsWith('#')) return raw.toLowerCase();  // hex of a BER value (RFC 4514 2.4): as is
  return unescape(raw).normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

// Undoes RFC 4514 2.4 escapes: a backslash before a special character, or \HH for one UTF-8 byte.
function unescape(text) {
  const bytes = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\' && i + 1 < text.length) {
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) { bytes.push(parseInt(hex, 16)); i += 2; continue; }
      i += 1;
    }
    bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

// An RDN as a sorted list of "TYPE=value": a multi-valued RDN is a set (RFC 4514 2.2).
function rdnKey(avas) {
  return avas.map((ava) => {
    const eq = ava.indexOf('=');
    if (eq <= 0) return `?${ava}`;
    return `${attributeType(ava.slice(0, eq))}=${attributeValue(ava.slice(eq + 1))}`;
  }).sort();
}

// Splits on a separator that is not escaped; escapes stay for unescape() to undo per value.
function splitRaw(text, sep) {
  const out = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\') { i += 1; continue; }
    if (text.startsWith(sep, i)) { out.push(text.slice(start, i)); start = i + sep.length; i += sep.length - 1; }
  }
  out.push(text.slice(start));
  return out;
}

export function parseRfc4514(dn) {
  if (typeof dn !== 'string' || dn.trim() === '') return [];
  // RFC 4514 2.1: the string starts with the last RDN of the sequence.
  return splitRaw(dn, ',').reverse().map((rdn) => rdnKey(splitRaw(rdn, '+').map((a) => a.trim())));
}

// Node prints the subject one RDN per line in certificate order, AVAs of one RDN joined by " + ",
// values escaped as RFC 2253 does.
export function nodeSubjectRdns(subject) {
  return splitRaw(subject, '\n').map((rdn) => rdnKey(splitRaw(rdn, ' + ')));
}

function dnEqual(a, b) {
  return a.length > 0 && a.length === b.length
    && a.every((rdn, i) => rdn.length === b[i].length && rdn.every((ava, j) => ava === b[i][j]));
}

// Node's subjectAltName text: "TYPE:value, TYPE:value"; a value with a separator or a quote in it
// is printed as a JSON string.
function sanEntries(text) {
  const out = [];
  let i = 0;
  while (text && i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon);
    let value;
    let end;
    if (text[colon + 1] === '"') {
      end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      try { value = JSON.parse(text.slice(colon + 1, end + 1)); } catch { value = undefined; }
      end += 1;
    } else {
      end = text.indexOf(', ', colon);
      if (end < 0) end = text.length;
      value = text.slice(colon + 1, end);
    }
    out.push([type, value]);
    i = end + 2;
  }
  return out;
}

export function sanValues(cert, type) {
  return sanEntries(cert.subjectAltName ?? '').filter(([t]) => t === type).map(([, v]) => v);
}
