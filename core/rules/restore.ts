/**
 * Restoring alerts' `for` state after a restart, as Prometheus does: the `ALERTS_FOR_STATE`
 * series written before the restart hold each pending or firing alert's `activeAt`, so an alert
 * that was pending for a while does not start waiting for its full `for` again.
 * @module
 */
import { Matcher, METRIC_NAME } from '../model/mod.ts';
import type { Logger } from '../log/logger.ts';
import type { Storage } from '../storage/mod.ts';
import type { AlertingRule } from './alerting_rule.ts';
import { seriesKey } from './rule.ts';

/** Prometheus's `--rules.alert.for-outage-tolerance` default: 1h. */
export const DEFAULT_FOR_OUTAGE_TOLERANCE_MS = 3_600_000;

/** Prometheus's `--rules.alert.for-grace-period` default: 10m. */
export const DEFAULT_FOR_GRACE_PERIOD_MS = 600_000;

/** The series name that records each active alert's `activeAt` (seconds) as its value. */
export const ALERTS_FOR_STATE = 'ALERTS_FOR_STATE';

/** Tuning of {@link restoreForState}. */
export interface RestoreOptions {
  /** Only `ALERTS_FOR_STATE` samples this recent (ms before the restore) are considered. */
  readonly outageToleranceMs: number;
  /** The least time an alert still has to wait after a restore; shorter `for`s are not restored. */
  readonly gracePeriodMs: number;
}

/**
 * The `activeAt` (ms) to give an alert restored at `nowMs`, from the last `ALERTS_FOR_STATE`
 * sample before the outage: its time `downAtMs` and its value `activeAtSec`.
 *
 * The time it had already spent pending counts; the outage does not. An alert that was firing
 * keeps its `activeAt`; one that would fire sooner than the grace period waits the grace period.
 */
export function restoredActiveAt(
  activeAtSec: number,
  downAtMs: number,
  holdMs: number,
  gracePeriodMs: number,
  nowMs: number,
): number {
  // Prometheus reads both times at a resolution of seconds.
  const downAt = Math.trunc(downAtMs / 1000) * 1000;
  const activeAt = Math.trunc(activeAtSec) * 1000;
  const remaining = holdMs - (downAt - activeAt);
  if (remaining <= 0) return activeAt;
  if (remaining < gracePeriodMs) return nowMs + gracePeriodMs - holdMs;
  return activeAt + (nowMs - downAt);
}

/**
 * Restores the `activeAt` of the active alerts of `rules` from `ALERTS_FOR_STATE` in
 * [`nowMs` − outage tolerance, `nowMs`], then marks every rule restored so its `ALERTS` and
 * `ALERTS_FOR_STATE` series are written from then on. Failures are logged, never thrown: a rule
 * that cannot be restored simply waits its whole `for`.
 */
export async function restoreForState(
  rules: readonly AlertingRule[],
  storage: Storage,
  nowMs: number,
  opts: RestoreOptions,
  logger: Logger,
): Promise<void> {
  const q = storage.querier(nowMs - opts.outageToleranceMs, nowMs);
  try {
    for (const rule of rules) {
      try {
        await restoreRule(rule, q, nowMs, opts, logger);
      } catch (e) {
        logger.error("Failed to restore 'for' state", { alertname: rule.name, err: String(e) });
      }
      rule.restored = true;
    }
  } finally {
    q.close();
  }
}

async function restoreRule(
  rule: AlertingRule,
  q: ReturnType<Storage['querier']>,
  nowMs: number,
  opts: RestoreOptions,
  logger: Logger,
): Promise<void> {
  // A `for` shorter than the grace period is waited in full rather than stretched to it.
  if (rule.holdDuration < opts.gracePeriodMs) return;
  const active = rule.activeAlerts();
  if (active.length === 0) return;
  const matchers = [
    Matcher.create('=', METRIC_NAME, ALERTS_FOR_STATE),
    Matcher.create('=', 'alertname', rule.name),
  ];
  for (const [name, value] of rule.labels) {
    // Templated values only exist expanded in the series; the per-alert match below still
    // compares the full label set.
    if (name !== 'alertname' && !value.includes('{{')) {
      matchers.push(Matcher.create('=', name, value));
    }
  }
  const set = await q.select(matchers);
  const byLabels = new Map<string, { t: number; v: number; stale: boolean }>();
  for (const s of set) {
    const c = s.samples();
    const n = c.t.length;
    if (n === 0) continue;
    byLabels.set(seriesKey(s.labels.without(METRIC_NAME)), {
      t: c.t[n - 1],
      v: c.v[n - 1],
      stale: c.stale?.[n - 1] ? true : false,
    });
  }
  for (const a of active) {
    const last = byLabels.get(seriesKey(a.labels));
    // A stale marker last means the alert had resolved before the outage.
    if (!last || last.stale || !Number.isFinite(last.v)) continue;
    a.activeAt = restoredActiveAt(last.v, last.t, rule.holdDuration, opts.gracePeriodMs, nowMs);
    logger.debug("'for' state restored", {
      alertname: rule.name,
      restored_time: new Date(a.activeAt).toISOString(),
      labels: a.labels.toString(),
    });
  }
}
