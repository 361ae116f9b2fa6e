/**
 * `histogram_quantile` over classic histograms: buckets grouped by their labels without `le`,
 * with Prometheus's interpolation, coalescing, monotonicity fix and edge cases.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';
import { type Call, formatFloat, formatFloatV, type PosRange } from '../parser/mod.ts';
import { execError } from './errors.ts';
import { type Evaluator, mergeByLabels } from './evaluator.ts';
import { almostEqual } from './float_math.ts';
import { labelsKey } from './label_keys.ts';
import { emptySeries, type StepSeries, type Value } from './values.ts';

interface Bucket {
  upper: number;
  count: number;
}

/** Parses an `le` value as Go's `strconv.ParseFloat` would; undefined when malformed. */
export function parseLe(s: string): number | undefined {
  const t = s.trim();
  if (t !== s || t === '') return undefined;
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (m) return /nan/i.test(m[2]) ? NaN : m[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d[\d_]*\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t.replaceAll('_', ''));
  return Number.isNaN(n) ? undefined : n;
}

/** The quantile `q` of sorted, cumulative classic buckets; also whether counts were fixed. */
export function bucketQuantile(q: number, buckets: Bucket[]): [number, boolean] {
  if (Number.isNaN(q)) return [NaN, false];
  if (q < 0) return [-Infinity, false];
  if (q > 1) return [Infinity, false];
  buckets.sort((a, b) => a.upper - b.upper);
  if (buckets.length === 0 || buckets[buckets.length - 1].upper !== Infinity) return [NaN, false];
  // Coalesce equal upper bounds.
  const bs: Bucket[] = [];
  for (const b of buckets) {
    const last = bs[bs.length - 1];
    if (last !== undefined && last.upper === b.upper) last.count += b.count;
    else bs.push({ upper: b.upper, count: b.count });
  }
  let forced = false;
  let prev = bs[0].count;
  for (let i = 1; i < bs.length; i++) {
    const cur = bs[i].count;
    if (cur === prev) continue;
    if (almostEqual(prev, cur, 1e-12)) {
      bs[i].count = prev;
      continue;
    }
    if (cur < prev) {
      bs[i].count = prev;
      forced = true;
      continue;
    }
    prev = cur;
  }
  if (bs.length < 2) return [NaN, forced];
  const observations = bs[bs.length - 1].count;
  if (observations === 0) return [NaN, forced];
  let rank = q * observations;
  let b = 0;
  while (b < bs.length - 1 && !(bs[b].count >= rank)) b++;
  if (b === bs.length - 1) return [bs[bs.length - 2].upper, forced];
  if (b === 0 && bs[0].upper <= 0) return [bs[0].upper, forced];
  let start = 0;
  const end = bs[b].upper;
  let count = bs[b].count;
  if (b > 0) {
    start = bs[b - 1].upper;
    count -= bs[b - 1].count;
    rank -= bs[b - 1].count;
  }
  return [start + (end - start) * (rank / count), forced];
}

/** The fraction of observations in `(lower, upper]` of classic buckets (sorted, cumulative). */
export function bucketFraction(lower: number, upper: number, buckets: Bucket[]): number {
  buckets.sort((a, b) => a.upper - b.upper);
  if (buckets.length === 0 || buckets[buckets.length - 1].upper !== Infinity) return NaN;
  const bs: Bucket[] = [];
  for (const b of buckets) {
    const last = bs[bs.length - 1];
    if (last !== undefined && last.upper === b.upper) last.count += b.count;
    else bs.push({ upper: b.upper, count: b.count });
  }
  for (let i = 1; i < bs.length; i++) bs[i].count = Math.max(bs[i].count, bs[i - 1].count);
  const count = bs[bs.length - 1].count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  // Cumulative count at x; inside a bucket of infinite width, the count at its finite edge.
  const rankAt = (x: number): number => {
    for (let i = 0; i < bs.length; i++) {
      const lo = i === 0 ? (bs[0].upper > 0 ? 0 : -Infinity) : bs[i - 1].upper;
      const hi = bs[i].upper;
      const before = i === 0 ? 0 : bs[i - 1].count;
      if (x <= lo) return before;
      if (x >= hi) continue;
      if (lo === -Infinity) return bs[i].count;
      if (hi === Infinity) return before;
      return before + (bs[i].count - before) * (x - lo) / (hi - lo);
    }
    return count;
  };
  return (rankAt(upper) - rankAt(lower)) / count;
}

interface Group {
  labels: Labels;
  members: { s: StepSeries; upper: number }[];
}

/** Groups bucket series by their labels without `le`; warns about series without a valid `le`. */
function bucketGroups(ev: Evaluator, input: Iterable<StepSeries>, pos: PosRange): Group[] {
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  for (const s of input) {
    const le = s.labels.get('le');
    const upper = parseLe(le);
    if (upper === undefined || !s.labels.has('le')) {
      ev.q.annotations.warn(
        `bucket label "le" is missing or has a malformed value of "${le}" for metric name "${
          s.labels.get('__name__')
        }"`,
        pos,
      );
      continue;
    }
    const labels = s.labels.without('le');
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels, members: [] };
      groups.set(key, g);
      order.push(g);
    }
    g.members.push({ s, upper });
  }
  return order;
}

function warnQuantiles(ev: Evaluator, qs: Float64Array, pos: PosRange): void {
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i];
    if (Number.isNaN(q) || q < 0 || q > 1) {
      ev.q.annotations.warn(
        `quantile value should be between 0 and 1, got ${formatFloatV(q)}`,
        pos,
      );
      return;
    }
  }
}

/** Evaluates `f(step, buckets)` per group and step into series labelled `labelsOf(group)`. */
function perGroup(
  ev: Evaluator,
  groups: Group[],
  labelsOf: (g: Group) => Labels,
  f: (i: number, buckets: Bucket[], g: Group) => number,
): StepSeries[] {
  const out: StepSeries[] = [];
  const buckets: Bucket[] = [];
  for (const g of groups) {
    const r = emptySeries(labelsOf(g), ev.steps, true);
    let any = false;
    for (let i = 0; i < ev.steps; i++) {
      buckets.length = 0;
      for (const m of g.members) {
        if (m.s.has[i] === 1) buckets.push({ upper: m.upper, count: m.s.vals[i] });
      }
      if (buckets.length === 0) continue;
      r.vals[i] = f(i, buckets, g);
      r.has[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return out;
}

function monotonicityInfo(ev: Evaluator, g: Group, pos: PosRange): void {
  ev.q.annotations.info(
    `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "${
      g.labels.get('__name__')
    }"`,
    pos,
  );
}

/** `histogram_quantile(q, buckets)`. */
export function evalHistogramQuantile(ev: Evaluator, e: Call): Value {
  const qs = ev.evalScalar(e.args[0]);
  const groups = bucketGroups(ev, ev.evalVector(e.args[1]).series, e.args[1].posRange);
  warnQuantiles(ev, qs, e.args[0].posRange);
  const series = perGroup(ev, groups, (g) => g.labels, (i, buckets, g) => {
    const [v, forced] = bucketQuantile(qs[i], buckets);
    if (forced) monotonicityInfo(ev, g, e.args[1].posRange);
    return v;
  });
  return { kind: 'vector', series };
}

/** `histogram_quantiles(buckets, label, q1, q2, …)`: one series per quantile, labelled. */
export function evalHistogramQuantiles(ev: Evaluator, e: Call): Value {
  const groups = bucketGroups(ev, ev.evalVector(e.args[0]).series, e.args[0].posRange);
  const label = ev.eval(e.args[1]);
  if (label.kind !== 'string') throw execError('histogram_quantiles: expected a label name');
  const out: StepSeries[] = [];
  for (const arg of e.args.slice(2)) {
    const qs = ev.evalScalar(arg);
    warnQuantiles(ev, qs, arg.posRange);
    const labelsOf = (g: Group) => g.labels.builder().set(label.val, quantileLabel(qs[0])).labels();
    out.push(...perGroup(ev, groups, labelsOf, (i, buckets, g) => {
      const [v, forced] = bucketQuantile(qs[i], buckets.map((b) => ({ ...b })));
      if (forced) monotonicityInfo(ev, g, e.args[0].posRange);
      return v;
    }));
  }
  return { kind: 'vector', series: mergeByLabels(out) };
}

function quantileLabel(q: number): string {
  const s = formatFloat(q);
  return Number.isFinite(q) && Number.isInteger(q) ? `${s}.0` : s;
}

/** `histogram_fraction(lower, upper, buckets)` over classic buckets. */
export function evalHistogramFraction(ev: Evaluator, e: Call): Value {
  const lo = ev.evalScalar(e.args[0]), hi = ev.evalScalar(e.args[1]);
  const groups = bucketGroups(ev, ev.evalVector(e.args[2]).series, e.args[2].posRange);
  const series = perGroup(ev, groups, (g) => g.labels, (i, b) => bucketFraction(lo[i], hi[i], b));
  return { kind: 'vector', series };
}
