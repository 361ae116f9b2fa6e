/**
 * Enforcing a web config on requests: HTTP basic auth against bcrypt hashes, the rate limit,
 * and the extra response headers. Usable as a fetch wrapper (covers every route, 404s
 * included) or as a Hono middleware.
 * @module
 */

import type { MiddlewareHandler } from 'hono';
import { bcryptVerify, constantTimeEqual } from './bcrypt.ts';
import type { WebConfig } from './config.ts';

/** A fetch handler, as `Host.serve` takes it. */
export type FetchHandler = (req: Request) => Response | Promise<Response>;

/** Options of {@link WebGuard}. */
export interface WebGuardOptions {
  /** The config in force; read on every request so reloads apply at once. */
  config: () => WebConfig;
  /**
   * Paths that need no authentication (nor rate limiting). Defaults to the health endpoints
   * `/-/healthy` and `/-/ready` under `routePrefix`.
   */
  isExempt?: (pathname: string) => boolean;
  /** Route prefix of the health endpoints for the default `isExempt` (e.g. `/prom`). */
  routePrefix?: string;
  /** Milliseconds clock for the rate limiter (tests). */
  now?: () => number;
}

// Verified for unknown users so that a wrong name costs as much time as a wrong password
// (no user enumeration by timing). Its password is random and was thrown away.
const DECOY_HASH = '$2y$10$URj9Iiyvh/g4ZijWhT/l5.egsalIFl/ttnRa2Xmh8bnvu08rBbW7a';

// Remembered verifications per user; a handful covers a user's clients and a stale one.
const CACHE_PER_USER = 8;

interface CacheEntry {
  /** The configured hash it was checked against (a reload may change it). */
  hash: string;
  /** HMAC of the password under a per-process key, so the cache holds no password. */
  mac: Uint8Array;
  ok: boolean;
}

/** Applies a web config's authentication, rate limit and headers to requests. */
export class WebGuard {
  readonly #config: () => WebConfig;
  readonly #isExempt: (pathname: string) => boolean;
  readonly #now: () => number;
  #seen: WebConfig | undefined;
  #cache = new Map<string, CacheEntry[]>();
  #macKey: Promise<CryptoKey> | undefined;
  // bcrypt is CPU-bound: one verification at a time, as upstream does.
  #queue: Promise<unknown> = Promise.resolve();
  #tokens = 0;
  #tokensAt = 0;

  constructor(opts: WebGuardOptions) {
    this.#config = opts.config;
    const prefix = (opts.routePrefix ?? '').replace(/\/+$/, '');
    const open = new Set([`${prefix}/-/healthy`, `${prefix}/-/ready`]);
    this.#isExempt = opts.isExempt ?? ((p) => open.has(p));
    this.#now = opts.now ?? (() => performance.now());
  }

  /** The current config, resetting per-config state when it changed. */
  #current(): WebConfig {
    const c = this.#config();
    if (c !== this.#seen) {
      this.#seen = c;
      this.#cache.clear();
      this.#tokens = c.rateLimit?.burst ?? 0;
      this.#tokensAt = this.#now();
    }
    return c;
  }

  /**
   * The response that refuses `req` (401 or 429, headers already added), or `undefined`
   * when it may proceed.
   */
  async check(req: Request): Promise<Response | undefined> {
    const c = this.#current();
    const pathname = new URL(req.url).pathname;
    if (this.#isExempt(pathname)) return undefined;
    if (c.rateLimit && !this.#take(c.rateLimit)) {
      return this.decorate(new Response('Too Many Requests\n', { status: 429 }), c);
    }
    if (c.users.size === 0) return undefined;
    if (await this.#authenticated(c, req.headers.get('authorization'))) return undefined;
    const res = new Response('Unauthorized\n', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic', 'Content-Type': 'text/plain; charset=utf-8' },
    });
    return this.decorate(res, c);
  }

  /** Adds the configured headers to `res` (copying it when its headers are immutable). */
  decorate(res: Response, c: WebConfig = this.#current()): Response {
    const entries = Object.entries(c.headers);
    if (!entries.length) return res;
    try {
      for (const [k, v] of entries) res.headers.set(k, v);
      return res;
    } catch {
      const copy = new Response(res.body, res);
      for (const [k, v] of entries) copy.headers.set(k, v);
      return copy;
    }
  }

  /** `fetch` guarded: refused requests never reach it; responses get the headers. */
  wrap(fetch: FetchHandler): FetchHandler {
    return async (req) => (await this.check(req)) ?? this.decorate(await fetch(req));
  }

  /** The same as a Hono middleware. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const denied = await this.check(c.req.raw);
      if (denied) return denied;
      await next();
      c.res = this.decorate(c.res);
    };
  }

  #take(limit: { intervalMs: number; burst: number }): boolean {
    const now = this.#now();
    const earned = (now - this.#tokensAt) / limit.intervalMs;
    this.#tokens = Math.min(limit.burst, this.#tokens + earned);
    this.#tokensAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  async #authenticated(c: WebConfig, header: string | null): Promise<boolean> {
    const creds = parseBasicAuth(header);
    if (!creds) return false;
    const configured = c.users.get(creds.user);
    const hash = configured?.reveal() ?? DECOY_HASH;
    const mac = await this.#mac(creds.user, creds.password);
    const entries = configured ? (this.#cache.get(creds.user) ?? []) : [];
    for (const e of entries) {
      if (e.hash === hash && constantTimeEqual(e.mac, mac)) return e.ok;
    }
    const ok = await this.#serialised(() => bcryptVerify(creds.password, hash));
    if (!configured) return false;
    // The config may have been reloaded while bcrypt ran: cache only against the live one.
    if (this.#seen === c) {
      entries.unshift({ hash, mac, ok });
      entries.length = Math.min(entries.length, CACHE_PER_USER);
      this.#cache.set(creds.user, entries);
    }
    return ok;
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #mac(user: string, password: Uint8Array): Promise<Uint8Array> {
    this.#macKey ??= crypto.subtle.generateKey(
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    ) as Promise<CryptoKey>;
    const name = new TextEncoder().encode(user);
    const data = new Uint8Array(name.length + 1 + password.length);
    data.set(name);
    data.set(password, name.length + 1);
    return new Uint8Array(await crypto.subtle.sign('HMAC', await this.#macKey, data));
  }
}

/** User and password bytes of an `Authorization: Basic …` header, or undefined. */
export function parseBasicAuth(
  header: string | null,
): { user: string; password: Uint8Array } | undefined {
  const m = header ? /^basic +(\S+)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  let raw: string;
  try {
    raw = atob(m[1]);
  } catch {
    return undefined;
  }
  const bytes = Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
  const colon = bytes.indexOf(0x3a);
  if (colon < 0) return undefined;
  return {
    user: new TextDecoder().decode(bytes.subarray(0, colon)),
    password: bytes.slice(colon + 1),
  };
}
