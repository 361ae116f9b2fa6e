/**
 * Recording rules: the result of an expression, renamed to the rule's `record` and relabelled,
 * becomes new series at each evaluation.
 * @module
 */
import { Labels, METRIC_NAME } from '../model/labels.ts';
import type { RecordingRuleSpec } from './rule_file_types.ts';
import {
  type OutputSample,
  type Rule,
  type RuleEvalContext,
  type RuleHealth,
  seriesKey,
} from './rule.ts';

/** Prometheus's error for two results that relabelling made identical. */
export const DUPLICATE_RECORDING_LABELSET =
  'vector contains metrics with the same labelset after applying rule labels';

/** A recording rule, ready to evaluate. */
export class RecordingRule implements Rule {
  readonly kind = 'recording';
  readonly name: string;
  readonly labels: Labels;
  readonly query: string;
  readonly expr: string;
  health: RuleHealth = 'unknown';
  lastError = '';
  evaluationTime = 0;
  lastEvaluation = 0;
  readonly identity: string;
  readonly signature: string;

  /**
   * `labels` is the rule's label set with the group's labels already merged in; `query`
   * is the expression as displayed (formatted), `spec.expr` is what is run.
   */
  constructor(spec: RecordingRuleSpec, labels: Labels, query: string) {
    this.name = spec.record;
    this.labels = labels;
    this.expr = spec.expr;
    this.query = query;
    this.identity = `${this.name}${labels.toString()}`;
    this.signature = JSON.stringify(['record', spec.record, spec.expr, labels.flat]);
  }

  /** Runs the query at `ts - queryOffset` and relabels each sample. */
  async eval(ctx: RuleEvalContext): Promise<OutputSample[]> {
    const t = ctx.ts - ctx.queryOffset;
    const result = await ctx.queryFn(this.expr, t);
    const out: OutputSample[] = [];
    const seen = new Set<string>();
    for (const s of result) {
      const b = s.labels.builder();
      b.set(METRIC_NAME, this.name);
      this.labels.forEach((n, v) => {
        if (v === '') b.del(n);
        else b.set(n, v);
      });
      const labels = b.labels();
      const key = seriesKey(labels);
      if (seen.has(key)) throw new Error(DUPLICATE_RECORDING_LABELSET);
      seen.add(key);
      out.push({ labels, t, v: s.value });
    }
    if (ctx.limit > 0 && out.length > ctx.limit) {
      throw new Error(`exceeded limit of ${ctx.limit} with ${out.length} series`);
    }
    return out;
  }
}

/** Merges group labels under a rule's own labels (the rule's win). */
export function mergeRuleLabels(
  groupLabels: Readonly<Record<string, string>>,
  ruleLabels: Readonly<Record<string, string>>,
): Labels {
  return Labels.from({ ...groupLabels, ...ruleLabels });
}
