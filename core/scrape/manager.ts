/**
 * The scrape manager: one {@link ScrapePool} per job, fed by the discovery manager. Applying a
 * config restarts only the pools whose job changed, stops removed jobs (their series go
 * stale) and starts new ones.
 *
 * @example
 * ```ts
 * const manager = new ScrapeManager({ storage, logger, host, mechanisms: [staticMechanism] });
 * manager.applyConfig(config);
 * // … later
 * await manager.stop();
 * ```
 * @module
 */
import type { Host } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../metrics/mod.ts';
import type { Storage } from '../storage/mod.ts';
import type { ScrapeConfig } from '../config/scrape.ts';
import { SD_KEYS } from '../config/mod.ts';
import {
  DiscoveryManager,
  type DiscoveryMechanism,
  type SDConfigSet,
  type TargetGroup,
} from '../discovery/mod.ts';
import { ScrapePool } from './pool.ts';
import type { Target } from './target.ts';

/** Options of {@link ScrapeManager}. */
export interface ScrapeManagerOptions {
  storage: Storage;
  logger: Logger;
  registry?: Registry;
  /** Files (file SD, credential files), watching, hostname. */
  host?: Host;
  /** Discovery mechanisms by config key (static_configs, file_sd_configs, plugins…). */
  mechanisms?: readonly DiscoveryMechanism[];
  /** Minimum time between two target updates from discovery, ms (default 5000). */
  discoveryUpdateIntervalMs?: number;
  /** The fetch used for scrapes (default: the global one). */
  fetch?: typeof fetch;
  /** Scrape each new target at once instead of after its offset (tests). */
  startImmediately?: boolean;
}

/** The part of the config the manager reads. */
export interface ScrapeManagerConfig {
  global: { external_labels?: Record<string, string> };
  scrape_configs: readonly ScrapeConfig[];
}

/** See the module doc. */
export class ScrapeManager {
  /** The discovery manager feeding the pools. */
  readonly discovery: DiscoveryManager;
  readonly #o: ScrapeManagerOptions;
  readonly #pools = new Map<string, ScrapePool>();
  readonly #retired = new Set<ScrapePool>();
  readonly #shutdown = new AbortController();
  #groups: ReadonlyMap<string, TargetGroup[]> = new Map();
  #offsetSeed = '';
  #chain: Promise<void> = Promise.resolve();

  constructor(o: ScrapeManagerOptions) {
    this.#o = o;
    this.discovery = new DiscoveryManager({
      logger: o.logger.with({ component: 'discovery manager' }),
      host: o.host,
      registry: o.registry,
      mechanisms: o.mechanisms ?? [],
      updateIntervalMs: o.discoveryUpdateIntervalMs,
      onUpdate: (sets) => this.#serial(() => this.#syncAll(sets)),
    });
  }

  // Config changes and target updates are applied one at a time, in order.
  #serial(fn: () => void | Promise<void>): Promise<void> {
    const next = this.#chain.then(fn).catch((e) => {
      this.#o.logger.error('Applying scrape update failed', { err: (e as Error).message });
    });
    this.#chain = next;
    return next;
  }

  #syncAll(sets: ReadonlyMap<string, TargetGroup[]>): void {
    if (this.#shutdown.signal.aborted) return;
    this.#groups = sets;
    for (const [job, groups] of sets) this.#pools.get(job)?.sync(groups);
  }

  /**
   * Applies a config: changed jobs reload, removed jobs stop (their series go stale after two
   * intervals), new jobs start, and discovery is pointed at the new SD configs. Resolves when
   * the pools have been updated (discovery delivers targets later).
   */
  applyConfig(config: ScrapeManagerConfig): Promise<void> {
    return this.#serial(async () => {
      if (this.#shutdown.signal.aborted) return;
      const ext = config.global.external_labels ?? {};
      const hostname = this.#o.host?.hostname() ?? '';
      this.#offsetSeed = `${hostname}${JSON.stringify(Object.entries(ext).sort())}`;
      const jobs = new Map(config.scrape_configs.map((c) => [c.job_name, c]));
      for (const [name, pool] of this.#pools) {
        if (!jobs.has(name)) {
          this.#pools.delete(name);
          await pool.stop(true);
          this.#retired.add(pool);
          void pool.settled().then(() => this.#retired.delete(pool));
        }
      }
      const sd = new Map<string, SDConfigSet>();
      for (const [name, cfg] of jobs) {
        const pool = this.#pools.get(name);
        if (!pool) {
          this.#pools.set(name, this.#newPool(cfg));
        } else if (await pool.reload(cfg)) {
          const groups = this.#groups.get(name);
          if (groups) pool.sync(groups);
        }
        const set: Record<string, readonly unknown[]> = {};
        for (const key of SD_KEYS) {
          const list = (cfg as unknown as Record<string, unknown>)[key];
          if (Array.isArray(list) && list.length > 0) set[key] = list;
        }
        sd.set(name, set);
      }
      this.discovery.applyConfig(sd);
    });
  }

  #newPool(cfg: ScrapeConfig): ScrapePool {
    const host = this.#o.host;
    return new ScrapePool(cfg, {
      storage: this.#o.storage,
      logger: this.#o.logger.with({ component: 'scrape manager' }),
      offsetSeed: this.#offsetSeed,
      shutdown: this.#shutdown.signal,
      fetch: this.#o.fetch ?? globalThis.fetch.bind(globalThis),
      readFile: host ? (p) => host.readTextFile(p) : undefined,
      createFetch: host?.createFetch?.bind(host),
      env: host ? (name) => host.env(name) : undefined,
      startImmediately: this.#o.startImmediately,
    });
  }

  /** Stops discovery and every loop; in-flight scrapes are aborted, nothing more is written. */
  async stop(): Promise<void> {
    this.discovery.stop();
    this.#shutdown.abort();
    await this.#chain;
    await Promise.all([...this.#pools.values()].map((p) => p.stop(false)));
    this.#pools.clear();
  }

  /** Job names, sorted. */
  poolNames(): string[] {
    return [...this.#pools.keys()].sort();
  }

  /** The pool of `job`, if configured. */
  pool(job: string): ScrapePool | undefined {
    return this.#pools.get(job);
  }

  /** Active targets per job. */
  targetsActive(): Map<string, Target[]> {
    const out = new Map<string, Target[]>();
    for (const name of this.poolNames()) out.set(name, this.#pools.get(name)!.activeTargets());
    return out;
  }

  /** Dropped targets kept for the API, per job. */
  targetsDropped(): Map<string, readonly Target[]> {
    const out = new Map<string, readonly Target[]>();
    for (const name of this.poolNames()) out.set(name, this.#pools.get(name)!.droppedTargets());
    return out;
  }

  /** Number of dropped targets per job, kept or not. */
  droppedTargetCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of this.poolNames()) out[name] = this.#pools.get(name)!.droppedCount;
    return out;
  }

  /** Waits until stopped loops have written their stale markers (tests). */
  async settled(): Promise<void> {
    await this.#chain;
    await Promise.all([...this.#pools.values(), ...this.#retired].map((p) => p.settled()));
  }
}
