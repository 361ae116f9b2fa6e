/**
 * Function calls: dispatch to range functions, and the functions over instant vectors and
 * scalars (math, clamping, dates, labels, sorting, `absent`, `scalar`, `vector`, …).
 * @module
 */
import { Labels, type Matcher } from '../../../core/model/mod.ts';
import type { Call, Expr } from '../parser/mod.ts';
import { execError } from './errors.ts';
import { type Evaluator, mergeByLabels, upperBound } from './evaluator.ts';
import {
  evalHistogramFraction,
  evalHistogramQuantile,
  evalHistogramQuantiles,
} from './histogram_quantile.ts';
import { evalInfo } from './info_function.ts';
import { labelJoin, labelReplace } from './label_functions.ts';
import { extendedRate, extendPoints } from './extended_range.ts';
import { KEEPS_NAME, RANGE_FUNCTIONS, type RangeFn, type WindowEnv } from './range_functions.ts';
import {
  emptySeries,
  mapSeries,
  type PointSeries,
  seriesArray,
  type StepSeries,
  type Value,
  type VectorValue,
} from './values.ts';

const MATH: Record<string, (x: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (x) => x * 180 / Math.PI,
  rad: (x) => x * Math.PI / 180,
  sgn: (x) => x > 0 ? 1 : x < 0 ? -1 : x,
};

const DATE: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => {
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    return Math.floor((d.getTime() - start) / 86_400_000) + 1;
  },
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

function unwrap(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}

/** Evaluates a function call. */
export function evalCall(ev: Evaluator, e: Call): Value {
  const name = e.func.name;
  const rf = RANGE_FUNCTIONS[name];
  if (rf !== undefined) return evalRangeFunction(ev, e, rf);
  const math = MATH[name];
  if (math !== undefined) return mapValues(ev.evalVector(e.args[0]), math);
  const date = DATE[name];
  if (date !== undefined) return evalDate(ev, e, date);
  switch (name) {
    case 'time':
      return scalarOf(ev, (i) => ev.ts(i) / 1000);
    case 'pi':
      return scalarOf(ev, () => Math.PI);
    case 'step':
      return scalarOf(ev, () => ev.q.queryStep / 1000);
    case 'range':
      return scalarOf(ev, () => (ev.q.queryEnd - ev.q.queryStart) / 1000);
    case 'start':
      return scalarOf(ev, () => ev.q.queryStart / 1000);
    case 'end':
      return scalarOf(ev, () => ev.q.queryEnd / 1000);
    case 'min_of':
    case 'max_of': {
      const a = ev.evalScalar(e.args[0]), b = ev.evalScalar(e.args[1]);
      const f = name === 'min_of' ? Math.min : Math.max;
      return scalarOf(ev, (i) => f(a[i], b[i]));
    }
    case 'vector': {
      const vals = ev.evalScalar(e.args[0]);
      const s = emptySeries(Labels.EMPTY, ev.steps);
      s.vals.set(vals);
      s.has.fill(1);
      return { kind: 'vector', series: [s] };
    }
    case 'scalar': {
      const series = seriesArray(ev.evalVector(e.args[0]));
      const out = new Float64Array(ev.steps).fill(NaN);
      for (let i = 0; i < ev.steps; i++) {
        let n = 0, x = NaN;
        for (const s of series) {
          if (s.has[i] === 1) {
            n++;
            x = s.vals[i];
          }
        }
        if (n === 1) out[i] = x;
      }
      return { kind: 'scalar', vals: out };
    }
    case 'timestamp': {
      const arg = unwrap(e.args[0]);
      if (arg.type === 'VectorSelector') {
        return mapSeries(ev.evalVectorSelector(arg, true), (s) => {
          s.dropName = true;
          return s;
        });
      }
      return mapSeries(ev.evalVector(arg), (s) => {
        for (let i = 0; i < ev.steps; i++) s.vals[i] = ev.ts(i) / 1000;
        s.dropName = true;
        return s;
      });
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max':
      return evalClamp(ev, e);
    case 'round': {
      const v = ev.evalVector(e.args[0]);
      const to = e.args.length > 1 ? ev.evalScalar(e.args[1]) : undefined;
      return mapValuesAt(v, (x, i) => {
        const inv = 1 / (to === undefined ? 1 : to[i]);
        return Math.floor(x * inv + 0.5) / inv;
      });
    }
    case 'absent':
      return evalAbsent(ev, e);
    case 'sort':
    case 'sort_desc':
      return evalSort(ev, e, name === 'sort_desc');
    case 'sort_by_label':
    case 'sort_by_label_desc':
      return evalSortByLabel(ev, e, name === 'sort_by_label_desc');
    case 'label_replace':
      return labelReplace(ev, e);
    case 'label_join':
      return labelJoin(ev, e);
    case 'histogram_quantile':
      return evalHistogramQuantile(ev, e);
    case 'histogram_quantiles':
      return evalHistogramQuantiles(ev, e);
    case 'histogram_fraction':
      return evalHistogramFraction(ev, e);
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_avg':
    case 'histogram_stddev':
    case 'histogram_stdvar': {
      // Native-histogram functions ignore float samples (which still count as read).
      for (const a of e.args) {
        const v = ev.eval(a);
        if (v.kind === 'vector') seriesArray(v);
      }
      return { kind: 'vector', series: [] };
    }
    case 'absent_over_time':
      return evalAbsentOverTime(ev, e);
    case 'info':
      return evalInfo(ev, e);
    default:
      throw execError(`function "${name}" is not supported`);
  }
}

function scalarOf(ev: Evaluator, f: (i: number) => number): Value {
  const vals = new Float64Array(ev.steps);
  for (let i = 0; i < vals.length; i++) vals[i] = f(i);
  return { kind: 'scalar', vals };
}

function mapValues(v: VectorValue, f: (x: number) => number): VectorValue {
  return mapSeries(v, (s) => {
    for (let i = 0; i < s.vals.length; i++) if (s.has[i] === 1) s.vals[i] = f(s.vals[i]);
    s.dropName = true;
    return s;
  });
}

function mapValuesAt(v: VectorValue, f: (x: number, i: number) => number): VectorValue {
  return mapSeries(v, (s) => {
    for (let i = 0; i < s.vals.length; i++) if (s.has[i] === 1) s.vals[i] = f(s.vals[i], i);
    s.dropName = true;
    return s;
  });
}

function evalDate(ev: Evaluator, e: Call, f: (d: Date) => number): Value {
  if (e.args.length === 0) {
    const s = emptySeries(Labels.EMPTY, ev.steps);
    for (let i = 0; i < ev.steps; i++) {
      s.vals[i] = f(new Date(Math.trunc(ev.ts(i) / 1000) * 1000));
      s.has[i] = 1;
    }
    return { kind: 'vector', series: [s] };
  }
  return mapValues(ev.evalVector(e.args[0]), (x) => {
    if (!Number.isFinite(x)) return NaN;
    return f(new Date(Math.trunc(x) * 1000));
  });
}

function evalClamp(ev: Evaluator, e: Call): Value {
  const v = ev.evalVector(e.args[0]);
  const name = e.func.name;
  const a = ev.evalScalar(e.args[1]);
  const b = e.args.length > 2 ? ev.evalScalar(e.args[2]) : undefined;
  if (name === 'clamp') {
    return mapSeries(v, (s) => {
      let any = false;
      for (let i = 0; i < s.vals.length; i++) {
        if (s.has[i] === 0) continue;
        const min = a[i], max = b![i];
        if (max < min) {
          s.has[i] = 0;
          continue;
        }
        s.vals[i] = Math.max(min, Math.min(max, s.vals[i]));
        any = true;
      }
      s.dropName = true;
      return any ? s : undefined;
    });
  }
  return mapValuesAt(
    v,
    (x, i) => name === 'clamp_min' ? Math.max(a[i], x) : Math.min(a[i], x),
  );
}

/** Labels `absent()` gives its result: the equality matchers of the selector, each once. */
function absentLabels(e: Expr): Labels {
  let matchers: readonly Matcher[] | undefined;
  if (e.type === 'VectorSelector') matchers = e.matchers;
  else if (e.type === 'MatrixSelector') matchers = e.vectorSelector.matchers;
  if (matchers === undefined) return Labels.EMPTY;
  const b = Labels.EMPTY.builder();
  const has = new Set<string>();
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !has.has(m.name)) {
      b.set(m.name, m.value);
      has.add(m.name);
    } else {
      b.del(m.name);
    }
  }
  return b.labels();
}

function evalAbsent(ev: Evaluator, e: Call): Value {
  const present = new Uint8Array(ev.steps);
  for (const x of ev.evalVector(e.args[0]).series) {
    for (let i = 0; i < ev.steps; i++) present[i] |= x.has[i];
  }
  const s = emptySeries(absentLabels(e.args[0]), ev.steps);
  let any = false;
  for (let i = 0; i < ev.steps; i++) {
    if (present[i] === 1) continue;
    s.vals[i] = 1;
    s.has[i] = 1;
    any = true;
  }
  return { kind: 'vector', series: any ? [s] : [] };
}

function evalAbsentOverTime(ev: Evaluator, e: Call): Value {
  const src = ev.windowSource(e.args[0]);
  const s = emptySeries(absentLabels(unwrap(e.args[0])), ev.steps);
  let any = false;
  for (let i = 0; i < ev.steps; i++) {
    const end = ev.windowEnd(src, i);
    let read = 0;
    for (const x of src.series) read += upperBound(x.t, end) - upperBound(x.t, end - src.range);
    ev.queryable[i] += read;
    if (read > 0) continue;
    s.vals[i] = 1;
    s.has[i] = 1;
    any = true;
  }
  return { kind: 'vector', series: any ? [s] : [] };
}

function evalSort(ev: Evaluator, e: Call, desc: boolean): Value {
  const v = ev.evalVector(e.args[0]);
  if (ev.steps !== 1) return v;
  const keyed = seriesArray(v).map((s, idx) => ({ s, x: s.vals[0], idx }));
  keyed.sort((a, b) => {
    const an = Number.isNaN(a.x), bn = Number.isNaN(b.x);
    if (an || bn) return an === bn ? a.idx - b.idx : an ? 1 : -1;
    return (desc ? b.x - a.x : a.x - b.x) || a.idx - b.idx;
  });
  return { kind: 'vector', series: keyed.map((k) => k.s) };
}

function evalSortByLabel(ev: Evaluator, e: Call, desc: boolean): Value {
  const v = ev.evalVector(e.args[0]);
  const names: string[] = [];
  for (const a of e.args.slice(1)) {
    const n = ev.eval(a);
    if (n.kind !== 'string') throw execError('sort_by_label: expected label names');
    names.push(n.val);
  }
  if (ev.steps !== 1) return v;
  const sorted = seriesArray(v).sort((a, b) => {
    for (const n of names) {
      const c = naturalCompare(a.labels.get(n), b.labels.get(n));
      if (c !== 0) return desc ? -c : c;
    }
    const c = a.labels.compare(b.labels);
    return desc ? -c : c;
  });
  return { kind: 'vector', series: sorted };
}

/** Compares strings with runs of digits compared as numbers. */
function naturalCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [], pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i], y = pb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x), dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function evalRangeFunction(ev: Evaluator, e: Call, rf: RangeFn): Value {
  const name = e.func.name;
  const matrixIdx = e.func.argTypes.indexOf('matrix');
  const scalars: Float64Array[] = [];
  for (let a = 0; a < e.args.length; a++) {
    if (a !== matrixIdx) scalars.push(ev.evalScalar(e.args[a]));
  }
  const src = ev.windowSource(e.args[matrixIdx]);
  const keepName = KEEPS_NAME.has(name);
  const counterCheck = name === 'rate' || name === 'increase';
  const smoothed = src.selector?.smoothed === true;
  const extended = smoothed || src.selector?.anchored === true;
  const lookback = ev.q.lookbackDelta;
  const env: WindowEnv = { end: 0, range: src.range, ts: 0, args: new Array(scalars.length) };
  if (name === 'quantile_over_time') {
    for (let i = 0; i < ev.steps; i++) {
      const q = scalars[0][i];
      if (Number.isNaN(q) || q < 0 || q > 1) {
        ev.q.annotations.warn(
          `quantile value should be between 0 and 1, got ${formatQ(q)}`,
          e.args[0].posRange,
        );
        break;
      }
    }
  }
  const each = (s: PointSeries): StepSeries | undefined => {
    ev.checkAbort();
    const { t, v } = s;
    ev.addSamples(t.length);
    if (counterCheck && t.length > 0) {
      const metric = s.labels.get('__name__');
      if (metric !== '' && !COUNTER_SUFFIXES.some((x) => metric.endsWith(x))) {
        ev.q.annotations.info(
          `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "${metric}"`,
          e.args[matrixIdx].posRange,
        );
      }
    }
    const r = emptySeries(s.labels, ev.steps, !keepName || s.dropName);
    let lo = 0, hi = 0, any = false;
    for (let i = 0; i < ev.steps; i++) {
      const end = ev.windowEnd(src, i);
      const start = end - src.range;
      // Extended windows also hold a lookback's worth of samples before (and after) them.
      const from = start - (extended ? lookback : 0), to = end + (smoothed ? lookback : 0);
      if (src.at !== undefined) {
        lo = upperBound(t, from);
        hi = upperBound(t, to);
      } else {
        while (hi < t.length && t[hi] <= to) hi++;
        while (lo < t.length && t[lo] <= from) lo++;
      }
      if (hi <= lo) continue;
      ev.queryable[i] += hi - lo;
      env.end = end;
      env.ts = ev.ts(i);
      for (let a = 0; a < scalars.length; a++) env.args[a] = scalars[a][i];
      let val: number | undefined;
      if (!extended) val = rf(t, v, lo, hi, env);
      else if (name === 'rate' || name === 'increase' || name === 'delta') {
        const perSecond = name === 'rate' ? src.range / 1000 : undefined;
        val = extendedRate(t, v, lo, hi, start, end, smoothed, name !== 'delta', perSecond);
      } else {
        const p = extendPoints(t, v, lo, hi, start, end, smoothed);
        val = p.t.length === 0 ? undefined : rf(p.t, p.v, 0, p.t.length, env);
      }
      if (val === undefined) continue;
      r.vals[i] = val;
      r.has[i] = 1;
      any = true;
    }
    return any ? r : undefined;
  };
  const lazy: VectorValue = {
    kind: 'vector',
    series: (function* () {
      for (const s of src.series) {
        const r = each(s);
        if (r !== undefined) yield r;
      }
    })(),
  };
  return keepName ? { kind: 'vector', series: mergeByLabels(seriesArray(lazy)) } : lazy;
}

function formatQ(q: number): string {
  return Number.isNaN(q) ? 'NaN' : String(q);
}
