/**
 * A scrape pool: the targets and loops of one job. `sync` turns the job's target groups into
 * targets (deduplicated by labels and URL) and starts or stops loops; `reload` restarts the
 * loops with a new config, keeping their caches when the change cannot alter samples.
 * @module
 */
import type { ScrapeConfig } from '../config/scrape.ts';
import type { TargetGroup } from '../discovery/mod.ts';
import { configFingerprint } from '../discovery/mod.ts';
import { scrapeAcceptHeader, type ScrapeProtocol } from '../exposition/mod.ts';
import type { Logger } from '../log/logger.ts';
import type { Storage } from '../storage/mod.ts';
import type { AppendOptions } from './append.ts';
import type { ReadFile } from './http.ts';
import { createHttpClient, type HttpClient, type HttpClientDeps } from '../http_client/mod.ts';
import { ScrapeLoop } from './loop.ts';
import { ScrapeCache } from './scrape_cache.ts';
import { type Target, targetsFromGroup } from './target.ts';

/** What pools share, supplied by the manager. */
export interface ScrapePoolDeps {
  storage: Storage;
  logger: Logger;
  offsetSeed: string;
  shutdown: AbortSignal;
  fetch: typeof fetch;
  readFile?: ReadFile;
  /** The host's transport factory for `tls_config` and `proxy_url`. */
  createFetch?: HttpClientDeps['createFetch'];
  /** Environment lookup for `proxy_from_environment`. */
  env?: (name: string) => string | undefined;
  /** Scrape at once instead of after the target's offset (tests). */
  startImmediately?: boolean;
}

// Fields that cannot change the samples a target yields (Prometheus's zeroConfig).
const CACHE_NEUTRAL = [
  'scrape_interval',
  'scrape_timeout',
  'sample_limit',
  'basic_auth',
  'authorization',
  'oauth2',
  'bearer_token',
  'bearer_token_file',
  'tls_config',
  'follow_redirects',
  'enable_http2',
  'proxy_url',
  'no_proxy',
  'proxy_from_environment',
  'proxy_connect_header',
  'http_headers',
];

function cacheFingerprint(c: ScrapeConfig): string {
  const z: Record<string, unknown> = { ...c };
  for (const k of CACHE_NEUTRAL) delete z[k];
  return configFingerprint(z);
}

const FORMATS: Record<string, 'text' | 'openmetrics'> = {
  'PrometheusText0.0.4': 'text',
  'PrometheusText1.0.0': 'text',
  'OpenMetricsText0.0.1': 'openmetrics',
  'OpenMetricsText1.0.0': 'openmetrics',
};

/** The targets and loops of one scrape job. */
export class ScrapePool {
  readonly name: string;
  #config: ScrapeConfig;
  #fingerprint: string;
  readonly #deps: ScrapePoolDeps;
  readonly #logger: Logger;
  #client: HttpClient;
  readonly #loops = new Map<number, ScrapeLoop>();
  #dropped: Target[] = [];
  #droppedCount = 0;
  #forcedError: string | undefined;
  readonly #pending = new Set<Promise<void>>();

  constructor(config: ScrapeConfig, deps: ScrapePoolDeps) {
    this.name = config.job_name;
    this.#config = config;
    this.#fingerprint = configFingerprint(config);
    this.#deps = deps;
    this.#logger = deps.logger.with({ scrape_pool: config.job_name });
    this.#client = poolClient(config, deps, this.#logger);
  }

  /** The job's config. */
  get config(): ScrapeConfig {
    return this.#config;
  }

  /** Targets being scraped, in URL order. */
  activeTargets(): Target[] {
    return [...this.#loops.values()].map((l) => l.target).sort((a, b) =>
      a.url() < b.url() ? -1 : a.url() > b.url() ? 1 : 0
    );
  }

  /** The running loops (for hosts that drive scrapes themselves, and tests). */
  loops(): ScrapeLoop[] {
    return [...this.#loops.values()];
  }

  /** Targets relabelling dropped (at most `keep_dropped_targets` when that is set). */
  droppedTargets(): readonly Target[] {
    return this.#dropped;
  }

  /** How many targets relabelling dropped, kept or not. */
  get droppedCount(): number {
    return this.#droppedCount;
  }

  /** Rebuilds the targets from the job's current groups and starts or stops loops. */
  sync(groups: readonly TargetGroup[]): void {
    const cfg = this.#config;
    const all: Target[] = [];
    const dropped: Target[] = [];
    let droppedCount = 0;
    for (const g of groups) {
      const r = targetsFromGroup(g, cfg);
      for (const e of r.errors) this.#logger.error('Creating target failed', { err: e });
      all.push(...r.targets);
      for (const t of r.dropped) {
        if (cfg.keep_dropped_targets === 0 || dropped.length < cfg.keep_dropped_targets) {
          dropped.push(t);
        }
        droppedCount++;
      }
    }
    this.#dropped = dropped;
    this.#droppedCount = droppedCount;
    this.#syncTargets(all);
  }

  #syncTargets(targets: Target[]): void {
    const unique = new Map<number, Target>();
    const fresh: ScrapeLoop[] = [];
    for (const t of targets) {
      const h = t.hash();
      if (unique.has(h)) continue;
      unique.set(h, t);
      const loop = this.#loops.get(h);
      if (loop) loop.target.discoveredLabels = t.discoveredLabels;
      else {
        const l = this.#newLoop(t, new ScrapeCache());
        this.#loops.set(h, l);
        fresh.push(l);
      }
    }
    for (const [h, loop] of this.#loops) {
      if (unique.has(h)) continue;
      this.#loops.delete(h);
      this.#track(loop.stop(true).then((s) => s.staleness));
    }
    const limit = this.#config.target_limit;
    this.#forcedError = limit > 0 && unique.size > limit
      ? `target_limit exceeded (number of targets: ${unique.size}, limit: ${limit})`
      : undefined;
    for (const l of this.#loops.values()) l.setForcedError(this.#forcedError);
    for (const l of fresh) l.start(this.#deps.startImmediately);
  }

  #track(p: Promise<void>): void {
    const q = p.catch((e) => {
      this.#logger.warn('Stopping scrape loop failed', { err: (e as Error).message });
    }).finally(() => this.#pending.delete(q));
    this.#pending.add(q);
  }

  /** Waits for stopped loops' stale markers (tests; shutdown cancels them instead). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /**
   * Applies a changed config: every loop restarts with it. Caches survive when the change
   * cannot alter the samples; otherwise the new cache still stales what the old one saw.
   * Returns false when the config is unchanged.
   */
  async reload(config: ScrapeConfig): Promise<boolean> {
    const fp = configFingerprint(config);
    if (fp === this.#fingerprint) return false;
    const reuse = cacheFingerprint(config) === cacheFingerprint(this.#config);
    this.#config = config;
    this.#fingerprint = fp;
    const oldClient = this.#client;
    this.#client = poolClient(config, this.#deps, this.#logger);
    const old = [...this.#loops];
    await Promise.all(old.map(([, l]) => l.stop(false)));
    oldClient.close();
    for (const [h, l] of old) {
      let cache = l.cache;
      if (!reuse) {
        cache = new ScrapeCache();
        cache.inheritStaleness(l.cache);
      }
      const n = this.#newLoop(l.target, cache);
      n.setForcedError(this.#forcedError);
      this.#loops.set(h, n);
      n.start(this.#deps.startImmediately);
    }
    return true;
  }

  /**
   * Stops every loop. With `staleness` (the job was removed) each target's series get stale
   * markers later, as when a target disappears; on shutdown nothing more is written.
   */
  async stop(staleness: boolean): Promise<void> {
    const loops = [...this.#loops.values()];
    this.#loops.clear();
    const results = await Promise.all(loops.map((l) => l.stop(staleness)));
    this.#client.close();
    for (const r of results) this.#track(r.staleness);
  }

  #newLoop(target: Target, cache: ScrapeCache): ScrapeLoop {
    return newScrapeLoop(this.#config, target, cache, this.#deps, this.#client, this.#logger);
  }
}

/** The HTTP client of a job: its auth, TLS and proxy settings over the pool's fetch. */
function poolClient(cfg: ScrapeConfig, deps: ScrapePoolDeps, logger: Logger): HttpClient {
  return createHttpClient(cfg, {
    fetch: deps.fetch,
    readFile: deps.readFile,
    createFetch: deps.createFetch,
    env: deps.env,
    onWarning: (m) => logger.warn(m),
  });
}

/**
 * Creates the loop of one target of job `cfg` (the pool's factory, exported for tests and for
 * hosts that drive scrapes themselves, such as a cron-triggered edge worker).
 */
export function newScrapeLoop(
  cfg: ScrapeConfig,
  target: Target,
  cache: ScrapeCache,
  deps: ScrapePoolDeps,
  client: HttpClient = poolClient(cfg, deps, deps.logger),
  logger: Logger = deps.logger,
): ScrapeLoop {
  const { intervalMs, timeoutMs } = target.intervalAndTimeout();
  const fallback = cfg.fallback_scrape_protocol ? FORMATS[cfg.fallback_scrape_protocol] : undefined;
  const append: AppendOptions = {
    targetLabels: target.publicLabels(),
    honorLabels: cfg.honor_labels,
    honorTimestamps: cfg.honor_timestamps,
    trackTimestampsStaleness: cfg.track_timestamps_staleness,
    metricRelabelConfigs: cfg.metric_relabel_configs,
    sampleLimit: cfg.sample_limit,
    labelLimit: cfg.label_limit,
    labelNameLengthLimit: cfg.label_name_length_limit,
    labelValueLengthLimit: cfg.label_value_length_limit,
    fallbackFormat: fallback,
    logger: logger,
  };
  return new ScrapeLoop({
    target,
    storage: deps.storage,
    cache,
    request: {
      url: target.url(),
      timeoutMs,
      accept: scrapeAcceptHeader(cfg.scrape_protocols as ScrapeProtocol[]),
      enableCompression: cfg.enable_compression,
      bodySizeLimit: cfg.body_size_limit.bytes,
      followRedirects: cfg.follow_redirects,
      headers: client.headers,
      fetch: client.transportFetch,
    },
    append,
    intervalMs,
    timeoutMs,
    extraMetrics: cfg.extra_scrape_metrics,
    offsetSeed: deps.offsetSeed,
    shutdown: deps.shutdown,
    logger: logger.with({ target: target.url() }),
  });
}
