/**
 * A rule group: its rules evaluated in order at one interval, on a schedule shifted by a
 * stable per-group offset, with the outputs written to storage and stale markers for series
 * that a rule stopped producing.
 * @module
 */
import { Counter, Gauge, type Registry } from '../metrics/mod.ts';
import type { Labels } from '../model/labels.ts';
import type { Logger } from '../log/logger.ts';
import type { Alert, Clock, TimerHandle } from '../notify/mod.ts';
import type { Storage } from '../storage/mod.ts';
import { DuplicateSampleError, OutOfOrderSampleError, TooOldSampleError } from '../storage/mod.ts';
import { AlertingRule } from './alerting_rule.ts';
import { mergeRuleLabels, RecordingRule } from './recording_rule.ts';
import { type Rule, type RuleQueryFn, seriesKey } from './rule.ts';
import type { RuleGroupSpec } from './rule_file_types.ts';
import {
  DEFAULT_FOR_GRACE_PERIOD_MS,
  DEFAULT_FOR_OUTAGE_TOLERANCE_MS,
  restoreForState,
  type RestoreOptions,
} from './restore.ts';

/** The evaluation metrics, labelled `rule_group="<file>;<name>"` as in Prometheus. */
export class RuleMetrics {
  readonly evaluations: Counter<'rule_group'>;
  readonly failures: Counter<'rule_group'>;
  readonly missed: Counter<'rule_group'>;
  readonly iterations: Counter<'rule_group'>;
  readonly lastEvaluation: Gauge<'rule_group'>;
  readonly lastDuration: Gauge<'rule_group'>;
  readonly interval: Gauge<'rule_group'>;
  readonly rules: Gauge<'rule_group'>;
  readonly lastRestoreDuration: Gauge<'rule_group'>;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    const labelNames = ['rule_group'] as const;
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames, registers });
    const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames, registers });
    this.evaluations = counter(
      'beacon_rule_evaluations_total',
      'The total number of rule evaluations.',
    );
    this.failures = counter(
      'beacon_rule_evaluation_failures_total',
      'The total number of rule evaluation failures.',
    );
    this.missed = counter(
      'beacon_rule_group_iterations_missed_total',
      'The total number of rule group evaluations missed due to slow rule group evaluation.',
    );
    this.iterations = counter(
      'beacon_rule_group_iterations_total',
      'The total number of scheduled rule group evaluations, whether executed or missed.',
    );
    this.lastEvaluation = gauge(
      'beacon_rule_group_last_evaluation_timestamp_seconds',
      'The timestamp of the last rule group evaluation in seconds.',
    );
    this.lastDuration = gauge(
      'beacon_rule_group_last_duration_seconds',
      'The duration of the last rule group evaluation.',
    );
    this.interval = gauge(
      'beacon_rule_group_interval_seconds',
      'The interval of a rule group.',
    );
    this.rules = gauge('beacon_rule_group_rules', 'The number of rules.');
    this.lastRestoreDuration = gauge(
      'beacon_rule_group_last_restore_duration_seconds',
      'The duration of the last alert rules alerts restoration using the `ALERTS_FOR_STATE` series.',
    );
  }

  /** Drops the series of a removed group. */
  remove(key: string): void {
    for (
      const m of [
        this.evaluations,
        this.failures,
        this.missed,
        this.iterations,
        this.lastEvaluation,
        this.lastDuration,
        this.interval,
        this.rules,
        this.lastRestoreDuration,
      ]
    ) m.remove({ rule_group: key });
  }
}

/** What a group needs from its manager. */
export interface GroupDeps {
  readonly storage: Storage;
  readonly queryFn: RuleQueryFn;
  readonly logger: Logger;
  readonly metrics: RuleMetrics;
  readonly clock: Clock;
  readonly onAlerts: (alerts: Alert[]) => void;
  readonly externalURL: string;
  readonly externalLabels: Labels;
  /** `--rules.alert.resend-delay`, ms. */
  readonly resendDelay: number;
  /** Formats an expression for display (API, generator URL); identity when absent. */
  readonly formatExpr?: (expr: string) => string;
  /** Outage tolerance and grace period of the `for` state restore (Prometheus's defaults). */
  readonly restore?: RestoreOptions;
}

/** Defaults a group takes from the global config. */
export interface GroupDefaults {
  /** `global.evaluation_interval`, ms. */
  readonly evaluationInterval: number;
  /** `global.rule_query_offset`, ms. */
  readonly queryOffset?: number;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const encoder = new TextEncoder();

/** Prometheus's group hash: 64-bit FNV-1a over the file, a 0xff byte, and the name. */
export function groupHash(file: string, name: string): bigint {
  let h = FNV_OFFSET;
  const feed = (bytes: Iterable<number>) => {
    for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * FNV_PRIME);
  };
  feed(encoder.encode(file));
  feed([0xff]);
  feed(encoder.encode(name));
  return h;
}

/** `file;name`, the `rule_group` label value. */
export function groupKey(file: string, name: string): string {
  return `${file};${name}`;
}

function displayQuery(deps: GroupDeps, expr: string): string {
  if (!deps.formatExpr) return expr;
  try {
    return deps.formatExpr(expr);
  } catch {
    return expr;
  }
}

/** A running (or runnable) rule group. */
export class RuleGroup {
  readonly name: string;
  readonly file: string;
  readonly key: string;
  /** ms. */
  readonly interval: number;
  /** ms. */
  readonly queryOffset: number;
  readonly limit: number;
  readonly rules: Rule[];
  /** Seconds the last evaluation took. */
  evaluationTime = 0;
  /** Wall time (ms) the last evaluation started; 0 before the first. */
  lastEvaluation = 0;
  readonly signature: string;
  /** Per rule: the series it wrote at its last successful evaluation. */
  seriesInPreviousEval: Map<string, Labels>[];
  /** Series to mark stale at the next evaluation (rules removed by a reload). */
  staleSeries: Labels[] = [];
  /**
   * Whether the first run restores the alerts' `for` state (groups loaded at start-up). Until
   * it has, after the second scheduled evaluation, its alerting rules write no `ALERTS*` series.
   */
  shouldRestore = false;
  readonly #deps: GroupDeps;
  readonly #offset: bigint;
  #timer: TimerHandle | undefined;
  #staleTimer: TimerHandle | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #iterations = 0;

  constructor(spec: RuleGroupSpec, defaults: GroupDefaults, deps: GroupDeps) {
    this.name = spec.name;
    this.file = spec.file;
    this.key = groupKey(spec.file, spec.name);
    this.interval = spec.interval?.ms || defaults.evaluationInterval;
    this.queryOffset = spec.query_offset?.ms ?? defaults.queryOffset ?? 0;
    this.limit = spec.limit;
    this.#deps = deps;
    const log = deps.logger.with({ file: spec.file, group: spec.name });
    this.rules = spec.rules.map((r) => {
      const labels = mergeRuleLabels(spec.labels, r.labels);
      const query = displayQuery(deps, r.expr);
      return r.kind === 'recording'
        ? new RecordingRule(r, labels, query)
        : new AlertingRule(r, labels, query, log.with({ alert: r.alert }));
    });
    this.seriesInPreviousEval = this.rules.map(() => new Map());
    this.signature = JSON.stringify([
      this.interval,
      this.queryOffset,
      this.limit,
      this.rules.map((r) => r.signature),
    ]);
    this.#offset = groupHash(spec.file, spec.name) % BigInt(Math.max(1, this.interval) * 1e6);
  }

  /**
   * The evaluation time of the slot that `nowMs` falls in: aligned on the interval and shifted
   * by this group's offset (Prometheus computes in nanoseconds; times here are truncated to ms).
   */
  evalTimestamp(nowMs: number): number {
    const interval = BigInt(this.interval) * 1_000_000n;
    const adj = BigInt(Math.floor(nowMs)) * 1_000_000n - this.#offset;
    let rem = adj % interval;
    if (rem < 0n) rem += interval;
    const ns = adj - rem + this.#offset;
    const ms = ns / 1_000_000n;
    return Number(ns < 0n && ns % 1_000_000n !== 0n ? ms - 1n : ms);
  }

  /** Starts the schedule: the first evaluation at the next slot, then every interval. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const { clock, metrics } = this.#deps;
    metrics.interval.set({ rule_group: this.key }, this.interval / 1000);
    metrics.rules.set({ rule_group: this.key }, this.rules.length);
    if (this.shouldRestore) { for (const r of this.#alertingRules()) r.restored = false; }
    this.#schedule(this.evalTimestamp(clock.now()) + this.interval);
  }

  #schedule(at: number): void {
    const { clock } = this.#deps;
    this.#timer = clock.setTimer(() => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.#running = this.#iterate(at).finally(() => (this.#running = undefined));
    }, at - clock.now());
  }

  async #iterate(at: number): Promise<void> {
    const { metrics, clock } = this.#deps;
    metrics.iterations.inc({ rule_group: this.key });
    await this.evaluate(at);
    if (this.#stopped) return;
    // As Prometheus, restore after the second evaluation: by then recording rules the alerts
    // depend on have fresh values.
    if (this.shouldRestore && ++this.#iterations >= 2) {
      this.shouldRestore = false;
      await this.restoreForState(clock.now());
      if (this.#stopped) return;
    }
    let next = at + this.interval;
    const now = clock.now();
    if (now >= next) {
      // Slow evaluation: skip the slots that passed instead of catching up.
      const missed = Math.floor((now - at) / this.interval) - 1;
      if (missed > 0) {
        metrics.missed.inc({ rule_group: this.key }, missed);
        metrics.iterations.inc({ rule_group: this.key }, missed);
      }
      next = at + (missed + 1) * this.interval;
    }
    this.#schedule(next);
  }

  #alertingRules(): AlertingRule[] {
    return this.rules.filter((r) => r instanceof AlertingRule);
  }

  /**
   * Restores the `activeAt` of the alerting rules' active alerts from `ALERTS_FOR_STATE` as of
   * `nowMs`, then lets them write `ALERTS*` series. The schedule calls it once for a group with
   * {@link shouldRestore}; tests driving {@link evaluate} call it themselves.
   */
  async restoreForState(nowMs: number): Promise<void> {
    const { clock, metrics, storage, logger } = this.#deps;
    const started = clock.now();
    await restoreForState(this.#alertingRules(), storage, nowMs, {
      outageToleranceMs: this.#deps.restore?.outageToleranceMs ?? DEFAULT_FOR_OUTAGE_TOLERANCE_MS,
      gracePeriodMs: this.#deps.restore?.gracePeriodMs ?? DEFAULT_FOR_GRACE_PERIOD_MS,
    }, logger.with({ file: this.file, group: this.name }));
    metrics.lastRestoreDuration.set({ rule_group: this.key }, (clock.now() - started) / 1000);
  }

  /**
   * Stops the schedule and waits for a running evaluation. With `markStale`, the series this
   * group wrote get stale markers after two intervals (time for a renamed group to take over).
   */
  async stop(markStale = false): Promise<void> {
    this.#stopped = true;
    const { clock } = this.#deps;
    if (this.#timer) clock.clearTimer(this.#timer);
    if (this.#staleTimer) clock.clearTimer(this.#staleTimer);
    this.#timer = this.#staleTimer = undefined;
    await this.#running;
    if (!markStale) return;
    const at = clock.now();
    const series = this.seriesInPreviousEval.flatMap((m) => [...m.values()]);
    this.seriesInPreviousEval = this.rules.map(() => new Map());
    if (series.length === 0) return;
    this.#staleTimer = clock.setTimer(() => {
      this.#staleTimer = undefined;
      void this.#writeStale(series, at);
    }, 2 * this.interval);
  }

  async #writeStale(series: readonly Labels[], t: number): Promise<void> {
    const app = this.#deps.storage.appender();
    for (const l of series) {
      try {
        app.appendStale(0, l, t);
      } catch { /* another rule may own the series now */ }
    }
    try {
      await app.commit();
    } catch (e) {
      this.#deps.logger.warn('Writing stale markers failed', { group: this.name, err: String(e) });
    }
  }

  /** Evaluates every rule once at `ts` (ms), in order; each rule's output is committed. */
  async evaluate(ts: number): Promise<void> {
    const { clock, metrics, storage, logger } = this.#deps;
    const started = clock.now();
    const { queryFn } = this.#deps;
    const origin = { file: this.file, name: this.name };
    const ctx = {
      ts,
      queryOffset: this.queryOffset,
      limit: this.limit,
      queryFn: (expr: string, t: number) => queryFn(expr, t, origin),
      externalURL: this.#deps.externalURL,
      externalLabels: this.#deps.externalLabels,
    };
    const outT = ts - this.queryOffset;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      const t0 = clock.now();
      metrics.evaluations.inc({ rule_group: this.key });
      const finish = () => {
        rule.evaluationTime = (clock.now() - t0) / 1000;
        rule.lastEvaluation = t0;
      };
      let out;
      try {
        out = await rule.eval(ctx);
      } catch (e) {
        rule.health = 'err';
        rule.lastError = e instanceof Error ? e.message : String(e);
        metrics.failures.inc({ rule_group: this.key });
        logger.warn('Evaluating rule failed', {
          group: this.name,
          rule: rule.name,
          err: rule.lastError,
        });
        finish();
        continue;
      }
      rule.health = 'ok';
      rule.lastError = '';
      if (rule instanceof AlertingRule) {
        const alerts = rule.alertsToSend(
          ts,
          this.#deps.resendDelay,
          this.interval,
          this.#deps.externalURL,
        );
        if (alerts.length > 0) this.#deps.onAlerts(alerts);
      }
      // Each rule commits on its own, as in Prometheus, so a later rule of the group sees
      // an earlier rule's output at the same timestamp.
      const app = storage.appender();
      const returned = new Map<string, Labels>();
      let outOfOrder = 0, tooOld = 0, duplicates = 0;
      for (const s of out) {
        try {
          app.append(0, s.labels, s.t, s.v);
          returned.set(seriesKey(s.labels), s.labels);
        } catch (e) {
          rule.health = 'err';
          rule.lastError = e instanceof Error ? e.message : String(e);
          if (e instanceof OutOfOrderSampleError) outOfOrder++;
          else if (e instanceof TooOldSampleError) tooOld++;
          else if (e instanceof DuplicateSampleError) duplicates++;
          else logger.warn('Rule evaluation result discarded', { err: rule.lastError });
        }
      }
      if (outOfOrder + tooOld + duplicates > 0) {
        logger.warn('Error on ingesting results from rule evaluation', {
          rule: rule.name,
          out_of_order: outOfOrder,
          too_old: tooOld,
          duplicates,
        });
      }
      for (const [key, labels] of this.seriesInPreviousEval[i]) {
        if (returned.has(key)) continue;
        try {
          app.appendStale(0, labels, outT);
        } catch { /* expected when another rule now writes the series */ }
      }
      this.seriesInPreviousEval[i] = returned;
      try {
        await app.commit();
      } catch (e) {
        rule.health = 'err';
        rule.lastError = e instanceof Error ? e.message : String(e);
        logger.warn('Committing rule results failed', { rule: rule.name, err: rule.lastError });
      }
      finish();
    }
    if (this.staleSeries.length > 0) {
      await this.#writeStale(this.staleSeries, outT);
      this.staleSeries = [];
    }
    this.evaluationTime = (clock.now() - started) / 1000;
    this.lastEvaluation = started;
    metrics.lastDuration.set({ rule_group: this.key }, this.evaluationTime);
    metrics.lastEvaluation.set({ rule_group: this.key }, started / 1000);
  }

  /**
   * Takes over what `from` (the same group before a reload) knew: last evaluation, each
   * rule's previous series and alerts (rules matched by name and labels, in order), and stale
   * markers for the series of rules that no longer exist.
   */
  copyState(from: RuleGroup): void {
    this.evaluationTime = from.evaluationTime;
    this.lastEvaluation = from.lastEvaluation;
    const byIdentity = new Map<string, number[]>();
    from.rules.forEach((r, i) => {
      const l = byIdentity.get(r.identity) ?? [];
      l.push(i);
      byIdentity.set(r.identity, l);
    });
    this.rules.forEach((rule, i) => {
      const l = byIdentity.get(rule.identity);
      if (!l || l.length === 0) return;
      const fi = l.shift()!;
      this.seriesInPreviousEval[i] = from.seriesInPreviousEval[fi];
      const old = from.rules[fi];
      if (rule instanceof AlertingRule && old instanceof AlertingRule) {
        for (const [k, a] of old.active) rule.active.set(k, a);
      }
    });
    this.staleSeries = [...from.staleSeries];
    from.rules.forEach((r, fi) => {
      const l = byIdentity.get(r.identity);
      if (l && l.includes(fi)) this.staleSeries.push(...from.seriesInPreviousEval[fi].values());
    });
  }
}
