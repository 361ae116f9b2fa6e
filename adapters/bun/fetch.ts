/**
 * Outgoing HTTP with TLS and proxy settings on Bun: its fetch takes `tls` (CA, client
 * certificate, verification switch, server name) and `proxy` per request. TLS version bounds
 * go through Bun's `node:https` instead.
 * @module
 */
import type { FetchTransport, TransportFetch } from '../../core/host.ts';
import { nodeCreateFetch } from '../shared/node_fetch.ts';

/** Creates a fetch bound to `t` with Bun's per-request `tls` and `proxy` options. */
export function bunCreateFetch(t: FetchTransport, warn: (m: string) => void): TransportFetch {
  if (t.minVersion || t.maxVersion) return nodeCreateFetch(t, warn);
  const tls: Record<string, unknown> = {};
  if (t.ca) tls.ca = t.ca;
  if (t.cert && t.key) Object.assign(tls, { cert: t.cert, key: t.key });
  if (t.insecureSkipVerify) tls.rejectUnauthorized = false;
  if (t.serverName) {
    const name = t.serverName;
    tls.serverName = name;
    // Bun checks the URL host by default; verify the configured name instead.
    tls.checkServerIdentity = (_host: string, cert: unknown) =>
      checkIdentity(name, cert as PeerCert);
  }
  const extra: Record<string, unknown> = {};
  if (Object.keys(tls).length > 0) extra.tls = tls;
  if (t.proxyUrl) extra.proxy = t.proxyUrl;
  if (Object.keys(extra).length === 0) {
    return { fetch: globalThis.fetch.bind(globalThis), close: () => {} };
  }
  return {
    fetch: (input, init) => fetch(input, { ...init, ...extra } as RequestInit),
    close: () => {},
  };
}

interface PeerCert {
  subject?: { CN?: string };
  subjectaltname?: string;
}

/** Whether the certificate names `name` (SAN DNS/IP entries, else the CN; `*.` wildcards). */
function checkIdentity(name: string, cert: PeerCert): Error | undefined {
  const sans = (cert.subjectaltname ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const names = sans.length > 0
    ? sans.map((s) => s.replace(/^(DNS|IP Address):/, ''))
    : [cert.subject?.CN ?? ''];
  const lower = name.toLowerCase();
  for (const n of names.map((x) => x.toLowerCase())) {
    if (n === lower) return undefined;
    if (n.startsWith('*.') && lower.split('.').slice(1).join('.') === n.slice(2)) return undefined;
  }
  return new Error(`x509: certificate is not valid for ${name}`);
}
