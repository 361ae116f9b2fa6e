/**
 * A web config's TLS settings turned into what `Deno.serve` and `Bun.serve` accept. Settings a
 * runtime cannot apply are reported: as a warning when ignoring them keeps the server at least
 * as strict as asked (e.g. cipher suite choice), as a {@link TlsNotSupportedError} when ignoring
 * them would let in clients the config means to keep out (client certificate checks).
 * @module
 */
import type { ServerTls } from '../../core/web_config/mod.ts';

/** Receives one message per setting the runtime ignores. */
export type TlsWarn = (message: string, fields?: Record<string, unknown>) => void;

/** Thrown when the runtime cannot enforce a security-relevant TLS setting. */
export class TlsNotSupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsNotSupportedError';
  }
}

/** `Deno.serve`'s TLS fields. */
export interface DenoServeTls {
  cert: string;
  key: string;
}

/** `Bun.serve`'s `tls` option (the fields Beacon sets). */
export interface BunServeTls {
  cert: string;
  key: string;
  ca?: string;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

/**
 * Deno's rustls listener takes a certificate and key only: no client certificates, TLS 1.2
 * and 1.3, its own suites and curves, and HTTP/2 always offered.
 */
export function denoServeTls(tls: ServerTls, warn: TlsWarn): DenoServeTls {
  const runtime = 'Deno';
  if (tls.clientAuth !== 'NoClientCert' && tls.clientAuth !== 'RequestClientCert') {
    throw new TlsNotSupportedError(
      `client_auth_type ${tls.clientAuth} cannot be enforced by Deno.serve (no client certificate verification); use Bun or a TLS-terminating proxy`,
    );
  }
  rejectSans(tls, runtime);
  if (tls.clientAuth === 'RequestClientCert') {
    warn(
      'client_auth_type RequestClientCert: Deno.serve does not request client certificates; nothing in Beacon reads them, so requests are served as with NoClientCert',
    );
  }
  if (!tls.http2) {
    warn('http2: false is not applied: Deno.serve always offers HTTP/2 over TLS');
  }
  commonWarnings(tls, runtime, warn);
  return { cert: tls.cert, key: tls.key.reveal() };
}

/**
 * Bun's listener (BoringSSL) verifies client certificates against a CA when asked to, but can
 * neither require an unverified certificate nor verify one only when given; it speaks HTTP/1.1.
 */
export function bunServeTls(tls: ServerTls, warn: TlsWarn): BunServeTls {
  const runtime = 'Bun';
  const out: BunServeTls = { cert: tls.cert, key: tls.key.reveal() };
  switch (tls.clientAuth) {
    case 'NoClientCert':
      break;
    case 'RequestClientCert':
      Object.assign(out, { requestCert: true, rejectUnauthorized: false });
      break;
    case 'RequireAndVerifyClientCert':
      Object.assign(out, { requestCert: true, rejectUnauthorized: true });
      break;
    default:
      throw new TlsNotSupportedError(
        `client_auth_type ${tls.clientAuth} cannot be enforced by Bun.serve (it supports NoClientCert, RequestClientCert and RequireAndVerifyClientCert)`,
      );
  }
  if (tls.clientCa) out.ca = tls.clientCa;
  rejectSans(tls, runtime);
  if (tls.http2) warn('http2 is not applied: Bun.serve speaks HTTP/1.1 only');
  commonWarnings(tls, runtime, warn);
  return out;
}

function rejectSans(tls: ServerTls, runtime: string): void {
  if (tls.clientAllowedSans?.length) {
    throw new TlsNotSupportedError(
      `client_allowed_sans cannot be enforced: ${runtime}.serve does not expose the client certificate`,
    );
  }
}

function commonWarnings(tls: ServerTls, runtime: string, warn: TlsWarn): void {
  if (tls.minVersion !== 'TLS12' || tls.maxVersion !== 'TLS13') {
    warn(
      `min_version/max_version are not applied: ${runtime}.serve uses its own TLS version range`,
      { min_version: tls.minVersion, max_version: tls.maxVersion },
    );
  }
  if (tls.cipherSuites.length) {
    warn(`cipher_suites are not applied: ${runtime}.serve uses its own cipher suites`);
  }
  if (tls.curvePreferences.length) {
    warn(`curve_preferences are not applied: ${runtime}.serve uses its own curves`);
  }
  if (!tls.preferServerCipherSuites) {
    warn(`prefer_server_cipher_suites: false is not applied by ${runtime}.serve`);
  }
}
