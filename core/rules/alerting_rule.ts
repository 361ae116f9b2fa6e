/**
 * Alerting rules: each sample of the expression's result is an alert that moves through
 * Prometheus's inactive → pending → firing states, is kept for 15 minutes once resolved so the
 * resolution is re-sent, and is exposed as the `ALERTS` and `ALERTS_FOR_STATE` series.
 * @module
 */
import { Labels, METRIC_NAME } from '../model/labels.ts';
import { type Alert, newAlert } from '../notify/mod.ts';
import { alertTemplateData, expandAlertTemplate, queryEscape } from '../template/mod.ts';
import type { Logger } from '../log/logger.ts';
import type { AlertingRuleSpec } from './rule_file_types.ts';
import {
  type OutputSample,
  type Rule,
  type RuleEvalContext,
  type RuleHealth,
  seriesKey,
} from './rule.ts';

/** An alert's state; `inactive` alerts are resolved ones still kept for re-sending. */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** A rule's state: its highest alert state, `unknown` before the first evaluation. */
export type AlertingRuleState = AlertState | 'unknown';

/** How long a resolved alert is kept (and re-sent), as Prometheus's `resolvedRetention`. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/** Prometheus's error for two results that the alert labels made identical. */
export const DUPLICATE_ALERT_LABELSET =
  'vector contains metrics with the same labelset after applying alert labels';

/** One alert of a rule. Times are ms since the epoch; 0 means unset. */
export interface RuleAlert {
  state: AlertState;
  readonly labels: Labels;
  annotations: Labels;
  value: number;
  activeAt: number;
  firedAt: number;
  resolvedAt: number;
  lastSentAt: number;
  validUntil: number;
  keepFiringSince: number;
}

/** Whether Prometheus would send this alert now (`needsSending`). */
export function needsSending(a: RuleAlert, ts: number, resendDelayMs: number): boolean {
  if (a.state === 'pending') return false;
  if (a.resolvedAt > a.lastSentAt) return true;
  return a.lastSentAt + resendDelayMs < ts;
}

const RANK: Record<AlertState, number> = { inactive: 0, pending: 1, firing: 2 };

/** Prometheus's table link for an expression, appended to the external URL. */
export function tableLink(expr: string): string {
  return `/graph?g0.expr=${queryEscape(expr)}&g0.tab=1`;
}

/** An alerting rule, ready to evaluate; it owns its alerts' state. */
export class AlertingRule implements Rule {
  readonly kind = 'alerting';
  readonly name: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly query: string;
  readonly expr: string;
  /** `for`, ms. */
  readonly holdDuration: number;
  /** `keep_firing_for`, ms. */
  readonly keepFiringFor: number;
  health: RuleHealth = 'unknown';
  lastError = '';
  evaluationTime = 0;
  lastEvaluation = 0;
  readonly identity: string;
  readonly signature: string;
  /** Alerts by label-set key, including resolved ones still retained. */
  active = new Map<string, RuleAlert>();
  /**
   * Whether the `ALERTS` and `ALERTS_FOR_STATE` series are written. A group restoring `for`
   * state at start-up clears it until the restore has run (see `restore.ts`), as Prometheus does.
   */
  restored = true;
  readonly #logger: Logger | undefined;

  /** `labels` has the group's labels merged in; `query` is the displayed expression. */
  constructor(spec: AlertingRuleSpec, labels: Labels, query: string, logger?: Logger) {
    this.name = spec.alert;
    this.labels = labels;
    this.annotations = Labels.from(spec.annotations);
    this.expr = spec.expr;
    this.query = query;
    this.holdDuration = spec.for.ms;
    this.keepFiringFor = spec.keep_firing_for.ms;
    this.#logger = logger;
    this.identity = `${this.name}${labels.toString()}`;
    this.signature = JSON.stringify([
      'alert',
      spec.alert,
      spec.expr,
      this.holdDuration,
      this.keepFiringFor,
      labels.flat,
      this.annotations.flat,
    ]);
  }

  /** The highest state of its alerts (`inactive` when none; `unknown` before evaluating). */
  get state(): AlertingRuleState {
    if (this.lastEvaluation === 0) return 'unknown';
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) if (RANK[a.state] > RANK[s]) s = a.state;
    return s;
  }

  /** Alerts that are pending or firing (not the retained resolved ones). */
  activeAlerts(): RuleAlert[] {
    return [...this.active.values()].filter((a) => a.resolvedAt === 0);
  }

  async #expand(
    text: string,
    sample: Labels,
    value: number,
    ctx: RuleEvalContext,
  ): Promise<string> {
    const data = alertTemplateData(sample, ctx.externalLabels, ctx.externalURL, value);
    try {
      return await expandAlertTemplate(text, data, {
        name: `__alert_${this.name}`,
        query: ctx.queryFn,
        now: ctx.ts,
      });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.#logger?.warn('Expanding alert template failed', { err: msg, alert: this.name });
      return `<error expanding template: ${msg}>`;
    }
  }

  /** Evaluates at `ctx.ts`, updates the alerts and returns their `ALERTS*` samples. */
  async eval(ctx: RuleEvalContext): Promise<OutputSample[]> {
    const { ts } = ctx;
    const t = ts - ctx.queryOffset;
    const result = await ctx.queryFn(this.expr, t);
    const fresh = new Map<string, RuleAlert>();
    for (const s of result) {
      const b = s.labels.builder();
      b.del(METRIC_NAME);
      for (const [n, v] of this.labels) b.set(n, await this.#expand(v, s.labels, s.value, ctx));
      b.set('alertname', this.name);
      const ann: Record<string, string> = {};
      for (const [n, v] of this.annotations) {
        ann[n] = await this.#expand(v, s.labels, s.value, ctx);
      }
      const labels = b.labels();
      const key = seriesKey(labels);
      if (fresh.has(key)) throw new Error(DUPLICATE_ALERT_LABELSET);
      fresh.set(key, {
        state: 'pending',
        labels,
        annotations: Labels.from(ann),
        value: s.value,
        activeAt: ts,
        firedAt: 0,
        resolvedAt: 0,
        lastSentAt: 0,
        validUntil: 0,
        keepFiringSince: 0,
      });
    }
    for (const [key, a] of fresh) {
      const old = this.active.get(key);
      if (old && old.state !== 'inactive') {
        old.value = a.value;
        old.annotations = a.annotations;
        continue;
      }
      this.active.set(key, a);
    }
    const out: OutputSample[] = [];
    let counted = 0;
    for (const [key, a] of [...this.active]) {
      if (!fresh.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.keepFiringFor > 0) {
          if (a.keepFiringSince === 0) a.keepFiringSince = ts;
          if (ts - a.keepFiringSince < this.keepFiringFor) keepFiring = true;
        }
        if (
          a.state === 'pending' || (a.resolvedAt !== 0 && ts - a.resolvedAt > RESOLVED_RETENTION_MS)
        ) {
          this.active.delete(key);
        }
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAt = ts;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSince = 0;
      }
      counted++;
      if (a.state === 'pending' && ts - a.activeAt >= this.holdDuration) {
        a.state = 'firing';
        a.firedAt = ts;
      }
      if (a.state === 'firing' && ts - a.activeAt < this.holdDuration) {
        // The hold duration was raised by a reload: the alert has to wait again.
        a.state = 'pending';
        a.firedAt = 0;
        a.lastSentAt = 0;
        a.keepFiringSince = 0;
      }
      if (this.restored) out.push(...this.#samples(a, t));
    }
    if (ctx.limit > 0 && counted > ctx.limit) {
      this.active = new Map();
      throw new Error(`exceeded limit of ${ctx.limit} with ${counted} alerts`);
    }
    return out;
  }

  #samples(a: RuleAlert, t: number): OutputSample[] {
    const alerts = a.labels.builder().set(METRIC_NAME, 'ALERTS').set('alertstate', a.state);
    const forState = a.labels.builder().set(METRIC_NAME, 'ALERTS_FOR_STATE');
    return [
      { labels: alerts.labels(), t, v: 1 },
      { labels: forState.labels(), t, v: Math.floor(a.activeAt / 1000) },
    ];
  }

  /**
   * The alerts to send at `ts`, as Prometheus's `sendAlerts` and `SendAlerts` pick and shape
   * them; marks them sent.
   */
  alertsToSend(
    ts: number,
    resendDelayMs: number,
    intervalMs: number,
    externalURL: string,
  ): Alert[] {
    const out: Alert[] = [];
    const generatorURL = externalURL + tableLink(this.query);
    for (const a of this.active.values()) {
      if (!needsSending(a, ts, resendDelayMs)) continue;
      a.lastSentAt = ts;
      a.validUntil = ts + 4 * Math.max(resendDelayMs, intervalMs);
      out.push(newAlert({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.firedAt,
        endsAt: a.resolvedAt !== 0 ? a.resolvedAt : a.validUntil,
        generatorURL,
      }));
    }
    return out;
  }
}
