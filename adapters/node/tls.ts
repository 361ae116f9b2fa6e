/**
 * A web config's TLS settings turned into `node:https` server options. OpenSSL, unlike the
 * listeners of Deno and Bun, can apply nearly all of them: client certificate policies (the
 * two that Node has no switch for are checked once the handshake is done), version range,
 * TLS 1.2 cipher suites, curves and cipher order.
 * @module
 */
import type { TLSSocket } from 'node:tls';
import type { ServerTls } from '../../core/web_config/mod.ts';

/** Receives one message per setting Node does not apply. */
export type TlsWarn = (message: string, fields?: Record<string, unknown>) => void;

/** The `https.createServer` options Beacon sets. */
export interface NodeTlsOptions {
  cert: string;
  key: string;
  ca?: string;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  ciphers?: string;
  ecdhCurve?: string;
  honorCipherOrder: boolean;
}

/** Options plus the post-handshake check that refuses connections the policy keeps out. */
export interface NodeTls {
  options: NodeTlsOptions;
  /** Undefined when the connection may proceed, else why it may not. */
  refuse(socket: TLSSocket): string | undefined;
}

const VERSIONS = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
} as const;

// Go's (IANA) suite names → OpenSSL's. Go does not let TLS 1.3 suites be configured, so those
// names select nothing here either and OpenSSL's TLS 1.3 defaults stay on.
const SUITES: Record<string, string> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
};
const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

const CURVES: Record<string, string> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
};

/** Maps the settings; everything Beacon's web config can express is enforced. */
export function nodeServeTls(tls: ServerTls, warn: TlsWarn): NodeTls {
  const options: NodeTlsOptions = {
    cert: tls.cert,
    key: tls.key.reveal(),
    requestCert: tls.clientAuth !== 'NoClientCert',
    // Only this policy can be left to OpenSSL; the others accept unverified certificates.
    rejectUnauthorized: tls.clientAuth === 'RequireAndVerifyClientCert',
    minVersion: VERSIONS[tls.minVersion],
    maxVersion: VERSIONS[tls.maxVersion],
    honorCipherOrder: tls.preferServerCipherSuites,
  };
  if (tls.clientCa) options.ca = tls.clientCa;
  const suites = tls.cipherSuites.map((s) => SUITES[s]).filter((s) => s !== undefined);
  if (suites.length) options.ciphers = [TLS13_SUITES, ...suites].join(':');
  if (tls.curvePreferences.length) {
    options.ecdhCurve = tls.curvePreferences.map((c) => CURVES[c] ?? c).join(':');
  }
  if (tls.http2) warn('http2 is not applied: the Node.js listener speaks HTTP/1.1 only');
  const sans = tls.clientAllowedSans;
  return {
    options,
    refuse(socket) {
      const cert = socket.getPeerCertificate();
      const given = cert !== null && Object.keys(cert).length > 0;
      switch (tls.clientAuth) {
        case 'RequireAnyClientCert':
          if (!given) return 'client certificate required';
          break;
        case 'VerifyClientCertIfGiven':
          if (given && !socket.authorized) {
            return `client certificate not verified: ${socket.authorizationError}`;
          }
          break;
      }
      if (sans?.length) {
        const names = given ? subjectAltNames(cert.subjectaltname ?? '') : [];
        if (!names.some((n) => sans.includes(n))) {
          return 'client certificate has no allowed subject alternative name';
        }
      }
      return undefined;
    },
  };
}

/** The values of a certificate's SAN list (`DNS:a, IP Address:10.0.0.1, email:…, URI:…`). */
export function subjectAltNames(text: string): string[] {
  const out: string[] = [];
  // Values may be quoted when they hold a comma; OpenSSL quotes them JSON-style.
  const re = /(?:^|,\s*)([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (const m of text.matchAll(re)) {
    const v = m[2];
    out.push(v.startsWith('"') ? JSON.parse(v) : v.trim());
  }
  return out;
}
