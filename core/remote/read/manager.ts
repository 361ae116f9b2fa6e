/**
 * The `remote_read` section at run time: one {@link RemoteReadEndpoint} per entry, rebuilt on
 * every `apply` (reload). The runtime reads through a FanoutStorage whose secondaries are
 * {@link RemoteReadManager.queryables}.
 * @module
 */
import type { Config, RemoteReadConfig } from '../../config/mod.ts';
import { configFingerprint } from '../../discovery/manager.ts';
import { createHttpClient, type HttpClient, type HttpClientDeps } from '../../http_client/mod.ts';
import type { Logger } from '../../log/logger.ts';
import type { Registry } from '../../metrics/mod.ts';
import { md5 } from '../../scrape/md5.ts';
import type { Queryable, Storage } from '../../storage/mod.ts';
import { ReadClient } from './client.ts';
import { ReadMetrics } from './metrics.ts';
import { RemoteReadEndpoint } from './querier.ts';

/** Prometheus's margin on local storage's start: twice the minimum block duration (2h). */
export const START_TIME_MARGIN_MS = 4 * 3600_000;

/** What remote read needs from the runtime. */
export interface RemoteReadDeps {
  /** Local storage: where its data begins decides what `read_recent: false` leaves out. */
  storage: Storage;
  logger: Logger;
  registry?: Registry;
  /** What the HTTP client needs from the host (`hostHttpDeps(host)`); `fetch` for tests. */
  http?: HttpClientDeps;
  /** The clock (tests). */
  now?: () => number;
  /** How long the local start time is reused before asking storage again, ms (default 60 s). */
  startTimeCacheMs?: number;
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** `remote_name`: the `name`, or the first 6 hex digits of a hash of the entry. */
export function remoteReadName(cfg: RemoteReadConfig): string {
  return cfg.name || hex(md5(configFingerprint(cfg))).slice(0, 6);
}

/** Runs the endpoints of the `remote_read` section. */
export class RemoteReadManager {
  readonly #d: RemoteReadDeps;
  readonly #metrics: ReadMetrics;
  #endpoints: RemoteReadEndpoint[] = [];
  #clients: HttpClient[] = [];
  #retired: HttpClient[] = [];
  #external: Record<string, string> = {};
  #startCache: { at: number; value: number } | undefined;

  constructor(deps: RemoteReadDeps) {
    this.#d = deps;
    this.#metrics = new ReadMetrics(deps.registry);
  }

  /** The configured endpoints, for the fanout storage (none: local reads only). */
  queryables(): readonly Queryable[] {
    return this.#endpoints;
  }

  /** Replaces the endpoints with those of `config` (start and every reload). */
  apply(config: Config): void {
    // The previous clients may still serve a query in flight: they close one reload later.
    for (const c of this.#retired) c.close();
    this.#retired = this.#clients;
    this.#clients = [];
    this.#external = { ...config.global.external_labels };
    const list = (config.remote_read ?? []) as RemoteReadConfig[];
    this.#endpoints = list.map((cfg) => {
      const name = remoteReadName(cfg);
      const log = this.#d.logger.with({ component: 'remote', remote_name: name, url: cfg.url });
      const http = createHttpClient(cfg, { ...this.#d.http, onWarning: (m) => log.warn(m) });
      this.#clients.push(http);
      return new RemoteReadEndpoint({
        name,
        client: new ReadClient({
          url: cfg.url,
          timeoutMs: cfg.remote_timeout.ms,
          headers: cfg.headers ?? {},
          maxFrameBytes: cfg.chunked_read_limit || undefined,
          fetch: (input, init) => http.fetch(input, init),
        }),
        requiredMatchers: cfg.required_matchers ?? {},
        readRecent: cfg.read_recent,
        externalLabels: cfg.filter_external_labels ? () => this.#external : undefined,
        localStartTime: () => this.localStartTime(),
        metrics: this.#metrics,
      });
    });
  }

  /**
   * Where local storage's data begins, plus Prometheus's margin: the oldest sample (now when
   * storage is empty) + {@link START_TIME_MARGIN_MS}. Cached briefly: storage stats walk
   * every series.
   */
  async localStartTime(): Promise<number> {
    const now = (this.#d.now ?? Date.now)();
    const c = this.#startCache;
    if (c && now - c.at < (this.#d.startTimeCacheMs ?? 60_000)) return c.value;
    const { minTime } = await this.#d.storage.stats(1);
    const value = (Number.isFinite(minTime) ? minTime : now) + START_TIME_MARGIN_MS;
    this.#startCache = { at: now, value };
    return value;
  }

  /** Releases the endpoints' HTTP clients. */
  close(): void {
    for (const c of [...this.#retired, ...this.#clients]) c.close();
    this.#retired = [];
    this.#clients = [];
    this.#endpoints = [];
  }
}
