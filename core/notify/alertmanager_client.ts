/**
 * Sending alerts to Alertmanagers as Prometheus's notifier does: external labels added where
 * absent, `alert_relabel_configs` applied, then every Alertmanager of every
 * `alerting.alertmanagers` entry gets every alert through its own bounded queue and send loop
 * (oldest dropped when full, at most `maxBatchSize` per POST to `<path_prefix>/api/v2/alerts`,
 * a failed batch dropped and counted, never retried: the rule layer resends).
 * @module
 */
import { Labels } from '../model/mod.ts';
import type { AlertingConfig, AlertmanagerConfig, RelabelConfig } from '../config/mod.ts';
import type { TargetGroup } from '../discovery/mod.ts';
import { Counter, Gauge, Histogram, type Registry } from '../metrics/mod.ts';
import { relabelLabels } from '../scrape/mod.ts';
import { createHttpClient, type HttpClient, type HttpClientDeps } from '../http_client/mod.ts';
import { type Logger, nopLogger } from '../log/logger.ts';
import { BUILD_INFO } from '../version.ts';
import { type Alert, toPostableAlert } from './alert.ts';
import type { AlertSink } from './dispatcher.ts';

/** Prometheus's defaults: `--alertmanager.notification-queue-capacity` and the batch size. */
export const NOTIFIER_DEFAULTS = { queueCapacity: 10_000, maxBatchSize: 256 } as const;

/** Options of {@link AlertmanagerClient}. */
export interface AlertmanagerClientOptions {
  queueCapacity?: number;
  maxBatchSize?: number;
  /** Send what is queued when stopping (default true, as Prometheus). */
  drainOnShutdown?: boolean;
  registry?: Registry;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Reads `password_file`, `credentials_file`, … */
  readFile?: (path: string) => Promise<string>;
  /** The host's TLS/proxy transport and environment, for each entry's HTTP client config. */
  http?: Pick<HttpClientDeps, 'createFetch' | 'env' | 'onWarning'>;
}

/** The parts of the config the client reads. */
export interface NotifierConfig {
  alerting: AlertingConfig;
  /** `global.external_labels`. */
  externalLabels?: Labels | Readonly<Record<string, string>>;
}

/** Adds external labels the alert lacks, then applies relabelling; `undefined` if dropped. */
export function prepareAlert(
  a: Alert,
  externalLabels: Labels,
  relabel: readonly RelabelConfig[],
): Alert | undefined {
  let labels = a.labels;
  if (externalLabels.size > 0) {
    const b = labels.builder();
    externalLabels.forEach((n, val) => {
      if (!labels.has(n)) b.set(n, val);
    });
    labels = b.labels();
  }
  const out = relabelLabels(labels, relabel);
  if (!out || out.size === 0) return undefined;
  return out === a.labels ? a : { ...a, labels: out };
}

/** The path Prometheus posts to: `<path_prefix>/api/v2/alerts`, with one slash between parts. */
export function alertsPath(pathPrefix: string): string {
  const joined = `/${pathPrefix}/api/v2/alerts`.replace(/\/{2,}/g, '/');
  return joined;
}

const ADDRESS = '__address__', SCHEME = '__scheme__', PATH = '__alerts_path__';

/** The Alertmanager URLs (active and dropped by relabelling) of one entry's target groups. */
export function alertmanagerURLs(
  cfg: AlertmanagerConfig,
  groups: readonly TargetGroup[],
): { active: string[]; dropped: string[] } {
  const active: string[] = [], dropped: string[] = [];
  for (const g of groups) {
    for (const t of g.targets) {
      const base = Labels.from({
        ...g.labels,
        ...t,
        [SCHEME]: cfg.scheme,
        [PATH]: alertsPath(cfg.path_prefix),
      });
      const url = (l: Labels) => `${l.get(SCHEME)}://${l.get(ADDRESS)}${l.get(PATH)}`;
      const l = relabelLabels(base, cfg.relabel_configs ?? []);
      if (!l || l.get(ADDRESS) === '') dropped.push(url(base));
      else active.push(url(l));
    }
  }
  return { active: [...new Set(active)], dropped };
}

/** The static target groups of an `alertmanagers[]` entry. */
export function staticGroups(cfg: AlertmanagerConfig): TargetGroup[] {
  return (cfg.static_configs ?? []).map((s, i) => ({
    targets: (s.targets ?? []).map((t) => ({ [ADDRESS]: t })),
    labels: s.labels ?? {},
    source: String(i),
  }));
}

class NotifierMetrics {
  readonly sent: Counter<'alertmanager'>;
  readonly errors: Counter<'alertmanager'>;
  readonly dropped: Counter<'alertmanager'>;
  readonly queueLength: Gauge<'alertmanager'>;
  readonly latency: Histogram<'alertmanager'>;
  constructor(registry: Registry | undefined, capacity: number, discovered: () => number) {
    const registers = registry ? [registry] : [];
    const labelNames = ['alertmanager'] as const;
    this.sent = new Counter({
      name: 'beacon_notifications_sent_total',
      help: 'Total number of alerts sent.',
      labelNames,
      registers,
    });
    this.errors = new Counter({
      name: 'beacon_notifications_errors_total',
      help: 'Total number of sent alerts affected by errors.',
      labelNames,
      registers,
    });
    this.dropped = new Counter({
      name: 'beacon_notifications_dropped_total',
      help: 'Total number of alerts dropped due to errors when sending to Alertmanager.',
      labelNames,
      registers,
    });
    this.queueLength = new Gauge({
      name: 'beacon_notifications_queue_length',
      help: 'The number of alert notifications in the queue.',
      labelNames,
      registers,
    });
    this.latency = new Histogram({
      name: 'beacon_notifications_latency_seconds',
      help: 'Latency of sending alert notifications.',
      labelNames,
      buckets: [0.01, 0.1, 1, 10],
      registers,
    });
    new Gauge({
      name: 'beacon_notifications_queue_capacity',
      help: 'The capacity of the alert notifications queue.',
      registers,
    }).set(capacity);
    new Gauge({
      name: 'beacon_notifications_alertmanagers_discovered',
      help: 'The number of alertmanagers discovered and active.',
      registers,
      collect() {
        this.set(discovered());
      },
    });
  }
  init(url: string) {
    const l = { alertmanager: url };
    this.sent.labels(l);
    this.errors.labels(l);
    this.dropped.labels(l);
    this.queueLength.labels(l).set(0);
  }
  forget(url: string) {
    const l = { alertmanager: url };
    for (const m of [this.sent, this.errors, this.dropped, this.queueLength, this.latency]) {
      m.remove(l);
    }
  }
}

interface LoopDeps {
  cfg: AlertmanagerConfig;
  capacity: number;
  batch: number;
  metrics: NotifierMetrics;
  logger: Logger;
  fetch: typeof fetch;
  headers: () => Promise<Headers>;
}

/** One Alertmanager's queue and the loop that empties it. */
class SendLoop {
  #queue: Alert[] = [];
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(readonly url: string, public deps: LoopDeps) {
    deps.metrics.init(url);
  }

  get length(): number {
    return this.#queue.length;
  }

  add(alerts: readonly Alert[]): void {
    if (this.#stopped) return;
    const { capacity, metrics, logger } = this.deps;
    let dropped = 0;
    let incoming = alerts;
    if (incoming.length > capacity) {
      dropped += incoming.length - capacity;
      logger.warn('Alert batch larger than queue capacity, dropping alerts', { count: dropped });
      incoming = incoming.slice(incoming.length - capacity);
    }
    const over = this.#queue.length + incoming.length - capacity;
    if (over > 0) {
      logger.warn('Alert notification queue full, dropping alerts', { count: over });
      dropped += over;
      this.#queue.splice(0, over);
    }
    this.#queue.push(...incoming);
    metrics.queueLength.labels({ alertmanager: this.url }).set(this.#queue.length);
    if (dropped > 0) metrics.dropped.labels({ alertmanager: this.url }).inc(dropped);
    this.#kick();
  }

  #kick(): void {
    if (this.#running) return;
    this.#running = (async () => {
      // Yield first so that alerts sent in the same tick travel in one batch.
      await Promise.resolve();
      while (this.#queue.length > 0 && !this.#stopped) await this.sendOneBatch();
      this.#running = undefined;
    })();
  }

  /** Resolves when the queue is empty and nothing is in flight. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async sendOneBatch(): Promise<void> {
    const batch = this.#queue.splice(0, this.deps.batch);
    const l = { alertmanager: this.url };
    this.deps.metrics.queueLength.labels(l).set(this.#queue.length);
    if (batch.length === 0) return;
    if (!(await this.#post(batch))) this.deps.metrics.dropped.labels(l).inc(batch.length);
  }

  async #post(batch: Alert[]): Promise<boolean> {
    const { cfg, metrics, logger } = this.deps;
    const l = { alertmanager: this.url };
    const begin = performance.now();
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), cfg.timeout.ms);
    try {
      const headers = await this.deps.headers();
      headers.set('Content-Type', 'application/json');
      headers.set('User-Agent', `Beacon/${BUILD_INFO.version}`);
      const res = await this.deps.fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(batch.map(toPostableAlert)),
        signal: ctl.signal,
        redirect: cfg.follow_redirects ? 'follow' : 'manual',
      });
      await res.body?.cancel();
      if (res.status < 200 || res.status >= 300) {
        throw new Error(`bad response status ${res.status} ${res.statusText}`.trim());
      }
      metrics.latency.labels(l).observe((performance.now() - begin) / 1000);
      metrics.sent.labels(l).inc(batch.length);
      return true;
    } catch (e) {
      const err = ctl.signal.aborted ? 'context deadline exceeded' : (e as Error).message;
      logger.error('Error sending alerts', { alertmanager: this.url, count: batch.length, err });
      metrics.errors.labels(l).inc(batch.length);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(drain: boolean): Promise<void> {
    await this.idle();
    if (drain) { while (this.#queue.length > 0) await this.sendOneBatch(); }
    else if (this.#queue.length > 0) {
      this.deps.metrics.dropped.labels({ alertmanager: this.url }).inc(this.#queue.length);
      this.#queue = [];
    }
    this.#stopped = true;
    this.deps.metrics.forget(this.url);
  }
}

interface AlertmanagerSet {
  cfg: AlertmanagerConfig;
  groups: Map<string, TargetGroup>;
  loops: Map<string, SendLoop>;
  dropped: string[];
  /** The entry's HTTP client config (auth, OAuth2, TLS, proxy) as one client. */
  client: HttpClient;
}

/**
 * The notifier. `applyConfig` on every (re)load, `send` from the rule manager,
 * `updateTargets` from service discovery, `stop` at shutdown.
 */
export class AlertmanagerClient implements AlertSink {
  readonly #capacity: number;
  readonly #batch: number;
  readonly #drain: boolean;
  readonly #log: Logger;
  readonly #http: HttpClientDeps;
  readonly #metrics: NotifierMetrics;
  #sets = new Map<string, AlertmanagerSet>();
  #external = Labels.from({});
  #relabel: readonly RelabelConfig[] = [];

  constructor(opts: AlertmanagerClientOptions = {}) {
    this.#capacity = opts.queueCapacity ?? NOTIFIER_DEFAULTS.queueCapacity;
    this.#batch = opts.maxBatchSize ?? NOTIFIER_DEFAULTS.maxBatchSize;
    this.#drain = opts.drainOnShutdown ?? true;
    this.#log = opts.logger ?? nopLogger;
    this.#http = {
      ...opts.http,
      fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
      readFile: opts.readFile,
    };
    this.#metrics = new NotifierMetrics(
      opts.registry,
      this.#capacity,
      () => this.alertmanagers().length,
    );
  }

  /**
   * Applies `alerting` and the external labels. Entries are named `config-<i>` as in
   * Prometheus; their static targets take effect at once, discovered ones via
   * {@link updateTargets}. Loops of URLs that stay keep their queues.
   */
  applyConfig(c: NotifierConfig): void {
    this.#external = c.externalLabels instanceof Labels
      ? c.externalLabels
      : Labels.from(c.externalLabels ?? {});
    this.#relabel = c.alerting.alert_relabel_configs;
    const next = new Map<string, AlertmanagerSet>();
    c.alerting.alertmanagers.forEach((cfg, i) => {
      const name = `config-${i}`;
      const old = this.#sets.get(name);
      const set: AlertmanagerSet = {
        cfg,
        groups: new Map(),
        loops: old?.loops ?? new Map(),
        dropped: [],
        client: createHttpClient(cfg, this.#http),
      };
      for (const g of staticGroups(cfg)) set.groups.set(`static/${g.source}`, g);
      next.set(name, set);
    });
    const previous = this.#sets;
    this.#sets = next;
    for (const [name, set] of previous) if (!next.has(name)) this.#stopLoops(set.loops.values());
    for (const set of previous.values()) set.client.close();
    for (const name of next.keys()) this.#sync(name);
  }

  /** Replaces the discovered target groups of entry `setName` from discoverer `provider`. */
  updateTargets(setName: string, provider: string, groups: readonly TargetGroup[]): void {
    const set = this.#sets.get(setName);
    if (!set) return;
    for (const k of [...set.groups.keys()]) if (k.startsWith(`${provider}/`)) set.groups.delete(k);
    for (const g of groups) set.groups.set(`${provider}/${g.source}`, g);
    this.#sync(setName);
  }

  #sync(name: string): void {
    const set = this.#sets.get(name)!;
    const { active, dropped } = alertmanagerURLs(set.cfg, [...set.groups.values()]);
    set.dropped = dropped;
    const deps: LoopDeps = {
      cfg: set.cfg,
      capacity: this.#capacity,
      batch: this.#batch,
      metrics: this.#metrics,
      logger: this.#log,
      fetch: set.client.transportFetch,
      headers: set.client.headers,
    };
    const gone: SendLoop[] = [];
    for (const [url, loop] of set.loops) if (!active.includes(url)) gone.push(loop);
    for (const l of gone) set.loops.delete(l.url);
    this.#stopLoops(gone);
    for (const url of active) {
      const loop = set.loops.get(url);
      if (loop) loop.deps = deps;
      else set.loops.set(url, new SendLoop(url, deps));
    }
  }

  #stopLoops(loops: Iterable<SendLoop>): void {
    for (const l of loops) void l.stop(false);
  }

  /** Queues alerts for every Alertmanager; returns at once. */
  send(alerts: readonly Alert[]): void {
    const prepared: Alert[] = [];
    for (const a of alerts) {
      const p = prepareAlert(a, this.#external, this.#relabel);
      if (p) prepared.push(p);
    }
    if (prepared.length === 0) return;
    for (const set of this.#sets.values()) {
      const rules = set.cfg.alert_relabel_configs ?? [];
      const own = rules.length === 0 ? prepared : prepared.flatMap((a) => {
        const l = relabelLabels(a.labels, rules);
        return l && l.size > 0 ? [{ ...a, labels: l }] : [];
      });
      if (own.length === 0) continue;
      for (const loop of set.loops.values()) loop.add(own);
    }
  }

  /** URLs of the active Alertmanagers. */
  alertmanagers(): string[] {
    return [...new Set([...this.#sets.values()].flatMap((s) => [...s.loops.keys()]))];
  }

  /** URLs of the Alertmanagers dropped by `relabel_configs`. */
  droppedAlertmanagers(): string[] {
    return [...this.#sets.values()].flatMap((s) => s.dropped);
  }

  /** Alerts waiting for `url` (0 for an unknown URL). */
  queueLength(url: string): number {
    let n = 0;
    for (const s of this.#sets.values()) n += s.loops.get(url)?.length ?? 0;
    return n;
  }

  /** Resolves when every queue is empty and no request is in flight. */
  async idle(): Promise<void> {
    await Promise.all(
      [...this.#sets.values()].flatMap((s) => [...s.loops.values()].map((l) => l.idle())),
    );
  }

  /** Stops every loop, first sending what is queued unless `drainOnShutdown` is false. */
  async stop(): Promise<void> {
    const sets = [...this.#sets.values()];
    const loops = sets.flatMap((s) => [...s.loops.values()]);
    this.#sets = new Map();
    await Promise.all(loops.map((l) => l.stop(this.#drain)));
    for (const s of sets) s.client.close();
  }
}
