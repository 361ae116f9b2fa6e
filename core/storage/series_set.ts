/**
 * Plain implementations of the read types, for engines that materialise results.
 * @module
 */
import type { Labels } from '../model/labels.ts';
import type { SampleColumns, Series, SeriesSet } from './interface.ts';

/** A series whose samples are already decoded. */
export class DecodedSeries implements Series {
  readonly labels: Labels;
  readonly #cols: SampleColumns;

  constructor(labels: Labels, cols: SampleColumns) {
    this.labels = labels;
    this.#cols = cols;
  }

  /** The decoded columns. */
  samples(): SampleColumns {
    return this.#cols;
  }
}

/** Empty columns, shared. */
export const EMPTY_COLUMNS: SampleColumns = Object.freeze({
  t: new Float64Array(0),
  v: new Float64Array(0),
});

/** A series set over an array; sorts by labels unless told the array is sorted. */
export function seriesSetOf(
  series: Series[],
  warnings: readonly string[] = [],
  sorted = false,
): SeriesSet {
  if (!sorted) series.sort((a, b) => a.labels.compare(b.labels));
  return {
    series,
    warnings,
    [Symbol.iterator]: () => series[Symbol.iterator](),
  };
}
