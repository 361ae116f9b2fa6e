/**
 * Histograms with classic (fixed) buckets.
 *
 * @example
 * ```ts
 * const latency = new Histogram({
 *   name: 'app_request_duration_seconds', help: 'Request latency.',
 *   buckets: exponentialBuckets(0.001, 2, 12),
 * });
 * const end = latency.startTimer();
 * // …work…
 * end();
 * ```
 * @module
 */
import type { Bucket, FamilyExemplar, MetricPoint } from '../exposition/mod.ts';
import { DEFAULT_BUCKETS } from './buckets.ts';
import { type ExemplarLabels, makeExemplar } from './exemplar.ts';
import { type EndTimer, type LabelValues, Metric, type MetricOptions } from './metric.ts';

/** One labelled histogram. */
export class HistogramChild {
  /** Upper bounds, ascending, without `+Inf`. */
  readonly bounds: readonly number[];
  /** Non-cumulative counts; the last slot is the `+Inf` bucket. */
  readonly counts: Float64Array;
  /** Sum of observations. */
  sum = 0;
  /** Number of observations. */
  count = 0;
  /** Creation (or last reset) time, ms since the epoch. */
  created: number;
  /** Latest exemplar per bucket (same indices as `counts`). */
  exemplars: (FamilyExemplar | undefined)[] | undefined;
  readonly #now: () => number;

  /** @internal Created by `Histogram`. */
  constructor(bounds: readonly number[], now: () => number) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
    this.#now = now;
    this.created = now();
  }

  /** Records one observation (NaN lands in the `+Inf` bucket only, as client_golang). */
  observe(value: number, exemplarLabels?: ExemplarLabels): void {
    if (typeof value !== 'number') throw new TypeError(`observation must be a number: ${value}`);
    const b = this.bounds;
    let lo = 0, hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (value <= b[mid]) hi = mid;
      else lo = mid + 1;
    }
    // NaN compares false everywhere, so the search ends at the +Inf slot.
    this.counts[lo]++;
    this.sum += value;
    this.count++;
    if (exemplarLabels !== undefined) {
      this.exemplars ??= new Array(this.counts.length);
      this.exemplars[lo] = makeExemplar(exemplarLabels, value, this.#now());
    }
  }

  /** Cumulative buckets, ending with `+Inf`. */
  buckets(): Bucket[] {
    const out: Bucket[] = [];
    let acc = 0;
    for (let i = 0; i < this.counts.length; i++) {
      acc += this.counts[i];
      const le = i < this.bounds.length ? this.bounds[i] : Infinity;
      const exemplar = this.exemplars?.[i];
      out.push(exemplar === undefined ? { le, count: acc } : { le, count: acc, exemplar });
    }
    return out;
  }
}

/** Options of a `Histogram`. */
export interface HistogramOptions<T extends string> extends MetricOptions<T, Histogram<T>> {
  /** Upper bounds, strictly ascending; a trailing `+Inf` is implied. Default `DEFAULT_BUCKETS`. */
  buckets?: readonly number[];
}

/** A histogram with classic buckets, optionally with labelled children. */
export class Histogram<T extends string = string> extends Metric<T, HistogramChild, Histogram<T>> {
  /** Always `'histogram'`. */
  readonly type = 'histogram' as const;
  /** Upper bounds, without `+Inf`. */
  readonly buckets: readonly number[];

  /** Creates the histogram and registers it with `opts.registers`. */
  constructor(opts: HistogramOptions<T>) {
    super(opts, ['le']);
    this.buckets = checkBuckets(opts.buckets ?? DEFAULT_BUCKETS);
    this.registerWith(opts.registers);
  }

  /** Records an observation in the unlabelled child, or in the child for `labels`. */
  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(a: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'object') this.labels(a).observe(b as number);
    else this.labels({}).observe(a);
  }

  /** Starts a timer; calling the result observes the elapsed seconds. */
  startTimer(labels?: LabelValues<T>): EndTimer<T> {
    return this.timer(labels, (s, l) => this.labels(l).observe(s));
  }

  /** Creates the child for `labels` so that it is exposed with zero counts. */
  zero(labels: LabelValues<T>): void {
    this.labels(labels);
  }

  protected newChild(): HistogramChild {
    return new HistogramChild(this.buckets, this.now);
  }

  protected point(c: HistogramChild, labels: Record<string, string>): MetricPoint {
    return { labels, buckets: c.buckets(), sum: c.sum, count: c.count, created: c.created };
  }
}

function checkBuckets(buckets: readonly number[]): number[] {
  const out = [...buckets];
  if (out.length > 0 && out[out.length - 1] === Infinity) out.pop();
  for (let i = 0; i < out.length; i++) {
    if (typeof out[i] !== 'number' || Number.isNaN(out[i])) {
      throw new RangeError(`bucket bound ${out[i]} is not a number`);
    }
    if (i > 0 && !(out[i] > out[i - 1])) {
      throw new RangeError(`buckets must be strictly ascending: ${out[i - 1]}, ${out[i]}`);
    }
  }
  return out;
}
