/**
 * The remote-write sender: one {@link QueueManager} per `remote_write` entry, fed by the
 * storage's write-ahead log when the engine has one (durable), else by its commit listener
 * (in memory). `apply` diffs a new config against the running queues: unchanged entries keep
 * running, changed ones restart from their persisted cursor, removed ones forget it.
 * @module
 */
import type { Config, RemoteWriteConfig } from '../../config/mod.ts';
import { configFingerprint } from '../../discovery/manager.ts';
import type { Logger } from '../../log/logger.ts';
import type { Registry } from '../../metrics/mod.ts';
import { createHttpClient, type HttpClient, type HttpClientDeps } from '../../http_client/mod.ts';
import { md5 } from '../../scrape/md5.ts';
import type { LogReader, Storage } from '../../storage/mod.ts';
import { WriteClient } from './client.ts';
import { CommitFeed } from './commit_feed.ts';
import { SenderMetrics } from './metrics.ts';
import { MetadataSender } from './metadata.ts';
import { QueueManager } from './queue_manager.ts';
import type { MetricMetadata } from '../types.ts';

/** What the sender needs from the runtime. */
export interface RemoteWriteDeps {
  storage: Storage;
  logger: Logger;
  registry?: Registry;
  /**
   * What the HTTP client needs from the host (credential files, the TLS/proxy transport);
   * `hostHttpDeps(host)` builds it. Its `fetch` is the base fetch (tests).
   */
  http?: HttpClientDeps;
  /** The scraped targets' metadata, for `metadata_config.send`; none is sent without it. */
  metadata?: () => MetricMetadata[];
  /** Shard-count update interval (tests); Prometheus's 10 s by default. */
  shardUpdateMs?: number;
}

// Keys the sender does not act on yet; a config using them gets a warning, not an error.
const UNSUPPORTED = ['sigv4', 'azuread', 'google_iam', 'round_robin_dns'] as const;

interface Running {
  fingerprint: string;
  queue: QueueManager;
  http: HttpClient;
  meta?: MetadataSender;
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** `remote_name` as Prometheus derives it: the `name`, or the first 6 hex digits of a hash. */
export function remoteName(cfg: RemoteWriteConfig): string {
  return cfg.name || hex(md5(configFingerprint(cfg))).slice(0, 6);
}

/** Runs the queues of the `remote_write` section. */
export class RemoteWriteManager {
  readonly #d: RemoteWriteDeps;
  readonly #metrics: SenderMetrics;
  readonly #running = new Map<string, Running>();
  #offCommit: (() => void) | undefined;
  #highest = 0;

  constructor(deps: RemoteWriteDeps) {
    this.#d = deps;
    this.#metrics = new SenderMetrics(deps.registry);
  }

  // The newest appended timestamp is tracked only while queues run: the listener costs the
  // storage a copy of each commit's columns.
  #track(on: boolean): void {
    if (!on) {
      this.#offCommit?.();
      this.#offCommit = undefined;
      return;
    }
    this.#offCommit ??= this.#d.storage.onCommit?.((c) => {
      let max = this.#highest;
      for (let i = 0; i < c.count; i++) if (c.t[i] > max) max = c.t[i];
      if (max > this.#highest) {
        this.#highest = max;
        this.#metrics.highestTimestamp.set(max / 1000);
      }
    });
  }

  /** `remote_name` of every running queue. */
  get queues(): string[] {
    return [...this.#running.values()].map((r) => r.queue.name);
  }

  /** Starts, restarts and stops queues to match `config`. */
  async apply(config: Config): Promise<void> {
    const want = new Map<string, { cfg: RemoteWriteConfig; fingerprint: string; cursor: string }>();
    const seen = new Map<string, number>();
    for (const cfg of config.remote_write ?? []) {
      // The cursor survives queue tuning changes: it is named by `name`, else by the URL.
      let cursor = cfg.name ? `n-${cfg.name}` : `u-${hex(md5(cfg.url)).slice(0, 12)}`;
      const k = seen.get(cursor) ?? 0;
      seen.set(cursor, k + 1);
      if (k > 0) cursor += `-${k}`;
      const fingerprint = configFingerprint({ cfg, ext: config.global.external_labels });
      want.set(cursor, { cfg, fingerprint, cursor });
    }
    const stops: Promise<void>[] = [];
    for (const [key, r] of this.#running) {
      const w = want.get(key);
      if (w && w.fingerprint === r.fingerprint) continue;
      this.#running.delete(key);
      r.meta?.stop();
      stops.push(r.queue.stop(5_000, w === undefined).finally(() => r.http.close()));
    }
    await Promise.all(stops);
    this.#track(want.size > 0);
    for (const [key, w] of want) {
      if (this.#running.has(key)) continue;
      const started = this.#start(w.cfg, w.cursor, config.global.external_labels);
      if (started) this.#running.set(key, { fingerprint: w.fingerprint, ...started });
    }
  }

  #start(
    cfg: RemoteWriteConfig,
    cursor: string,
    externalLabels: Record<string, string>,
  ): { queue: QueueManager; http: HttpClient; meta?: MetadataSender } | undefined {
    const name = remoteName(cfg);
    const log = this.#d.logger.with({ component: 'remote', remote_name: name, url: cfg.url });
    for (const k of UNSUPPORTED) {
      if (cfg[k] !== undefined && cfg[k] !== false) {
        log.warn(`remote_write ${k} is not supported by Beacon yet; sending without it`);
      }
    }
    const v2 = cfg.protobuf_message === 'io.prometheus.write.v2.Request';
    const q = cfg.queue_config;
    const labels = { remote_name: name, url: cfg.url };
    let source: LogReader;
    if (this.#d.storage.openLogReader) source = this.#d.storage.openLogReader(cursor);
    else if (this.#d.storage.onCommit) {
      source = new CommitFeed(
        this.#d.storage,
        q.capacity * q.max_shards,
        (n) => this.#metrics.samplesDropped.inc(labels, n),
      );
    } else {
      log.error('the storage engine offers neither a log nor commit notifications; not sending');
      return undefined;
    }
    // Auth (basic, authorization, bearer, OAuth2), TLS, proxy and `http_headers` come from
    // the shared HTTP client; the remote-write headers are added per request.
    const http = createHttpClient(cfg, {
      ...this.#d.http,
      onWarning: (m) => log.warn(m),
    });
    const client = new WriteClient({
      url: cfg.url,
      timeoutMs: cfg.remote_timeout.ms,
      retryOnHttp429: q.retry_on_http_429,
      v2,
      fetch: (input, init) => http.fetch(input, init),
      headers: () => Promise.resolve(new Headers(cfg.headers ?? {})),
    });
    const queue = new QueueManager({
      name,
      url: cfg.url,
      capacity: q.capacity,
      minShards: q.min_shards,
      maxShards: q.max_shards,
      maxSamplesPerSend: q.max_samples_per_send,
      batchSendDeadlineMs: q.batch_send_deadline.ms,
      minBackoffMs: q.min_backoff.ms,
      maxBackoffMs: q.max_backoff.ms,
      externalLabels,
      relabel: cfg.write_relabel_configs ?? [],
      sampleAgeLimitMs: q.sample_age_limit.ms,
      v2,
      shardUpdateMs: this.#d.shardUpdateMs,
    }, {
      source,
      store: (body, signal) => client.store(body, signal),
      metrics: this.#metrics,
      logger: log,
      highestAppended: () => this.#highest,
    });
    queue.start();
    log.info('Starting WAL watcher', { queue: name });
    let meta: MetadataSender | undefined;
    const mc = cfg.metadata_config;
    // Remote write 2.0 carries metadata inside its series, which Beacon does not fill yet.
    if (mc.send && !v2 && this.#d.metadata && mc.send_interval.ms > 0) {
      meta = new MetadataSender(
        {
          intervalMs: mc.send_interval.ms,
          maxPerSend: mc.max_samples_per_send > 0 ? mc.max_samples_per_send : 2000,
          minBackoffMs: q.min_backoff.ms,
          maxBackoffMs: q.max_backoff.ms,
          labels,
        },
        this.#d.metadata,
        (body, signal) => client.store(body, signal),
        this.#metrics,
        log,
      );
      meta.start();
    }
    return { queue, http, meta };
  }

  /** Flushes and stops every queue, waiting at most `flushDeadlineMs` for sends. */
  async stop(flushDeadlineMs = 10_000): Promise<void> {
    const all = [...this.#running.values()];
    this.#running.clear();
    for (const r of all) r.meta?.stop();
    await Promise.all(all.map((r) => r.queue.stop(flushDeadlineMs, false)));
    for (const r of all) r.http.close();
    this.#track(false);
    this.#metrics.unregister();
  }
}
