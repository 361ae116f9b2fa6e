/**
 * The one HTTP client factory behind scrapes, HTTP and Kubernetes discovery, remote write and
 * notifiers: an HTTP client config (auth, OAuth2, TLS, proxy, redirects, headers) becomes a
 * fetch that applies all of it.
 *
 * @example
 * ```ts
 * const client = createHttpClient(cfg, { readFile: host.readTextFile, createFetch: host.createFetch });
 * const resp = await client.fetch('https://example.org/api', { method: 'POST', body });
 * client.close();
 * ```
 * @module
 */
import type { HttpClientConfig } from '../config/http_client.ts';
import type { FetchTransport, Host, TransportFetch } from '../host.ts';
import { headerBuilder, type ReadFile } from './headers.ts';
import { OAuth2TokenSource } from './oauth2.ts';
import { loadTransport, needsTransport, type TransportConfig } from './transport.ts';

/** The host functions a client uses; every one is optional (tests, the edge). */
export interface HttpClientDeps {
  /** The base fetch when no transport settings apply (default: the global fetch). */
  fetch?: typeof fetch;
  /** Reads credential and certificate files. */
  readFile?: ReadFile;
  /** The host's transport factory (TLS, proxy); absent: such settings are reported, unapplied. */
  createFetch?: (t: FetchTransport, warn: (message: string) => void) => TransportFetch;
  /** Environment lookup for `proxy_from_environment`. */
  env?: (name: string) => string | undefined;
  /** Receives each setting the runtime cannot apply (once per client). */
  onWarning?: (message: string) => void;
}

/** A configured client. */
export interface HttpClient {
  /**
   * Fetches with the config applied: auth and `http_headers` over the caller's headers,
   * `redirect` from `follow_redirects` unless the caller sets it, TLS and proxy.
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** Auth and custom headers for one request (files re-read, OAuth2 token refreshed). */
  headers(): Promise<Headers>;
  /** Fetch with TLS and proxy only (no headers added), for callers that add their own. */
  transportFetch: typeof fetch;
  /** Whether redirects are followed (`follow_redirects`). */
  readonly followRedirects: boolean;
  /** Releases pooled connections. */
  close(): void;
}

/** The config a client reads: the inline HTTP client block (all fields optional). */
export type HttpClientSettings = Partial<HttpClientConfig>;

/** Creates the client for an HTTP client config; nothing is read until the first request. */
export function createHttpClient(cfg: HttpClientSettings, deps: HttpClientDeps = {}): HttpClient {
  const base = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const warned = new Set<string>();
  const warn = (m: string) => {
    if (warned.has(m)) return;
    warned.add(m);
    deps.onWarning?.(m);
  };
  const closers: (() => void)[] = [];
  const transport = (c: TransportConfig): typeof fetch => {
    if (!needsTransport(c)) return base;
    let made: Promise<typeof fetch> | undefined;
    const make = async () => {
      const t = await loadTransport(c, deps.readFile, deps.env);
      if (!deps.createFetch) {
        warn('TLS and proxy settings are not applied: this host has no transport factory');
        return base;
      }
      const tf = deps.createFetch(t, warn);
      closers.push(tf.close);
      return tf.fetch;
    };
    return async (input, init) => {
      // A failed file read is retried on the next request (the file may appear later).
      made ??= make().catch((e) => {
        made = undefined;
        throw e;
      });
      return (await made)(input, init);
    };
  };
  const transportFetch = transport(cfg as TransportConfig);
  const plainHeaders = headerBuilder(cfg, deps.readFile);
  const o = cfg.oauth2;
  const oauth = o
    ? new OAuth2TokenSource(o, transport(o as TransportConfig), deps.readFile)
    : undefined;
  const headers = async () => {
    const h = await plainHeaders();
    if (oauth) h.set('Authorization', await oauth.authorization());
    return h;
  };
  const followRedirects = cfg.follow_redirects ?? true;
  return {
    transportFetch,
    headers,
    followRedirects,
    async fetch(input, init = {}) {
      const h = new Headers(init.headers);
      (await headers()).forEach((v, k) => h.set(k, v));
      return transportFetch(input, {
        ...init,
        headers: h,
        redirect: init.redirect ?? (followRedirects ? 'follow' : 'manual'),
      });
    },
    close() {
      for (const c of closers.splice(0)) c();
    },
  };
}

/** The client deps a host offers: file reads, its transport factory, the environment. */
export function hostHttpDeps(
  host: Host | undefined,
  onWarning?: (message: string) => void,
): HttpClientDeps {
  if (!host) return { onWarning };
  return {
    readFile: (p) => host.readTextFile(p),
    createFetch: host.createFetch?.bind(host),
    env: (name) => host.env(name),
    onWarning,
  };
}
