/**
 * The rule manager: runs the loaded rule groups, swaps them on reload while keeping the state
 * of unchanged rules (pending and firing alerts, series for staleness), and hands alerts that
 * need sending to the notifier.
 * @module
 */
import type { Registry } from '../metrics/mod.ts';
import { Labels } from '../model/labels.ts';
import { type Logger, nopLogger } from '../log/logger.ts';
import { type Alert, type Clock, systemClock } from '../notify/mod.ts';
import type { Storage } from '../storage/mod.ts';
import { AlertingRule } from './alerting_rule.ts';
import { type GroupDeps, groupKey, RuleGroup, RuleMetrics } from './group.ts';
import type { RuleQueryFn } from './rule.ts';
import type { RuleGroupSpec } from './rule_file_types.ts';
import { DEFAULT_FOR_GRACE_PERIOD_MS, DEFAULT_FOR_OUTAGE_TOLERANCE_MS } from './restore.ts';

/** Prometheus's `--rules.alert.resend-delay` default. */
export const DEFAULT_RESEND_DELAY_MS = 60_000;

/** Options of {@link RuleManager}. */
export interface RuleManagerOptions {
  readonly storage: Storage;
  readonly queryFn: RuleQueryFn;
  readonly logger?: Logger;
  readonly registry?: Registry;
  /** Receives alerts to send (e.g. the Alertmanager client's or the router's `send`). */
  readonly onAlerts?: (alerts: Alert[]) => void;
  readonly externalURL?: string;
  readonly externalLabels?: Labels | Readonly<Record<string, string>>;
  /** Resend delay, ms (default 1m). */
  readonly resendDelay?: number;
  /** Formats an expression for the API and generator URLs (the PromQL parser's printer). */
  readonly formatExpr?: (expr: string) => string;
  /** Time and timers; tests pass a `ManualClock`. */
  readonly clock?: Clock;
  /**
   * How far back (ms) `ALERTS_FOR_STATE` is read to restore alerts' `for` state at start-up:
   * alerts from before a longer outage start waiting afresh (Prometheus's
   * `--rules.alert.for-outage-tolerance`, default 1h).
   */
  readonly forOutageToleranceMs?: number;
  /**
   * The least time (ms) a restored alert still waits before firing; rules with a shorter `for`
   * are not restored (Prometheus's `--rules.alert.for-grace-period`, default 10m).
   */
  readonly forGracePeriodMs?: number;
}

/** Settings of one {@link RuleManager.update}. */
export interface RuleUpdateOptions {
  /** `global.evaluation_interval`, ms. */
  readonly evaluationInterval: number;
  /** `global.rule_query_offset`, ms (default 0). */
  readonly queryOffset?: number;
  /** New external labels (from a reloaded config). */
  readonly externalLabels?: Labels | Readonly<Record<string, string>>;
  /** A new external URL. */
  readonly externalURL?: string;
  /** Start the groups' schedules (default true); tests drive `evaluate` themselves. */
  readonly start?: boolean;
}

const toLabels = (l: Labels | Readonly<Record<string, string>> | undefined) =>
  l instanceof Labels ? l : Labels.from(l ?? {});

/** Runs rule groups; see the module doc. */
export class RuleManager {
  readonly #opts: RuleManagerOptions;
  readonly #metrics: RuleMetrics;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #groups = new Map<string, RuleGroup>();
  #retiring = new Set<RuleGroup>();
  #externalLabels: Labels;
  #externalURL: string;
  #queue: Promise<void> = Promise.resolve();
  /** Whether the start-up rules were loaded; groups loaded later do not restore `for` state. */
  #restored = false;

  constructor(opts: RuleManagerOptions) {
    this.#opts = opts;
    this.#metrics = new RuleMetrics(opts.registry);
    this.#clock = opts.clock ?? systemClock;
    this.#logger = opts.logger ?? nopLogger;
    this.#externalLabels = toLabels(opts.externalLabels);
    this.#externalURL = opts.externalURL ?? '';
  }

  /**
   * Replaces the running groups with `specs` (already validated; on load errors keep the old
   * rules by not calling this). Unchanged groups keep running untouched; changed groups take
   * over the state of the same-named group; removed groups get their series marked stale.
   */
  update(specs: readonly RuleGroupSpec[], opts: RuleUpdateOptions): Promise<void> {
    const run = this.#queue.then(() => this.#update(specs, opts));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #update(specs: readonly RuleGroupSpec[], opts: RuleUpdateOptions): Promise<void> {
    if (opts.externalLabels !== undefined) this.#externalLabels = toLabels(opts.externalLabels);
    if (opts.externalURL !== undefined) this.#externalURL = opts.externalURL;
    const deps: GroupDeps = {
      storage: this.#opts.storage,
      queryFn: this.#opts.queryFn,
      logger: this.#logger,
      metrics: this.#metrics,
      clock: this.#clock,
      onAlerts: (alerts) => this.#send(alerts),
      externalURL: this.#externalURL,
      externalLabels: this.#externalLabels,
      resendDelay: this.#opts.resendDelay ?? DEFAULT_RESEND_DELAY_MS,
      formatExpr: this.#opts.formatExpr,
      restore: {
        outageToleranceMs: this.#opts.forOutageToleranceMs ?? DEFAULT_FOR_OUTAGE_TOLERANCE_MS,
        gracePeriodMs: this.#opts.forGracePeriodMs ?? DEFAULT_FOR_GRACE_PERIOD_MS,
      },
    };
    const defaults = {
      evaluationInterval: opts.evaluationInterval,
      queryOffset: opts.queryOffset ?? 0,
    };
    const old = this.#groups;
    const next = new Map<string, RuleGroup>();
    const starts: RuleGroup[] = [];
    for (const spec of specs) {
      const key = groupKey(spec.file, spec.name);
      if (next.has(key)) continue; // the loader rejects duplicates; be safe anyway
      const g = new RuleGroup(spec, defaults, deps);
      g.shouldRestore = !this.#restored;
      const prev = old.get(key);
      old.delete(key);
      if (prev && prev.signature === g.signature) {
        next.set(key, prev);
        continue;
      }
      if (prev) {
        await prev.stop();
        g.copyState(prev);
      }
      next.set(key, g);
      starts.push(g);
    }
    for (const [key, g] of old) {
      this.#retiring.add(g);
      await g.stop(true);
      this.#clock.setTimer(() => this.#retiring.delete(g), 2 * g.interval + 1);
      this.#metrics.remove(key);
    }
    this.#groups = next;
    this.#restored = true;
    if (opts.start !== false) { for (const g of starts) g.start(); }
  }

  #send(alerts: Alert[]): void {
    try {
      this.#opts.onAlerts?.(alerts);
    } catch (e) {
      this.#logger.warn('Sending alerts failed', { err: String(e) });
    }
  }

  /** The groups, sorted by file then name as Prometheus lists them. */
  groups(): RuleGroup[] {
    return [...this.#groups.values()].sort((a, b) =>
      a.file === b.file
        ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
        : a.file < b.file
        ? -1
        : 1
    );
  }

  /** Every alerting rule of every group. */
  alertingRules(): AlertingRule[] {
    return this.groups().flatMap((g) => g.rules.filter((r) => r instanceof AlertingRule));
  }

  /** Stops every group (no stale markers, as on shutdown) and waits for running evaluations. */
  async stop(): Promise<void> {
    await this.#queue;
    const all = [...this.#groups.values(), ...this.#retiring];
    this.#groups = new Map();
    this.#retiring.clear();
    await Promise.all(all.map((g) => g.stop()));
  }
}
