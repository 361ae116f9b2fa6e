/**
 * The values the evaluator passes between nodes. A vector over a range of steps is held series
 * by series, with one typed array of values and one of presence flags per series, never one
 * object per sample.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';

/** One series of an instant vector evaluated at every step of the evaluation. */
export interface StepSeries {
  labels: Labels;
  /** Value at each step (meaningful only where `has[i]` is 1). */
  vals: Float64Array;
  /** 1 where the series has a value at step `i`. */
  has: Uint8Array;
  /** Set when the metric name is to be removed once the whole query is evaluated. */
  dropName: boolean;
}

/** A series of raw points (a range vector at one step, or a subquery's inner result). */
export interface PointSeries {
  labels: Labels;
  /** Timestamps, integer ms. */
  t: Float64Array;
  v: Float64Array;
  dropName: boolean;
}

/** A scalar at every step. */
export interface ScalarValue {
  kind: 'scalar';
  vals: Float64Array;
}

/** A string literal. */
export interface StringValue {
  kind: 'string';
  val: string;
}

/**
 * An instant vector at every step. `series` may be a lazy, single-use sequence: operators that
 * can (functions, vector/scalar arithmetic, most aggregations) consume it series by series, so
 * a query holds only what it needs; {@link seriesArray} materialises it where an operator must
 * see every series at once.
 */
export interface VectorValue {
  kind: 'vector';
  series: Iterable<StepSeries>;
}

/** The series of a vector as an array (materialising a lazy sequence). */
export function seriesArray(v: VectorValue): StepSeries[] {
  return Array.isArray(v.series) ? v.series : [...v.series];
}

/** A lazy vector whose series are `f(s)` for each input series (skipped when `f` gives undefined). */
export function mapSeries(
  v: VectorValue,
  f: (s: StepSeries) => StepSeries | undefined,
): VectorValue {
  const input = v.series;
  return {
    kind: 'vector',
    series: (function* () {
      for (const s of input) {
        const r = f(s);
        if (r !== undefined) yield r;
      }
    })(),
  };
}

/** A range vector (only ever the value of a whole instant query). */
export interface MatrixValue {
  kind: 'matrix';
  series: PointSeries[];
}

/** Any evaluated value. */
export type Value = ScalarValue | StringValue | VectorValue | MatrixValue;

/** A new series with no values. */
export function emptySeries(labels: Labels, steps: number, dropName = false): StepSeries {
  return { labels, vals: new Float64Array(steps), has: new Uint8Array(steps), dropName };
}

/** Number of steps at which `s` has a value. */
export function pointCount(s: StepSeries): number {
  let n = 0;
  for (let i = 0; i < s.has.length; i++) n += s.has[i];
  return n;
}
