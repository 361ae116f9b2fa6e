/**
 * Outgoing HTTP with TLS and proxy settings through `node:http`/`node:https` (Node.js, and Deno
 * or Bun for settings their own fetch cannot apply). Node's global fetch (undici) takes them
 * only through an undici dispatcher, which Node does not expose without the `undici` package, so
 * requests that need them go through `node:http`/`node:https` here: CA, client certificate,
 * skip-verify, server name and TLS versions apply; an HTTP proxy carries plain-HTTP requests
 * (HTTPS through a proxy would need CONNECT tunnelling, which is not done: a warning says so).
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { FetchTransport, TransportFetch } from '../../core/host.ts';

const TLS_VERSIONS: Record<string, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

const MAX_REDIRECTS = 10;

/** A fetch applying `t` through `node:http(s)`; the global fetch when nothing needs applying. */
export function nodeCreateFetch(t: FetchTransport, warn: (m: string) => void): TransportFetch {
  const tlsSet = t.ca || t.cert || t.insecureSkipVerify || t.serverName || t.minVersion ||
    t.maxVersion;
  if (!tlsSet && !t.proxyUrl) {
    return { fetch: globalThis.fetch.bind(globalThis), close: () => {} };
  }
  const agent = new https.Agent({
    keepAlive: true,
    ca: t.ca,
    cert: t.cert,
    key: t.key,
    rejectUnauthorized: !t.insecureSkipVerify,
    servername: t.serverName,
    minVersion: t.minVersion ? TLS_VERSIONS[t.minVersion] : undefined,
    maxVersion: t.maxVersion ? TLS_VERSIONS[t.maxVersion] : undefined,
  });
  const plainAgent = new http.Agent({ keepAlive: true });
  const proxy = t.proxyUrl ? new URL(t.proxyUrl) : undefined;
  const fetchFn = async (input: string | URL | Request, init: RequestInit = {}) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    for (let hops = 0;; hops++) {
      if (url.protocol === 'https:' && proxy) {
        warn('proxy_url is not applied to HTTPS requests on Node.js (no CONNECT tunnelling)');
      }
      const resp = await requestOnce(url, init, {
        agent: url.protocol === 'https:' ? agent : plainAgent,
        proxy: url.protocol === 'http:' ? proxy : undefined,
      });
      const loc = resp.headers.get('location');
      const redirect = [301, 302, 303, 307, 308].includes(resp.status) && loc;
      if (!redirect || init.redirect === 'manual') return resp;
      if (init.redirect === 'error') throw new TypeError('redirect was not followed');
      if (hops >= MAX_REDIRECTS) throw new TypeError('too many redirects');
      await resp.body?.cancel();
      url = new URL(loc, url);
      if (resp.status === 303) init = { ...init, method: 'GET', body: undefined };
    }
  };
  return {
    fetch: fetchFn as typeof fetch,
    close: () => {
      agent.destroy();
      plainAgent.destroy();
    },
  };
}

async function requestOnce(
  url: URL,
  init: RequestInit,
  via: { agent: http.Agent; proxy?: URL },
): Promise<Response> {
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((v, k) => (headers[k] = v));
  let body: Uint8Array | undefined;
  if (init.body !== undefined && init.body !== null) {
    body = new Uint8Array(await new Response(init.body as BodyInit).arrayBuffer());
  }
  const target = via.proxy
    ? {
      hostname: via.proxy.hostname,
      port: via.proxy.port || 80,
      path: url.href,
      headers: { ...headers, host: url.host, ...proxyAuth(via.proxy) },
    }
    : {
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: url.pathname + url.search,
      headers,
    };
  const mod = url.protocol === 'https:' && !via.proxy ? https : http;
  return await new Promise<Response>((resolve, reject) => {
    const req = mod.request({
      ...target,
      method: init.method ?? 'GET',
      agent: via.proxy ? undefined : via.agent,
      signal: init.signal ?? undefined,
    }, (res) => {
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (Array.isArray(v)) { for (const x of v) h.append(k, x); }
        else if (v !== undefined) h.set(k, v);
      }
      const status = res.statusCode ?? 0;
      const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
      if (nullBody) res.resume();
      resolve(
        new Response(nullBody ? null : Readable.toWeb(res) as ReadableStream<Uint8Array>, {
          status,
          statusText: res.statusMessage,
          headers: h,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const cred = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': 'Basic ' + btoa(cred) };
}
