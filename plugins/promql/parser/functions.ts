/**
 * The PromQL function table (Prometheus 3.x): argument and return types, variadic arity and
 * whether a function is experimental (needs `--enable-feature=promql-experimental-functions`).
 * @module
 */
import type { ValueType } from './ast.ts';

/** One PromQL function's signature. */
export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /**
   * 0: exactly `argTypes.length` arguments; n > 0: the last argument type may be given up to
   * n times (or left out); -1: the last argument type repeats without limit.
   */
  readonly variadic: number;
  readonly returnType: ValueType;
  readonly experimental: boolean;
}

const TYPES: Record<string, ValueType> = { v: 'vector', s: 'scalar', m: 'matrix', S: 'string' };

// name: [argument types (v vector, s scalar, m matrix, S string), variadic, return, experimental]
const TABLE: Record<string, [string, number, string, true?]> = {
  abs: ['v', 0, 'v'],
  absent: ['v', 0, 'v'],
  absent_over_time: ['m', 0, 'v'],
  acos: ['v', 0, 'v'],
  acosh: ['v', 0, 'v'],
  asin: ['v', 0, 'v'],
  asinh: ['v', 0, 'v'],
  atan: ['v', 0, 'v'],
  atanh: ['v', 0, 'v'],
  avg_over_time: ['m', 0, 'v'],
  ceil: ['v', 0, 'v'],
  changes: ['m', 0, 'v'],
  clamp: ['vss', 0, 'v'],
  clamp_max: ['vs', 0, 'v'],
  clamp_min: ['vs', 0, 'v'],
  cos: ['v', 0, 'v'],
  cosh: ['v', 0, 'v'],
  count_over_time: ['m', 0, 'v'],
  day_of_month: ['v', 1, 'v'],
  day_of_week: ['v', 1, 'v'],
  day_of_year: ['v', 1, 'v'],
  days_in_month: ['v', 1, 'v'],
  deg: ['v', 0, 'v'],
  delta: ['m', 0, 'v'],
  deriv: ['m', 0, 'v'],
  double_exponential_smoothing: ['mss', 0, 'v', true],
  end: ['', 0, 's', true],
  exp: ['v', 0, 'v'],
  first_over_time: ['m', 0, 'v'],
  floor: ['v', 0, 'v'],
  histogram_avg: ['v', 0, 'v'],
  histogram_count: ['v', 0, 'v'],
  histogram_fraction: ['ssv', 0, 'v'],
  histogram_quantile: ['sv', 0, 'v'],
  histogram_quantiles: ['vSss', 9, 'v', true],
  histogram_stddev: ['v', 0, 'v'],
  histogram_stdvar: ['v', 0, 'v'],
  histogram_sum: ['v', 0, 'v'],
  hour: ['v', 1, 'v'],
  idelta: ['m', 0, 'v'],
  increase: ['m', 0, 'v'],
  info: ['vv', 1, 'v', true],
  irate: ['m', 0, 'v'],
  label_join: ['vSSS', -1, 'v'],
  label_replace: ['vSSSS', 0, 'v'],
  last_over_time: ['m', 0, 'v'],
  ln: ['v', 0, 'v'],
  log10: ['v', 0, 'v'],
  log2: ['v', 0, 'v'],
  mad_over_time: ['m', 0, 'v', true],
  max_of: ['ss', 0, 's', true],
  max_over_time: ['m', 0, 'v'],
  min_of: ['ss', 0, 's', true],
  min_over_time: ['m', 0, 'v'],
  minute: ['v', 1, 'v'],
  month: ['v', 1, 'v'],
  pi: ['', 0, 's'],
  predict_linear: ['ms', 0, 'v'],
  present_over_time: ['m', 0, 'v'],
  quantile_over_time: ['sm', 0, 'v'],
  rad: ['v', 0, 'v'],
  range: ['', 0, 's', true],
  rate: ['m', 0, 'v'],
  resets: ['m', 0, 'v'],
  round: ['vs', 1, 'v'],
  scalar: ['v', 0, 's'],
  sgn: ['v', 0, 'v'],
  sin: ['v', 0, 'v'],
  sinh: ['v', 0, 'v'],
  sort: ['v', 0, 'v'],
  sort_by_label: ['vS', -1, 'v', true],
  sort_by_label_desc: ['vS', -1, 'v', true],
  sort_desc: ['v', 0, 'v'],
  sqrt: ['v', 0, 'v'],
  start: ['', 0, 's', true],
  start_timestamp: ['v', 0, 'v', true],
  stddev_over_time: ['m', 0, 'v'],
  stdvar_over_time: ['m', 0, 'v'],
  step: ['', 0, 's', true],
  sum_over_time: ['m', 0, 'v'],
  tan: ['v', 0, 'v'],
  tanh: ['v', 0, 'v'],
  time: ['', 0, 's'],
  timestamp: ['v', 0, 'v'],
  ts_of_first_over_time: ['m', 0, 'v', true],
  ts_of_last_over_time: ['m', 0, 'v', true],
  ts_of_max_over_time: ['m', 0, 'v', true],
  ts_of_min_over_time: ['m', 0, 'v', true],
  vector: ['s', 0, 'v'],
  year: ['v', 1, 'v'],
};

const types = (s: string): ValueType[] => [...s].map((c) => TYPES[c]);

/** Every PromQL function by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  Object.entries(TABLE).map(([name, [args, variadic, ret, experimental]]) => [
    name,
    Object.freeze({
      name,
      argTypes: Object.freeze(types(args)),
      variadic,
      returnType: TYPES[ret],
      experimental: experimental === true,
    }),
  ]),
);
