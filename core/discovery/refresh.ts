/**
 * The polling discoverer shape shared by mechanisms that re-read a source on an interval
 * (HTTP, DNS): refresh at once, then every `refresh_interval`; a failed refresh is logged and
 * counted, and the last good groups stay in place.
 * @module
 */
import { Counter, type Registry } from '../metrics/mod.ts';
import type { Logger } from '../log/logger.ts';
import type { Discoverer } from './discoverer.ts';
import type { TargetGroup } from './target_group.ts';

const REFRESH_FAILURES = 'prometheus_sd_refresh_failures_total';

/** Finds or registers a counter in `registry` (shared by every discoverer of a kind). */
export function sharedCounter<T extends string = never>(
  registry: Registry | undefined,
  name: string,
  help: string,
  labelNames: readonly T[] = [],
): Counter<T> | undefined {
  if (!registry) return undefined;
  const existing = registry.get(name);
  if (existing) return existing as Counter<T>;
  return new Counter<T>({ name, help, labelNames, registers: [registry] });
}

/** Options of {@link RefreshDiscoverer}. */
export interface RefreshOptions {
  /** The mechanism's name in `prometheus_sd_refresh_failures_total{mechanism}`, e.g. `http`. */
  mechanism: string;
  intervalMs: number;
  logger: Logger;
  registry?: Registry;
  /** Reads the source; resolves to the groups to report (including emptied sources). */
  refresh: (signal: AbortSignal) => Promise<TargetGroup[]>;
}

/** A discoverer that polls {@link RefreshOptions.refresh}. */
export class RefreshDiscoverer implements Discoverer {
  readonly #o: RefreshOptions;
  readonly #failures: Counter<'mechanism'> | undefined;

  constructor(o: RefreshOptions) {
    this.#o = o;
    this.#failures = sharedCounter(
      o.registry,
      REFRESH_FAILURES,
      'Number of refresh failures for the given SD mechanism.',
      ['mechanism'],
    );
  }

  async run(signal: AbortSignal, onUpdate: (groups: TargetGroup[]) => void): Promise<void> {
    const once = async () => {
      try {
        const groups = await this.#o.refresh(signal);
        if (!signal.aborted && groups.length > 0) onUpdate(groups);
      } catch (e) {
        if (signal.aborted) return;
        this.#failures?.inc({ mechanism: this.#o.mechanism });
        this.#o.logger.error('Unable to refresh target groups', { err: (e as Error).message });
      }
    };
    while (!signal.aborted) {
      await once();
      await sleep(this.#o.intervalMs, signal);
    }
  }
}

/** Resolves after `ms` or as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
