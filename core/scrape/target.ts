/**
 * Scrape targets: the labels Prometheus derives from a discovered target and its job
 * (defaults, `__param_*`, relabelling, `instance`), the scrape URL, the stable start offset,
 * and the health the last scrape left behind.
 * @module
 */
import { hashFlat, Labels, LabelsBuilder } from '../model/mod.ts';
import { Duration, parseDurationMs } from '../config/duration.ts';
import type { ScrapeConfig } from '../config/scrape.ts';
import type { TargetGroup } from '../discovery/mod.ts';
import { relabelBuilder } from './relabel.ts';
import type { MetadataStore } from './scrape_cache.ts';

/** Reserved label names and prefixes (Prometheus's `model` constants). */
export const ADDRESS_LABEL = '__address__';
export const SCHEME_LABEL = '__scheme__';
export const METRICS_PATH_LABEL = '__metrics_path__';
export const SCRAPE_INTERVAL_LABEL = '__scrape_interval__';
export const SCRAPE_TIMEOUT_LABEL = '__scrape_timeout__';
export const PARAM_LABEL_PREFIX = '__param_';
export const META_LABEL_PREFIX = '__meta_';
export const RESERVED_LABEL_PREFIX = '__';
export const JOB_LABEL = 'job';
export const INSTANCE_LABEL = 'instance';

/** The health of a target after its last scrape. */
export type TargetHealth = 'up' | 'down' | 'unknown';

/** The scrape-config fields target derivation needs. */
export type TargetConfig = Pick<
  ScrapeConfig,
  | 'job_name'
  | 'scrape_interval'
  | 'scrape_timeout'
  | 'metrics_path'
  | 'scheme'
  | 'params'
  | 'relabel_configs'
>;

/** The outcome of {@link populateLabels}. */
export type PopulateResult =
  | { kind: 'target'; labels: Labels; discovered: Labels }
  | { kind: 'dropped'; discovered: Labels }
  | { kind: 'error'; error: string; discovered: Labels };

/**
 * The labels of a discovered target before relabelling: the target's own labels, then the
 * group's where the target has none, then the job's defaults (`job`, interval, timeout,
 * metrics path, scheme) and the first value of each param as `__param_<name>`, where absent.
 */
export function discoveredLabels(
  target: Readonly<Record<string, string>>,
  group: Readonly<Record<string, string>>,
  cfg: TargetConfig,
): LabelsBuilder {
  const lb = new LabelsBuilder();
  for (const n in group) lb.set(n, group[n]);
  for (const n in target) lb.set(n, target[n]);
  const defaults: [string, string][] = [
    [JOB_LABEL, cfg.job_name],
    [SCRAPE_INTERVAL_LABEL, cfg.scrape_interval.toString()],
    [SCRAPE_TIMEOUT_LABEL, cfg.scrape_timeout.toString()],
    [METRICS_PATH_LABEL, cfg.metrics_path],
    [SCHEME_LABEL, cfg.scheme],
  ];
  for (const [n, v] of defaults) if (lb.get(n) === '') lb.set(n, v);
  for (const [k, vals] of Object.entries(cfg.params ?? {})) {
    const name = PARAM_LABEL_PREFIX + k;
    if (vals.length > 0 && lb.get(name) === '') lb.set(name, vals[0]);
  }
  return lb;
}

/**
 * Prometheus's PopulateLabels: defaults, `relabel_configs`, then the checks (an address is
 * required and may not contain `/`; interval and timeout must parse, be non-zero, and the
 * timeout may not exceed the interval), `__meta_*` removal and the `instance` default.
 */
export function populateLabels(
  target: Readonly<Record<string, string>>,
  group: Readonly<Record<string, string>>,
  cfg: TargetConfig,
): PopulateResult {
  const lb = discoveredLabels(target, group, cfg);
  const discovered = lb.labels();
  const rb = discovered.builder();
  if (!relabelBuilder(rb, cfg.relabel_configs)) return { kind: 'dropped', discovered };
  const fail = (error: string): PopulateResult => ({ kind: 'error', error, discovered });
  const addr = rb.get(ADDRESS_LABEL);
  if (addr === '') return fail('no address');
  if (addr.includes('/')) return fail(`${JSON.stringify(addr)} is not a valid hostname`);
  const interval = rb.get(SCRAPE_INTERVAL_LABEL);
  const intervalMs = parseDurationMs(interval);
  if (intervalMs === undefined) {
    return fail(
      `error parsing scrape interval: not a valid duration string: ${JSON.stringify(interval)}`,
    );
  }
  if (intervalMs === 0) return fail('scrape interval cannot be 0');
  const timeout = rb.get(SCRAPE_TIMEOUT_LABEL);
  const timeoutMs = parseDurationMs(timeout);
  if (timeoutMs === undefined) {
    return fail(
      `error parsing scrape timeout: not a valid duration string: ${JSON.stringify(timeout)}`,
    );
  }
  if (timeoutMs === 0) return fail('scrape timeout cannot be 0');
  if (timeoutMs > intervalMs) {
    return fail(
      `scrape timeout cannot be greater than scrape interval (${JSON.stringify(timeout)} > ${
        JSON.stringify(interval)
      })`,
    );
  }
  const metaNames: string[] = [];
  rb.forEach((n) => {
    if (n.startsWith(META_LABEL_PREFIX)) metaNames.push(n);
  });
  rb.del(...metaNames);
  if (rb.get(INSTANCE_LABEL) === '') rb.set(INSTANCE_LABEL, addr);
  return { kind: 'target', labels: rb.labels(), discovered };
}

/** Targets built from one group: active and dropped ones, and the errors of the others. */
export interface GroupTargets {
  targets: Target[];
  dropped: Target[];
  errors: string[];
}

/** Prometheus's TargetsFromGroup: one {@link Target} per entry of `group.targets`. */
export function targetsFromGroup(group: TargetGroup, cfg: TargetConfig): GroupTargets {
  const out: GroupTargets = { targets: [], dropped: [], errors: [] };
  for (let i = 0; i < group.targets.length; i++) {
    const r = populateLabels(group.targets[i], group.labels, cfg);
    if (r.kind === 'target') out.targets.push(new Target(r.labels, r.discovered, cfg.params));
    else if (r.kind === 'dropped') {
      out.dropped.push(new Target(Labels.EMPTY, r.discovered, cfg.params));
    } else out.errors.push(`instance ${i} in group ${group.source}: ${r.error}`);
  }
  return out;
}

/** Go's `url.QueryEscape`: form encoding with only `-_.~` left bare. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  ).replace(/%20/g, '+');
}

/** One scrape endpoint and what its last scrape found. */
export class Target {
  /** Labels as discovered, before relabelling. */
  discoveredLabels: Labels;
  /** All labels after relabelling, `__` ones included; empty for a dropped target. */
  readonly labels: Labels;
  readonly #params: Readonly<Record<string, string[]>>;
  #url: string | undefined;
  #publicLabels: Labels | undefined;

  /** `unknown` until the first scrape. */
  health: TargetHealth = 'unknown';
  /** The last scrape's error, or `''`. */
  lastError = '';
  /** Start of the last scrape, ms since the epoch; 0 before the first. */
  lastScrape = 0;
  /** Duration of the last scrape, seconds. */
  lastScrapeDuration = 0;
  /** HELP/TYPE/UNIT seen on this target, set by its scrape loop. */
  metadata: MetadataStore | undefined;

  constructor(
    labels: Labels,
    discovered: Labels,
    params: Readonly<Record<string, string[]>> | null | undefined = undefined,
  ) {
    this.labels = labels;
    this.discoveredLabels = discovered;
    this.#params = params ?? {};
  }

  /** The labels every sample of the target gets: those without the `__` prefix. */
  publicLabels(): Labels {
    if (!this.#publicLabels) {
      const out: string[] = [];
      this.labels.forEach((n, v) => {
        if (!n.startsWith(RESERVED_LABEL_PREFIX)) out.push(n, v);
      });
      this.#publicLabels = Labels.fromSortedFlat(out);
    }
    return this.#publicLabels;
  }

  /**
   * The scrape URL: `__scheme__://__address____metrics_path__?params`, where the query is the
   * job's params with each `__param_<name>` label replacing the first value of `<name>`.
   */
  url(): string {
    if (this.#url !== undefined) return this.#url;
    const params = new Map<string, string[]>();
    for (const [k, v] of Object.entries(this.#params)) params.set(k, [...v]);
    this.labels.forEach((n, v) => {
      if (!n.startsWith(PARAM_LABEL_PREFIX)) return;
      const k = n.slice(PARAM_LABEL_PREFIX.length);
      const cur = params.get(k);
      if (cur && cur.length > 0) cur[0] = v;
      else params.set(k, [v]);
    });
    const keys = [...params.keys()].sort();
    const query = keys.flatMap((k) =>
      params.get(k)!.map((v) => `${queryEscape(k)}=${queryEscape(v)}`)
    )
      .join('&');
    let path = this.labels.get(METRICS_PATH_LABEL);
    if (path !== '' && !path.startsWith('/')) path = '/' + path;
    path = encodeURI(path).replace(/[?#]/g, (c) => (c === '?' ? '%3F' : '%23'));
    const scheme = this.labels.get(SCHEME_LABEL);
    this.#url = `${scheme}://${this.labels.get(ADDRESS_LABEL)}${path}${query ? '?' + query : ''}`;
    return this.#url;
  }

  /** The scrape interval and timeout from the target's labels (validated at creation). */
  intervalAndTimeout(): { intervalMs: number; timeoutMs: number } {
    return {
      intervalMs: parseDurationMs(this.labels.get(SCRAPE_INTERVAL_LABEL)) ?? 60_000,
      timeoutMs: parseDurationMs(this.labels.get(SCRAPE_TIMEOUT_LABEL)) ?? 10_000,
    };
  }

  /** Identity of the target within its pool: its labels and its URL. */
  hash(): number {
    return hashFlat([...this.labels.flat, this.url()]);
  }

  /**
   * Milliseconds from `now` until the target's first scrape. The phase within the interval
   * comes from a hash of the target and `seed` (so it survives restarts and differs between
   * replicas with different seeds) and is pinned to absolute time.
   */
  offset(intervalMs: number, seed: string, now: number = Date.now()): number {
    const phase = hashFlat([...this.labels.flat, this.url(), seed]) % intervalMs;
    let next = intervalMs - (now % intervalMs) + phase;
    if (next > intervalMs) next -= intervalMs;
    return next;
  }

  /** Records the outcome of a scrape. */
  report(start: number, durationSec: number, error: string): void {
    this.health = error === '' ? 'up' : 'down';
    this.lastError = error;
    this.lastScrape = start;
    this.lastScrapeDuration = durationSec;
  }
}

/** Formats a millisecond duration as Prometheus prints it (`15s`, `1m30s`). */
export function formatMs(ms: number): string {
  return new Duration(ms).toString();
}
