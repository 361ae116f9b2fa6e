/**
 * Functions over range vectors (`rate`, `*_over_time`, `deriv`, …). Each computes one value
 * from the points `[lo, hi)` of a series' window, or `undefined` for no value.
 * @module
 */
import { kahanSumInc, linearRegression, quantileOf } from './float_math.ts';
import { execError } from './errors.ts';
import { formatFixed6 } from '../parser/mod.ts';

/** What a range function sees at one step. */
export interface WindowEnv {
  /** Window end (exclusive start is `end - range`), ms. */
  end: number;
  range: number;
  /** The evaluation time of the step, ms. */
  ts: number;
  /** Scalar arguments at this step, in argument order (the range argument left out). */
  args: number[];
}

/** A range function. */
export type RangeFn = (
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  env: WindowEnv,
) => number | undefined;

function extrapolatedRate(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  env: WindowEnv,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  const n = hi - lo;
  if (n < 2) return undefined;
  const rangeStart = env.end - env.range, rangeEnd = env.end;
  let result = v[hi - 1] - v[lo];
  if (isCounter) {
    let prev = v[lo];
    for (let i = lo + 1; i < hi; i++) {
      if (v[i] < prev) result += prev;
      prev = v[i];
    }
  }
  let durationToStart = (t[lo] - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - t[hi - 1]) / 1000;
  const sampled = (t[hi - 1] - t[lo]) / 1000;
  const avg = sampled / (n - 1);
  const threshold = avg * 1.1;
  if (durationToStart >= threshold) durationToStart = avg / 2;
  if (isCounter && result > 0 && v[lo] >= 0) {
    const toZero = sampled * (v[lo] / result);
    if (toZero < durationToStart) durationToStart = toZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = (sampled + durationToStart + durationToEnd) / sampled;
  if (isRate) factor /= env.range / 1000;
  return result * factor;
}

function instantValue(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  isRate: boolean,
): number | undefined {
  if (hi - lo < 2) return undefined;
  const last = v[hi - 1], prev = v[hi - 2];
  let result = isRate && last < prev ? last : last - prev;
  if (isRate) {
    const dt = t[hi - 1] - t[hi - 2];
    if (dt === 0) return undefined;
    result /= dt / 1000;
  }
  return result;
}

function avgOverTime(v: Float64Array, lo: number, hi: number): number {
  let sum = 0, c = 0, mean = 0, incremental = false;
  for (let i = lo; i < hi; i++) {
    const count = i - lo + 1;
    const x = v[i];
    if (!incremental) {
      const [ns, nc] = kahanSumInc(x, sum, c);
      if (count === 1 || (ns !== Infinity && ns !== -Infinity)) {
        sum = ns;
        c = nc;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanSumInc(x / count, q * mean, q * c);
  }
  const count = hi - lo;
  if (incremental) return mean + c;
  if (count === 1) return sum;
  return sum / count + c / count;
}

function variance(v: Float64Array, lo: number, hi: number): number {
  let count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = lo; i < hi; i++) {
    count++;
    const x = v[i];
    const delta = x - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (x - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function tsOf(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  better: (a: number, b: number) => boolean,
): number {
  let best = lo;
  for (let i = lo + 1; i < hi; i++) if (better(v[i], v[best])) best = i;
  return t[best] / 1000;
}

/** Every range function by name. */
export const RANGE_FUNCTIONS: Record<string, RangeFn> = {
  rate: (t, v, lo, hi, env) => extrapolatedRate(t, v, lo, hi, env, true, true),
  increase: (t, v, lo, hi, env) => extrapolatedRate(t, v, lo, hi, env, true, false),
  delta: (t, v, lo, hi, env) => extrapolatedRate(t, v, lo, hi, env, false, false),
  irate: (t, v, lo, hi) => instantValue(t, v, lo, hi, true),
  idelta: (t, v, lo, hi) => instantValue(t, v, lo, hi, false),
  avg_over_time: (_t, v, lo, hi) => avgOverTime(v, lo, hi),
  sum_over_time: (_t, v, lo, hi) => {
    let sum = 0, c = 0;
    for (let i = lo; i < hi; i++) [sum, c] = kahanSumInc(v[i], sum, c);
    return Number.isFinite(sum) ? sum + c : sum;
  },
  count_over_time: (_t, _v, lo, hi) => hi - lo,
  min_over_time: (_t, v, lo, hi) => {
    let m = v[lo];
    for (let i = lo + 1; i < hi; i++) if (v[i] < m || Number.isNaN(m)) m = v[i];
    return m;
  },
  max_over_time: (_t, v, lo, hi) => {
    let m = v[lo];
    for (let i = lo + 1; i < hi; i++) if (v[i] > m || Number.isNaN(m)) m = v[i];
    return m;
  },
  stddev_over_time: (_t, v, lo, hi) => Math.sqrt(variance(v, lo, hi)),
  stdvar_over_time: (_t, v, lo, hi) => variance(v, lo, hi),
  quantile_over_time: (_t, v, lo, hi, env) => quantileOf(env.args[0], v.slice(lo, hi)),
  mad_over_time: (_t, v, lo, hi) => {
    const vals = v.slice(lo, hi);
    if (vals.some(Number.isNaN)) return NaN;
    const median = quantileOf(0.5, vals);
    const dev = vals.map((x) => Math.abs(x - median));
    return quantileOf(0.5, dev);
  },
  last_over_time: (_t, v, _lo, hi) => v[hi - 1],
  first_over_time: (_t, v, lo) => v[lo],
  present_over_time: () => 1,
  ts_of_last_over_time: (t, _v, _lo, hi) => t[hi - 1] / 1000,
  ts_of_first_over_time: (t, _v, lo) => t[lo] / 1000,
  ts_of_max_over_time: (t, v, lo, hi) =>
    tsOf(t, v, lo, hi, (a, b) => a >= b || (Number.isNaN(b) && !Number.isNaN(a))),
  ts_of_min_over_time: (t, v, lo, hi) =>
    tsOf(t, v, lo, hi, (a, b) => a <= b || (Number.isNaN(b) && !Number.isNaN(a))),
  changes: (_t, v, lo, hi) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) {
      const a = v[i - 1], b = v[i];
      if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) n++;
    }
    return n;
  },
  resets: (_t, v, lo, hi) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) if (v[i] < v[i - 1]) n++;
    return n;
  },
  deriv: (t, v, lo, hi) => {
    if (hi - lo < 2) return undefined;
    return linearRegression(t, v, lo, hi, t[lo])[0];
  },
  predict_linear: (t, v, lo, hi, env) => {
    if (hi - lo < 2) return undefined;
    const [slope, intercept] = linearRegression(t, v, lo, hi, env.ts);
    return slope * env.args[0] + intercept;
  },
  double_exponential_smoothing: (_t, v, lo, hi, env) => {
    const [sf, tf] = env.args;
    if (!(sf > 0 && sf < 1)) {
      throw execError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatFixed6(sf)}`);
    }
    if (!(tf > 0 && tf < 1)) {
      throw execError(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatFixed6(tf)}`);
    }
    if (hi - lo < 2) return undefined;
    let s0 = 0, s1 = v[lo], b = v[lo + 1] - v[lo];
    for (let i = lo + 1; i < hi; i++) {
      const x = sf * v[i];
      if (i - 1 > lo) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  },
};

/** Range functions that keep the metric name. */
export const KEEPS_NAME = new Set(['last_over_time', 'first_over_time']);
