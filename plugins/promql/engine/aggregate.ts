/**
 * Aggregation operators (`sum`, `avg`, …, `topk`, `count_values`, `limitk`, `limit_ratio`).
 * Groups are formed once per query from the labels; values are then folded step by step.
 * @module
 */
import { goQuote, isValidUTF8Name, type Labels } from '../../../core/model/mod.ts';
import { prometheusLabelsHash } from './xxhash64.ts';
import { type AggregateExpr, formatFloat, formatFloatV as formatGoFloat } from '../parser/mod.ts';
import { execError } from './errors.ts';
import { type Evaluator, METRIC_IDENTITY } from './evaluator.ts';
import { kahanSumInc, quantileOf } from './float_math.ts';
import { labelsKey } from './label_keys.ts';

import { emptySeries, seriesArray, type StepSeries, type Value } from './values.ts';

interface Group {
  labels: Labels;
  members: number[];
}

function groupLabels(l: Labels, e: AggregateExpr): Labels {
  return e.without ? l.without(...e.grouping, ...METRIC_IDENTITY) : l.keep(...e.grouping);
}

function formGroups(series: StepSeries[], e: AggregateExpr): Group[] {
  const byKey = new Map<string, Group>();
  const groups: Group[] = [];
  for (let i = 0; i < series.length; i++) {
    const labels = groupLabels(series[i].labels, e);
    const key = labelsKey(labels);
    let g = byKey.get(key);
    if (g === undefined) {
      g = { labels, members: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.members.push(i);
  }
  return groups;
}

/** Evaluates an aggregation. */
export function evalAggregate(ev: Evaluator, e: AggregateExpr): Value {
  let param: Float64Array | undefined;
  let label = '';
  if (e.op === 'count_values') {
    const p = ev.eval(e.param!);
    if (p.kind !== 'string') throw execError('count_values: expected a string parameter');
    label = p.val;
    if (!isValidUTF8Name(label)) throw execError(`invalid label name ${goQuote(label)}`);
  } else if (e.param !== undefined) {
    param = ev.evalScalar(e.param);
  }
  const vec = ev.evalVector(e.expr);
  if (STREAMING.has(e.op)) return foldStream(ev, e, vec.series);
  const input = seriesArray(vec);
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio':
      return selectK(ev, e, input, param!);
    case 'count_values':
      return countValues(ev, e, input, label);
    default:
      return quantileAgg(ev, e, input, param!);
  }
}

const STREAMING = new Set(['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar']);

/** Per-group, per-step state of a folding aggregation. */
interface FoldGroup {
  labels: Labels;
  n: Float64Array;
  acc: Float64Array;
  /** Kahan compensation (sum, avg) or running mean (stddev, stdvar). */
  c: Float64Array;
  /** avg only: the incremental mean once a plain sum overflowed. */
  mean: Float64Array | undefined;
  incremental: Uint8Array | undefined;
}

/**
 * `sum`, `avg`, `count`, `group`, `min`, `max`, `stddev`, `stdvar`: each input series is folded
 * into its group's per-step state as it arrives, so the input is never held whole.
 */
function foldStream(ev: Evaluator, e: AggregateExpr, input: Iterable<StepSeries>): Value {
  const steps = ev.steps;
  const byKey = new Map<string, FoldGroup>();
  const order: FoldGroup[] = [];
  const op = e.op;
  for (const s of input) {
    ev.checkAbort();
    const labels = groupLabels(s.labels, e);
    const key = labelsKey(labels);
    let g = byKey.get(key);
    if (g === undefined) {
      const avg = op === 'avg';
      g = {
        labels,
        n: new Float64Array(steps),
        acc: new Float64Array(steps),
        c: new Float64Array(steps),
        mean: avg ? new Float64Array(steps) : undefined,
        incremental: avg ? new Uint8Array(steps) : undefined,
      };
      byKey.set(key, g);
      order.push(g);
    }
    const { n, acc, c } = g;
    for (let i = 0; i < steps; i++) {
      if (s.has[i] === 0) continue;
      const x = s.vals[i];
      const k = ++n[i];
      switch (op) {
        case 'sum':
          [acc[i], c[i]] = kahanSumInc(x, acc[i], c[i]);
          break;
        case 'avg': {
          if (k === 1) {
            acc[i] = x;
            break;
          }
          const mean = g.mean!, inc = g.incremental!;
          if (inc[i] === 0) {
            const [ns, nc] = kahanSumInc(x, acc[i], c[i]);
            if (ns !== Infinity && ns !== -Infinity) {
              acc[i] = ns;
              c[i] = nc;
              break;
            }
            inc[i] = 1;
            mean[i] = acc[i] / (k - 1);
            c[i] /= k - 1;
          }
          const q = (k - 1) / k;
          [mean[i], c[i]] = kahanSumInc(x / k, q * mean[i], q * c[i]);
          break;
        }
        case 'count':
          acc[i] = k;
          break;
        case 'group':
          acc[i] = 1;
          break;
        case 'min':
          if (k === 1 || acc[i] > x || Number.isNaN(acc[i])) acc[i] = x;
          break;
        case 'max':
          if (k === 1 || acc[i] < x || Number.isNaN(acc[i])) acc[i] = x;
          break;
        default: {
          // stddev, stdvar: Welford's online variance; c holds the running mean.
          if (k === 1) {
            c[i] = x;
            acc[i] = Number.isFinite(x) ? 0 : NaN;
            break;
          }
          const d = x - c[i];
          c[i] += d / k;
          acc[i] += d * (x - c[i]);
        }
      }
    }
  }
  const out: StepSeries[] = [];
  for (const g of order) {
    const r = emptySeries(g.labels, steps);
    for (let i = 0; i < steps; i++) {
      const k = g.n[i];
      if (k === 0) continue;
      let val: number;
      switch (op) {
        case 'sum': {
          const sum = g.acc[i];
          val = sum + g.c[i];
          if (!Number.isFinite(val) && !Number.isNaN(sum)) val = sum;
          break;
        }
        case 'avg':
          if (k === 1) val = g.acc[i];
          else if (g.incremental![i] === 1) val = g.mean![i] + g.c[i];
          else {
            val = (g.acc[i] + g.c[i]) / k;
            if (!Number.isFinite(val)) val = g.acc[i] / k;
          }
          break;
        case 'stddev':
          val = Math.sqrt(g.acc[i] / k);
          break;
        case 'stdvar':
          val = g.acc[i] / k;
          break;
        default:
          val = g.acc[i];
      }
      r.vals[i] = val;
      r.has[i] = 1;
    }
    out.push(r);
  }
  return { kind: 'vector', series: out };
}

/** `quantile`: needs every value of a group at a step, so its input is materialised. */
function quantileAgg(
  ev: Evaluator,
  e: AggregateExpr,
  input: StepSeries[],
  param: Float64Array,
): Value {
  const groups = formGroups(input, e);
  const steps = ev.steps;
  for (let i = 0; i < steps; i++) {
    const q = param[i];
    if ((Number.isNaN(q) || q < 0 || q > 1) && input.some((s) => s.has[i] === 1)) {
      ev.q.annotations.warn(
        `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`,
        e.param!.posRange,
      );
    }
  }
  const out: StepSeries[] = [];
  const buf: number[] = [];
  for (const g of groups) {
    ev.checkAbort();
    const r = emptySeries(g.labels, steps);
    let any = false;
    for (let i = 0; i < steps; i++) {
      buf.length = 0;
      for (const m of g.members) if (input[m].has[i] === 1) buf.push(input[m].vals[i]);
      if (buf.length === 0) continue;
      r.vals[i] = quantileOf(param[i], buf);
      r.has[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: 'vector', series: out };
}

/** Go's `int64(f)` conversion of a `k` parameter, with Prometheus's checks. */
function kOf(f: number): number {
  if (Number.isNaN(f)) throw execError('Parameter value is NaN');
  if (f >= 9223372036854775807 || f <= -9223372036854775808) {
    throw execError(`Scalar value ${formatGoFloat(f)} overflows int64`);
  }
  return Math.trunc(f);
}

/** Prometheus's "is `a` ranked above `b`" for topk (NaN ranks lowest). */
function above(a: number, b: number): boolean {
  if (Number.isNaN(b)) return !Number.isNaN(a);
  return a > b;
}

function selectK(ev: Evaluator, e: AggregateExpr, input: StepSeries[], param: Float64Array): Value {
  const groups = formGroups(input, e);
  const steps = ev.steps;
  const outs: (StepSeries | undefined)[] = new Array(input.length);
  const order: number[] = [];
  const take = (m: number, i: number) => {
    let o = outs[m];
    if (o === undefined) {
      o = emptySeries(input[m].labels, steps, input[m].dropName);
      outs[m] = o;
      order.push(m);
    }
    o.has[i] = 1;
    o.vals[i] = input[m].vals[i];
  };
  const chosen: number[] = [];
  const offsets = e.op === 'limit_ratio' ? input.map((s) => ratioOffset(s.labels)) : [];
  for (let i = 0; i < steps; i++) {
    ev.checkAbort();
    if (e.op === 'limit_ratio') {
      let r = param[i];
      if (Number.isNaN(r) || r < -1 || r > 1) {
        if (!Number.isNaN(r)) {
          ev.q.annotations.warn(
            `ratio value should be between -1 and 1, got ${formatGoFloat(r)}, capping to ${
              r < 0 ? -1 : 1
            }`,
            e.param!.posRange,
          );
          r = r < 0 ? -1 : 1;
        } else {
          throw execError('Ratio value is NaN');
        }
      }
      for (const g of groups) {
        for (const m of g.members) {
          const o = offsets[m];
          if (input[m].has[i] === 1 && (r >= 0 ? o < r : o >= 1 + r)) take(m, i);
        }
      }
      continue;
    }
    const k = kOf(param[i]);
    if (k < 1) continue;
    const top = e.op === 'topk';
    for (const g of groups) {
      chosen.length = 0;
      for (const m of g.members) {
        if (input[m].has[i] === 0) continue;
        if (e.op === 'limitk') {
          if (chosen.length < k) chosen.push(m);
          continue;
        }
        // Keep the best k, best first, by insertion: k is small and most candidates lose
        // against the current worst at once.
        const x = top ? input[m].vals[i] : -input[m].vals[i];
        if (chosen.length === k) {
          const w = chosen[k - 1];
          if (!above(x, top ? input[w].vals[i] : -input[w].vals[i])) continue;
          chosen.pop();
        }
        let at = chosen.length;
        while (at > 0) {
          const o = chosen[at - 1];
          if (!above(x, top ? input[o].vals[i] : -input[o].vals[i])) break;
          at--;
        }
        chosen.splice(at, 0, m);
      }
      for (const m of chosen) take(m, i);
    }
  }
  return { kind: 'vector', series: order.map((m) => outs[m]!) };
}

/** Where a series falls in [0, 1] for `limit_ratio`: Prometheus's labels hash, scaled. */
function ratioOffset(labels: Labels): number {
  return Number(prometheusLabelsHash(labels)) / 18446744073709551615;
}

function countValues(ev: Evaluator, e: AggregateExpr, input: StepSeries[], label: string): Value {
  const groups = formGroups(input, e);
  const steps = ev.steps;
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (let i = 0; i < steps; i++) {
    for (const g of groups) {
      const counts = new Map<string, number>();
      for (const m of g.members) {
        if (input[m].has[i] === 0) continue;
        const v = formatFloat(input[m].vals[i]);
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      for (const [v, n] of counts) {
        const labels = g.labels.builder().set(label, v).labels();
        const key = labelsKey(labels);
        let s = byKey.get(key);
        if (s === undefined) {
          s = emptySeries(labels, steps);
          byKey.set(key, s);
          out.push(s);
        }
        s.has[i] = 1;
        s.vals[i] = n;
      }
    }
  }
  return { kind: 'vector', series: out };
}
