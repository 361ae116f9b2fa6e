/**
 * The discovery manager: runs one discoverer per SD config entry of each job, keeps the
 * latest target groups per discoverer and source, and hands the merged groups of every job to
 * its consumer at most once per update interval (Prometheus: 5 s).
 * @module
 */
import type { Host } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import { Gauge, type Registry } from '../metrics/mod.ts';
import { Secret } from '../config/secret.ts';
import type { DiscoveryMechanism } from './discoverer.ts';
import type { TargetGroup } from './target_group.ts';

/** The SD config lists of one job, by config key (`static_configs`, `file_sd_configs`, …). */
export type SDConfigSet = Readonly<Record<string, readonly unknown[] | undefined>>;

/** Options of {@link DiscoveryManager}. */
export interface DiscoveryManagerOptions {
  logger: Logger;
  host?: Host;
  registry?: Registry;
  mechanisms: readonly DiscoveryMechanism[];
  /** Receives every job's groups (jobs without targets get `[]`). */
  onUpdate: (sets: ReadonlyMap<string, TargetGroup[]>) => void;
  /** Minimum time between two `onUpdate` calls, ms (default 5000). */
  updateIntervalMs?: number;
}

interface Provider {
  key: string;
  abort: AbortController;
  groups: Map<string, TargetGroup>;
}

interface JobState {
  fingerprint: string;
  providers: Provider[];
}

/** Serialises a config for change detection; secrets by value, so a new password counts. */
export function configFingerprint(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const orig = this[key];
    if (orig instanceof Secret) return { secret: orig.reveal() };
    if (v instanceof Map) return [...v];
    return v;
  }) ?? '';
}

/** See the module doc. */
export class DiscoveryManager {
  readonly #o: DiscoveryManagerOptions;
  readonly #mechanisms = new Map<string, DiscoveryMechanism>();
  readonly #jobs = new Map<string, JobState>();
  readonly #interval: number;
  #dirty = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSend = 0;
  #stopped = false;
  readonly #unsupported = new Map<string, string[]>();
  readonly #unsupportedCounts = new Map<string, Map<string, number>>();
  readonly #unsupportedGauge: Gauge<'scrape_job' | 'mechanism'> | undefined;

  constructor(o: DiscoveryManagerOptions) {
    this.#o = o;
    this.#unsupportedGauge = unsupportedGauge(o.registry);
    this.#interval = o.updateIntervalMs ?? 5000;
    for (const m of o.mechanisms) this.#mechanisms.set(m.configKey, m);
  }

  /** Config keys the manager can serve. */
  get configKeys(): string[] {
    return [...this.#mechanisms.keys()];
  }

  /** SD keys each job uses that no mechanism serves (those targets are never found). */
  unsupported(): ReadonlyMap<string, string[]> {
    return this.#unsupported;
  }

  /**
   * Applies a new set of jobs. Jobs whose SD configs are unchanged keep their discoverers
   * (and their targets); changed jobs restart theirs; removed jobs stop.
   */
  applyConfig(jobs: ReadonlyMap<string, SDConfigSet>): void {
    for (const [name, state] of this.#jobs) {
      if (!jobs.has(name)) {
        this.#stopJob(state);
        this.#jobs.delete(name);
        this.#unsupported.delete(name);
        this.#unsupportedCounts.delete(name);
        this.#dirty = true;
      }
    }
    for (const [name, sd] of jobs) {
      const fingerprint = configFingerprint(sd);
      const old = this.#jobs.get(name);
      if (old && old.fingerprint === fingerprint) continue;
      if (old) this.#stopJob(old);
      const state: JobState = { fingerprint, providers: [] };
      this.#jobs.set(name, state);
      this.#dirty = true;
      const missing: string[] = [];
      const counts = new Map<string, number>();
      for (const [key, list] of Object.entries(sd)) {
        if (!list || list.length === 0) continue;
        const mech = this.#mechanisms.get(key);
        if (!mech) {
          missing.push(key);
          counts.set(key, list.length);
          continue;
        }
        list.forEach((cfg, index) => this.#startProvider(name, state, mech, cfg, index));
      }
      if (missing.length > 0) {
        this.#unsupported.set(name, missing);
        this.#unsupportedCounts.set(name, counts);
        this.#o.logger.warn('Service discovery mechanism not supported; its targets are ignored', {
          job: name,
          mechanisms: missing.join(','),
        });
      } else {
        this.#unsupported.delete(name);
        this.#unsupportedCounts.delete(name);
      }
    }
    this.#updateUnsupportedGauge();
    this.#trigger();
  }

  #updateUnsupportedGauge(): void {
    const g = this.#unsupportedGauge;
    if (!g) return;
    g.reset();
    for (const [job, counts] of this.#unsupportedCounts) {
      for (const [mechanism, n] of counts) g.set({ scrape_job: job, mechanism }, n);
    }
  }

  #startProvider(
    job: string,
    state: JobState,
    mech: DiscoveryMechanism,
    cfg: unknown,
    index: number,
  ): void {
    const p: Provider = {
      key: `${mech.configKey}/${index}`,
      abort: new AbortController(),
      groups: new Map(),
    };
    state.providers.push(p);
    const logger = this.#o.logger.with({ discovery: mech.configKey, config: job });
    const onUpdate = (groups: TargetGroup[]) => {
      if (p.abort.signal.aborted) return;
      for (const g of groups) {
        if (g.targets.length === 0) p.groups.delete(g.source);
        else p.groups.set(g.source, g);
      }
      this.#dirty = true;
      this.#trigger();
    };
    try {
      const d = mech.create(cfg, {
        logger,
        host: this.#o.host,
        registry: this.#o.registry,
        index,
        setName: job,
      });
      Promise.resolve(d.run(p.abort.signal, onUpdate)).catch((e) => {
        logger.error('Discoverer failed', { err: (e as Error).message });
      });
    } catch (e) {
      logger.error('Cannot create discoverer', { err: (e as Error).message });
    }
  }

  #stopJob(state: JobState): void {
    for (const p of state.providers) p.abort.abort();
  }

  #trigger(): void {
    if (this.#stopped || !this.#dirty || this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastSend + this.#interval - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped || !this.#dirty) return;
      this.#dirty = false;
      this.#lastSend = Date.now();
      this.#o.onUpdate(this.targetSets());
    }, wait);
  }

  /** The current groups of every job, merged over its discoverers. */
  targetSets(): Map<string, TargetGroup[]> {
    const out = new Map<string, TargetGroup[]>();
    for (const [name, state] of this.#jobs) {
      const groups: TargetGroup[] = [];
      for (const p of state.providers) for (const g of p.groups.values()) groups.push(g);
      out.set(name, groups);
    }
    return out;
  }

  /** Stops every discoverer; no update is delivered afterwards. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const s of this.#jobs.values()) this.#stopJob(s);
    this.#jobs.clear();
  }
}

const UNSUPPORTED = 'beacon_sd_unsupported_configs';

/** The gauge of SD config entries no mechanism serves, shared by managers of one registry. */
function unsupportedGauge(
  registry: Registry | undefined,
): Gauge<'scrape_job' | 'mechanism'> | undefined {
  if (!registry) return undefined;
  const existing = registry.get(UNSUPPORTED);
  if (existing) return existing as Gauge<'scrape_job' | 'mechanism'>;
  return new Gauge({
    name: UNSUPPORTED,
    help:
      'Service discovery config entries Beacon does not implement, per job and mechanism; their jobs get no targets from them.',
    labelNames: ['scrape_job', 'mechanism'] as const,
    registers: [registry],
  });
}
