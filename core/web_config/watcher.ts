/**
 * The web config in force, reloaded on demand (SIGHUP, `/-/reload`) or when its files change.
 * A reload that fails keeps the previous config and logs why, without any secret.
 * @module
 */

import { ConfigLoadError } from '../config/mod.ts';
import type { Logger } from '../log/logger.ts';
import {
  EMPTY_WEB_CONFIG,
  loadWebConfig,
  type ServerTls,
  type WebConfig,
  type WebConfigFS,
} from './config.ts';
import { WebGuard } from './guard.ts';

/** Options of {@link WebConfigWatcher.create}. */
export interface WebConfigWatcherOptions {
  /** `--web.config.file`; empty or undefined: no web config (plain HTTP, no auth). */
  file?: string;
  fs: WebConfigFS;
  logger: Logger;
  /** Route prefix, so that the health endpoints stay open under it. */
  routePrefix?: string;
}

/** Holds the current web config and its request guard; reloads it when asked. */
export class WebConfigWatcher {
  #config: WebConfig;
  readonly #listeners = new Set<(next: WebConfig, prev: WebConfig) => void>();
  /** Authentication, rate limit and headers, always for the current config. */
  readonly guard: WebGuard;

  private constructor(
    readonly file: string,
    private readonly fs: WebConfigFS,
    private readonly logger: Logger,
    initial: WebConfig,
    routePrefix: string,
  ) {
    this.#config = initial;
    this.guard = new WebGuard({ config: () => this.#config, routePrefix });
  }

  /** Loads the file once; throws {@link ConfigLoadError} when it is invalid. */
  static async create(opts: WebConfigWatcherOptions): Promise<WebConfigWatcher> {
    const file = opts.file ?? '';
    const initial = file ? await loadWebConfig(file, opts.fs) : EMPTY_WEB_CONFIG;
    const w = new WebConfigWatcher(file, opts.fs, opts.logger, initial, opts.routePrefix ?? '');
    if (file) w.#describe(initial);
    return w;
  }

  /** The config in force. */
  get config(): WebConfig {
    return this.#config;
  }

  /** Files whose change should trigger {@link reload}: the config and the TLS files it names. */
  get files(): string[] {
    return this.file ? [this.file, ...this.#tlsFiles] : [];
  }

  #tlsFiles: string[] = [];

  /** Calls `listener` after each reload that changed something; returns an unsubscribe. */
  subscribe(listener: (next: WebConfig, prev: WebConfig) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Re-reads the file. Resolves to whether a new config is in force; an invalid file is
   * logged and leaves the old one in place.
   */
  async reload(): Promise<boolean> {
    if (!this.file) return false;
    let next: WebConfig;
    try {
      next = await loadWebConfig(this.file, this.fs);
    } catch (e) {
      const errors = e instanceof ConfigLoadError ? e.errors.map(String) : [(e as Error).message];
      for (const err of errors) {
        this.logger.error('Invalid web config, keeping the previous one', { file: this.file, err });
      }
      return false;
    }
    const prev = this.#config;
    if (sameWebConfig(prev, next)) return false;
    this.#config = next;
    this.logger.info('Web config reloaded', { file: this.file });
    this.#describe(next);
    for (const l of this.#listeners) l(next, prev);
    return true;
  }

  /**
   * Reloads whenever a watched file changes (through `host.watch`); returns the function
   * that stops watching.
   */
  watch(host: { watch(paths: readonly string[], onChange: () => void): () => void }): () => void {
    if (!this.file) return () => {};
    return host.watch(this.files, () => void this.reload());
  }

  #describe(c: WebConfig): void {
    this.#tlsFiles = [];
    this.logger.info('Web config loaded', {
      file: this.file,
      tls: c.tls ? 'enabled' : 'disabled',
      basic_auth_users: c.users.size,
      headers: Object.keys(c.headers).join(',') || undefined,
      rate_limit: c.rateLimit ? `${c.rateLimit.burst}/${c.rateLimit.intervalMs}ms` : undefined,
    });
    if (c.tlsFiles) this.#tlsFiles = [...c.tlsFiles];
  }
}

/** Whether two configs would serve identically (compares secrets without printing them). */
export function sameWebConfig(a: WebConfig, b: WebConfig): boolean {
  if (a.http2 !== b.http2 || !sameTls(a.tls, b.tls)) return false;
  if (JSON.stringify(a.headers) !== JSON.stringify(b.headers)) return false;
  if (JSON.stringify(a.rateLimit) !== JSON.stringify(b.rateLimit)) return false;
  if (a.users.size !== b.users.size) return false;
  for (const [u, h] of a.users) if (b.users.get(u)?.reveal() !== h.reveal()) return false;
  return true;
}

/** Whether two TLS settings are the same, key material included. */
export function sameTls(a: ServerTls | undefined, b: ServerTls | undefined): boolean {
  if (!a || !b) return a === b;
  const plain = (t: ServerTls) => JSON.stringify({ ...t, key: undefined });
  return plain(a) === plain(b) && a.key.reveal() === b.key.reveal();
}
