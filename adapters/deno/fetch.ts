/**
 * Outgoing HTTP with TLS and proxy settings on Deno: `Deno.createHttpClient` (CA roots, client
 * certificate, HTTP proxy, HTTP/2 switch). Its rustls client cannot skip verification per
 * client, verify another server name or pin TLS versions, so configs that ask for those go
 * through Deno's `node:https` instead.
 * @module
 */
import type { FetchTransport, TransportFetch } from '../../core/host.ts';
import { nodeCreateFetch } from '../shared/node_fetch.ts';

/** Creates a fetch bound to `t` with Deno's HTTP client (or `node:https` where it must). */
export function denoCreateFetch(t: FetchTransport, warn: (m: string) => void): TransportFetch {
  if (t.insecureSkipVerify || t.serverName || t.minVersion || t.maxVersion) {
    return nodeCreateFetch(t, warn);
  }
  const opts: Deno.CreateHttpClientOptions = {};
  if (t.ca) opts.caCerts = [t.ca];
  if (t.cert && t.key) Object.assign(opts, { cert: t.cert, key: t.key });
  if (t.http2 === false) opts.http2 = false;
  if (t.proxyUrl) {
    const u = new URL(t.proxyUrl);
    const basicAuth = u.username
      ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }
      : undefined;
    u.username = '';
    u.password = '';
    opts.proxy = { url: u.href, ...(basicAuth ? { basicAuth } : {}) };
  }
  if (Object.keys(opts).length === 0) {
    return { fetch: globalThis.fetch.bind(globalThis), close: () => {} };
  }
  const client = Deno.createHttpClient(opts);
  return {
    fetch: (input, init) => fetch(input, { ...init, client } as RequestInit),
    close: () => client.close(),
  };
}
