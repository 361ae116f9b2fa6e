/**
 * What every evaluated rule shares: the injected query function, the evaluation context a
 * group hands its rules, the samples a rule produces, and its health bookkeeping.
 * @module
 */
import type { Labels } from '../model/labels.ts';

/** One sample of an instant query's result; a scalar result is one sample with empty labels. */
export interface InstantSample {
  readonly labels: Labels;
  readonly value: number;
}

/** The rule group a query runs for, as the query log names it. */
export interface RuleQueryOrigin {
  readonly file: string;
  readonly name: string;
}

/**
 * Runs a PromQL instant query at `timeMs` for the group `origin`. Core cannot import the
 * engine plugin, so the runtime adapts its engine to this shape.
 */
export type RuleQueryFn = (
  expr: string,
  timeMs: number,
  origin?: RuleQueryOrigin,
) => Promise<readonly InstantSample[]>;

/** Prometheus's rule health values. */
export type RuleHealth = 'unknown' | 'ok' | 'err';

/** What a group passes to each rule it evaluates. */
export interface RuleEvalContext {
  /** The group's evaluation time (ms). */
  readonly ts: number;
  /** Queries run at `ts - queryOffset`, and output samples carry that time. */
  readonly queryOffset: number;
  /** Series or alerts the rule may produce; 0 is no limit. */
  readonly limit: number;
  readonly queryFn: RuleQueryFn;
  readonly externalURL: string;
  readonly externalLabels: Labels;
}

/** A sample a rule wants written to storage. */
export interface OutputSample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

/** A rule as a group runs it. */
export interface Rule {
  readonly kind: 'recording' | 'alerting';
  /** The record or alert name. */
  readonly name: string;
  /** The rule's labels (group labels merged in, the rule's own winning). */
  readonly labels: Labels;
  /** The expression as shown by the API and in generator URLs. */
  readonly query: string;
  health: RuleHealth;
  lastError: string;
  /** Seconds the last evaluation took. */
  evaluationTime: number;
  /** Wall time (ms) the last evaluation started; 0 before the first. */
  lastEvaluation: number;
  /** Evaluates at `ctx.ts`; throws with Prometheus's wording on failure. */
  eval(ctx: RuleEvalContext): Promise<OutputSample[]>;
  /** Identity across reloads: Prometheus matches rules by name and labels. */
  readonly identity: string;
  /** The whole definition; equal signatures mean an unchanged rule. */
  readonly signature: string;
}

/** A series key for maps of label sets (exact, unlike a hash). */
export function seriesKey(labels: Labels): string {
  return labels.flat.join('\u00ff');
}
