/**
 * Beacon's built-in Alertmanager: alerts are routed to aggregation groups, each group
 * notifies its receiver `group_wait` after it appears and then every `group_interval` (when
 * something changed, or after `repeat_interval`), with inhibited and silenced alerts removed,
 * duplicates suppressed by the notification log and failed sends retried with backoff.
 * @module
 */
import type { Labels } from '../model/mod.ts';
import { Counter, Gauge, type Registry } from '../metrics/mod.ts';
import { type Logger, nopLogger } from '../log/logger.ts';
import { type Alert, fingerprint, isResolved } from './alert.ts';
import { type Clock, systemClock, type TimerHandle } from './clock.ts';
import { Inhibitor, type InhibitRule } from './inhibit.ts';
import {
  type Integration,
  integrationName,
  notifyWithRetry,
  type RetryOptions,
} from './integration.ts';
import { needsUpdate, NotificationLog } from './nflog.ts';
import { groupKey, type Route } from './route.ts';
import type { Silences } from './silences.ts';
import type { IntervalPredicate } from './time_interval.ts';

/** Something alerts can be handed to: the Alertmanager client or the built-in dispatcher. */
export interface AlertSink {
  send(alerts: readonly Alert[]): void;
}

/** What the dispatcher needs. */
export interface DispatcherOptions {
  route: Route;
  /** Receivers by name, each with its integrations. */
  receivers: ReadonlyMap<string, readonly Integration[]>;
  inhibitRules?: readonly InhibitRule[];
  silences?: Silences;
  nflog?: NotificationLog;
  /** Named time intervals for `mute_time_intervals` / `active_time_intervals`. */
  timeIntervals?: ReadonlyMap<string, IntervalPredicate>;
  clock?: Clock;
  logger?: Logger;
  externalURL?: string;
  /** End given to alerts that arrive without one; Alertmanager's `resolve_timeout`, 5m. */
  resolveTimeoutMs?: number;
  /** Shared across reloads; create once with the runtime's registry. */
  metrics?: DispatcherMetrics;
  retry?: RetryOptions;
}

/** An alert's state in the dispatcher, as Alertmanager's API reports it. */
export interface AlertState {
  alert: Alert;
  fingerprint: string;
  /** When the dispatcher last received the alert (ms). */
  updatedAt: number;
  receivers: string[];
  state: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  inhibitedBy: string[];
  mutedBy: string[];
}

/** A snapshot of one aggregation group. */
export interface GroupState {
  key: string;
  receiver: string;
  labels: Labels;
  alerts: Alert[];
}

/** Alertmanager's floor for a flush's deadline (`notify.MinTimeout`). */
const MIN_TIMEOUT_MS = 10_000;
const MAINTENANCE_MS = 15 * 60_000;

class AggregationGroup {
  readonly alerts = new Map<string, Alert>();
  timer: TimerHandle | undefined;
  hasFlushed = false;
  chain: Promise<void> = Promise.resolve();
  constructor(readonly route: Route, readonly labels: Labels, readonly key: string) {}
}

/** The dispatcher. Call {@link Dispatcher.stop} to cancel its timers. */
export class Dispatcher implements AlertSink {
  readonly #o: DispatcherOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #nflog: NotificationLog;
  readonly #inhibitor: Inhibitor;
  readonly #alerts = new Map<string, Alert>();
  readonly #updated = new Map<string, number>();
  readonly #groups = new Map<string, AggregationGroup>();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #stopper = new AbortController();
  #maintenance: TimerHandle | undefined;
  readonly #m: DispatcherMetrics;

  constructor(opts: DispatcherOptions) {
    this.#o = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.logger ?? nopLogger;
    this.#nflog = opts.nflog ?? new NotificationLog({ clock: this.#clock });
    this.#inhibitor = new Inhibitor(
      opts.inhibitRules ?? [],
      () => this.#alerts.values(),
      () => this.#clock.now(),
    );
    this.#m = opts.metrics ?? new DispatcherMetrics();
    this.#m.source = { groups: () => this.#groups.size, alerts: () => this.#countAlerts() };
    for (const list of opts.receivers.values()) {
      for (const i of list) {
        this.#m.notifications.labels({ integration: i.type });
        this.#m.failed.labels({ integration: i.type });
      }
    }
    this.#scheduleMaintenance();
  }

  /** Takes alerts from the rule manager (or an API); never blocks on notifications. */
  send(alerts: readonly Alert[]): void {
    if (this.#stopper.signal.aborted) return;
    const now = this.#clock.now();
    const timeout = this.#o.resolveTimeoutMs ?? 5 * 60_000;
    for (let a of alerts) {
      if (a.startsAt === 0 || a.endsAt === 0) {
        a = {
          ...a,
          startsAt: a.startsAt || (a.endsAt && a.endsAt < now ? a.endsAt : now),
          endsAt: a.endsAt || now + timeout,
        };
      }
      const fp = fingerprint(a.labels);
      const old = this.#alerts.get(fp);
      if (old && overlaps(old, a)) a = { ...a, startsAt: Math.min(old.startsAt, a.startsAt) };
      this.#alerts.set(fp, a);
      this.#updated.set(fp, now);
      for (const route of this.#o.route.match(a.labels)) this.#insert(route, fp, a, now);
    }
  }

  #insert(route: Route, fp: string, a: Alert, now: number): void {
    const labels = route.groupLabels(a.labels);
    const key = groupKey(route, labels);
    const id = `${route.id}\u0000${key}`;
    let g = this.#groups.get(id);
    if (!g) {
      g = new AggregationGroup(route, labels, key);
      this.#groups.set(id, g);
      this.#arm(id, g, route.groupWaitMs);
    }
    g.alerts.set(fp, a);
    // An alert that started long ago should not wait for group_wait again.
    if (!g.hasFlushed && a.startsAt + route.groupWaitMs < now) this.#arm(id, g, 0);
  }

  #arm(id: string, g: AggregationGroup, ms: number): void {
    if (g.timer) this.#clock.clearTimer(g.timer);
    g.timer = this.#clock.setTimer(() => this.#onTimer(id, g), ms);
  }

  #onTimer(id: string, g: AggregationGroup): void {
    g.hasFlushed = true;
    this.#arm(id, g, g.route.groupIntervalMs);
    const p = g.chain.then(() => this.#flush(id, g));
    g.chain = p.catch(() => {});
    this.#track(p);
  }

  #track(p: Promise<unknown>): void {
    const q = p.catch((e) => this.#log.error('notification flush failed', { err: String(e) }));
    this.#inflight.add(q);
    q.finally(() => this.#inflight.delete(q));
  }

  async #flush(id: string, g: AggregationGroup): Promise<void> {
    if (g.alerts.size === 0) return this.#drop(id, g);
    const now = this.#clock.now();
    const snapshot = [...g.alerts.entries()].sort(([, a], [, b]) =>
      a.startsAt - b.startsAt || a.labels.compare(b.labels)
    );
    // As in Alertmanager, firing alerts are notified without their (predicted) end.
    const out = snapshot.map(([, a]) => (isResolved(a, now) ? a : { ...a, endsAt: 0 }));
    const ok = await this.#notify(g, out, now);
    if (!ok) return;
    for (const [fp, a] of snapshot) {
      if (isResolved(a, now) && g.alerts.get(fp) === a) g.alerts.delete(fp);
    }
    if (g.alerts.size === 0) this.#drop(id, g);
    this.#collectResolved();
  }

  #drop(id: string, g: AggregationGroup): void {
    if (g.timer) this.#clock.clearTimer(g.timer);
    g.timer = undefined;
    if (this.#groups.get(id) === g) this.#groups.delete(id);
  }

  #collectResolved(): void {
    const now = this.#clock.now();
    const held = new Set<string>();
    for (const g of this.#groups.values()) for (const fp of g.alerts.keys()) held.add(fp);
    for (const [fp, a] of this.#alerts) {
      if (isResolved(a, now) && !held.has(fp)) {
        this.#alerts.delete(fp);
        this.#updated.delete(fp);
      }
    }
  }

  #timeMuted(route: Route, now: number): boolean {
    const ti = this.#o.timeIntervals ?? new Map();
    if (route.muteTimeIntervals.some((n) => ti.get(n)?.(now))) return true;
    if (route.activeTimeIntervals.length === 0) return false;
    return !route.activeTimeIntervals.some((n) => ti.get(n)?.(now));
  }

  #muted(labels: Labels): boolean {
    if (this.#inhibitor.mutedBy(labels).length > 0) return true;
    return (this.#o.silences?.mutes(labels).length ?? 0) > 0;
  }

  /** Runs the receiver's pipeline; true when every integration succeeded (or had nothing to do). */
  async #notify(g: AggregationGroup, all: Alert[], now: number): Promise<boolean> {
    if (this.#timeMuted(g.route, now)) return true;
    const alerts = all.filter((a) => !this.#muted(a.labels));
    if (alerts.length === 0) return true;
    const integrations = this.#o.receivers.get(g.route.receiver) ?? [];
    const firing = new Set<string>(), resolved = new Set<string>();
    for (const a of alerts) (isResolved(a, now) ? resolved : firing).add(fingerprint(a.labels));
    const deadline = new AbortController();
    const timer = this.#clock.setTimer(
      () => deadline.abort(new Error('notification deadline exceeded')),
      Math.max(g.route.groupIntervalMs, MIN_TIMEOUT_MS),
    );
    const onStop = () => deadline.abort(new Error('dispatcher stopped'));
    this.#stopper.signal.addEventListener('abort', onStop, { once: true });
    try {
      const results = await Promise.all(integrations.map(async (i) => {
        const key = {
          groupKey: g.key,
          receiver: g.route.receiver,
          integration: integrationName(i),
        };
        const n = i.notifier;
        const entry = this.#nflog.get(key);
        if (!needsUpdate(entry, firing, resolved, n.sendResolved, g.route.repeatIntervalMs, now)) {
          return true;
        }
        const toSend = n.sendResolved ? alerts : alerts.filter((a) => !isResolved(a, now));
        if (toSend.length > 0) {
          const ctx = {
            receiver: g.route.receiver,
            groupKey: g.key,
            groupLabels: g.labels,
            externalURL: this.#o.externalURL ?? '',
            now,
            signal: deadline.signal,
          };
          const r = await notifyWithRetry(n, ctx, toSend, this.#clock, this.#o.retry);
          const l = { integration: i.type };
          this.#m.requests.labels(l).inc(r.attempts);
          this.#m.notifications.labels(l).inc();
          if (!r.ok) {
            this.#m.requestsFailed.labels(l).inc(r.attempts);
            this.#m.failed.labels(l).inc();
            this.#log.error('notify failed', {
              receiver: g.route.receiver,
              integration: integrationName(i),
              attempts: r.attempts,
              err: r.error?.message,
            });
            return false;
          }
          if (r.attempts > 1) this.#m.requestsFailed.labels(l).inc(r.attempts - 1);
        }
        this.#nflog.log(key, [...firing], [...resolved]);
        return true;
      }));
      return results.every(Boolean);
    } finally {
      this.#clock.clearTimer(timer);
      this.#stopper.signal.removeEventListener('abort', onStop);
    }
  }

  #countAlerts(): { active: number; suppressed: number } {
    let active = 0, suppressed = 0;
    const now = this.#clock.now();
    for (const a of this.#alerts.values()) {
      if (isResolved(a, now)) continue;
      if (this.#muted(a.labels)) suppressed++;
      else active++;
    }
    return { active, suppressed };
  }

  #scheduleMaintenance(): void {
    this.#maintenance = this.#clock.setTimer(() => {
      this.#nflog.gc();
      this.#o.silences?.gc();
      this.#collectResolved();
      this.#scheduleMaintenance();
    }, MAINTENANCE_MS);
  }

  /** The alerts the dispatcher knows, with their receivers and mute state. */
  alerts(): AlertState[] {
    const now = this.#clock.now();
    const out: AlertState[] = [];
    for (const [fp, a] of this.#alerts) {
      const silencedBy = this.#o.silences?.mutes(a.labels) ?? [];
      const inhibitedBy = this.#inhibitor.mutedBy(a.labels);
      const routes = this.#o.route.match(a.labels);
      const mutedBy = routes.flatMap((r) =>
        this.#timeMuted(r, now) ? [...r.muteTimeIntervals, ...r.activeTimeIntervals] : []
      );
      out.push({
        alert: a,
        fingerprint: fp,
        updatedAt: this.#updated.get(fp) ?? now,
        receivers: [...new Set(routes.map((r) => r.receiver))],
        state: isResolved(a, now)
          ? 'unprocessed'
          : silencedBy.length || inhibitedBy.length || mutedBy.length
          ? 'suppressed'
          : 'active',
        silencedBy,
        inhibitedBy,
        mutedBy,
      });
    }
    return out;
  }

  /** The receivers' names. */
  receiverNames(): string[] {
    return [...this.#o.receivers.keys()];
  }

  /** The current aggregation groups. */
  groups(): GroupState[] {
    return [...this.#groups.values()].map((g) => ({
      key: g.key,
      receiver: g.route.receiver,
      labels: g.labels,
      alerts: [...g.alerts.values()],
    }));
  }

  /** Resolves when every flush started so far has finished. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
  }

  /** Cancels timers and in-flight retries; alerts are kept no longer. */
  async stop(): Promise<void> {
    this.#stopper.abort();
    if (this.#maintenance) this.#clock.clearTimer(this.#maintenance);
    for (const [id, g] of this.#groups) this.#drop(id, g);
    await this.idle();
  }
}

function overlaps(old: Alert, a: Alert): boolean {
  return (a.endsAt > old.startsAt && a.endsAt < old.endsAt) ||
    (a.startsAt >= old.startsAt && a.startsAt <= old.endsAt);
}

/**
 * The built-in router's metrics. Create one per registry and pass it to every dispatcher
 * (a reload makes a new dispatcher; the metrics continue).
 */
export class DispatcherMetrics {
  readonly notifications: Counter<'integration'>;
  readonly failed: Counter<'integration'>;
  readonly requests: Counter<'integration'>;
  readonly requestsFailed: Counter<'integration'>;
  /** The live dispatcher the gauges read. */
  source: { groups(): number; alerts(): { active: number; suppressed: number } } | undefined;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    const labelNames = ['integration'] as const;
    this.notifications = new Counter({
      name: 'beacon_notify_notifications_total',
      help: 'Notifications attempted by the built-in router, per integration type.',
      labelNames,
      registers,
    });
    this.failed = new Counter({
      name: 'beacon_notify_notifications_failed_total',
      help: 'Notifications that failed after all retries, per integration type.',
      labelNames,
      registers,
    });
    this.requests = new Counter({
      name: 'beacon_notify_notification_requests_total',
      help: 'Requests sent to notification integrations (retries included).',
      labelNames,
      registers,
    });
    this.requestsFailed = new Counter({
      name: 'beacon_notify_notification_requests_failed_total',
      help: 'Requests to notification integrations that failed.',
      labelNames,
      registers,
    });
    const source = () => this.source;
    new Gauge({
      name: 'beacon_notify_aggregation_groups',
      help: 'Aggregation groups of the built-in router.',
      registers,
      collect() {
        this.set(source()?.groups() ?? 0);
      },
    });
    new Gauge({
      name: 'beacon_notify_alerts',
      help: 'Alerts known to the built-in router, by state.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const c = source()?.alerts() ?? { active: 0, suppressed: 0 };
        this.set({ state: 'active' }, c.active);
        this.set({ state: 'suppressed' }, c.suppressed);
      },
    });
  }
}
