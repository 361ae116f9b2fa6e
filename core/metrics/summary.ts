/**
 * Summaries: client-side quantiles over a sliding time window, plus all-time sum and count.
 *
 * The window works as in client_golang: `ageBuckets` quantile streams each receive every
 * observation; every `maxAgeSeconds / ageBuckets` the oldest is cleared and the next one
 * answers queries, so answers cover between `maxAgeSeconds·(1 − 1/ageBuckets)` and
 * `maxAgeSeconds` of history. Quantiles are estimated with `QuantileStream` (see its rank
 * error bounds); an empty window yields NaN.
 *
 * @example
 * ```ts
 * const size = new Summary({
 *   name: 'app_response_size_bytes', help: 'Response sizes.', percentiles: [0.5, 0.9, 0.99],
 * });
 * size.observe(512);
 * ```
 * @module
 */
import type { MetricPoint, Quantile } from '../exposition/mod.ts';
import { type EndTimer, type LabelValues, Metric, type MetricOptions } from './metric.ts';
import { defaultEpsilon, QuantileStream, type QuantileTarget } from './quantile_stream.ts';

/** prom-client's default percentiles. */
export const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([
  0.01,
  0.05,
  0.5,
  0.9,
  0.95,
  0.99,
  0.999,
]);

// Observations are buffered and merged into the streams in sorted batches of this size.
const BATCH = 500;

/** One labelled summary. */
export class SummaryChild {
  /** Sum of all observations (not windowed). */
  sum = 0;
  /** Number of all observations (not windowed). */
  count = 0;
  /** Creation (or last reset) time, ms since the epoch. */
  created: number;
  readonly #percentiles: readonly number[];
  readonly #streams: QuantileStream[];
  readonly #bucketMs: number;
  readonly #now: () => number;
  readonly #buf = new Float64Array(BATCH);
  #buffered = 0;
  #head = 0;
  #headExpires: number;

  /** @internal Created by `Summary`. */
  constructor(
    percentiles: readonly number[],
    targets: readonly QuantileTarget[],
    maxAgeMs: number,
    ageBuckets: number,
    now: () => number,
  ) {
    this.#percentiles = percentiles;
    this.#streams = Array.from({ length: ageBuckets }, () => new QuantileStream(targets));
    this.#bucketMs = maxAgeMs / ageBuckets;
    this.#now = now;
    this.created = now();
    this.#headExpires = this.created + this.#bucketMs;
  }

  /** Records one observation; NaN counts towards sum and count but not quantiles. */
  observe(value: number): void {
    if (typeof value !== 'number') throw new TypeError(`observation must be a number: ${value}`);
    this.#rotate();
    this.sum += value;
    this.count++;
    if (value !== value) return;
    this.#buf[this.#buffered++] = value;
    if (this.#buffered === BATCH) this.#flush();
  }

  /** The quantiles over the current window. */
  quantiles(): Quantile[] {
    this.#rotate();
    this.#flush();
    const s = this.#streams[this.#head];
    return this.#percentiles.map((quantile) => ({ quantile, value: s.query(quantile) }));
  }

  #flush(): void {
    if (this.#buffered === 0) return;
    const batch = this.#buf.subarray(0, this.#buffered).sort();
    for (const s of this.#streams) s.insertSorted(batch);
    this.#buffered = 0;
  }

  // Buffered observations predate the rotation, so they are flushed before clearing.
  #rotate(): void {
    const now = this.#now();
    if (now < this.#headExpires) return;
    this.#flush();
    const steps = Math.floor((now - this.#headExpires) / this.#bucketMs) + 1;
    const n = this.#streams.length;
    for (let k = 0; k < Math.min(steps, n); k++) {
      this.#streams[this.#head].reset();
      this.#head = (this.#head + 1) % n;
    }
    this.#headExpires += steps * this.#bucketMs;
  }
}

/** Options of a `Summary`. */
export interface SummaryOptions<T extends string> extends MetricOptions<T, Summary<T>> {
  /** Quantiles to expose, each in [0, 1]. Default `DEFAULT_PERCENTILES`. */
  percentiles?: readonly number[];
  /** Allowed rank error per quantile; default `min(q, 1 − q) / 10`. */
  objectives?: Readonly<Record<number, number>>;
  /** Window length in seconds (default 600, as prom-client and client_golang). */
  maxAgeSeconds?: number;
  /** Number of streams the window rotates through (default 5). */
  ageBuckets?: number;
}

/** A summary, optionally with labelled children. */
export class Summary<T extends string = string> extends Metric<T, SummaryChild, Summary<T>> {
  /** Always `'summary'`. */
  readonly type = 'summary' as const;
  /** The exposed quantiles. */
  readonly percentiles: readonly number[];
  readonly #targets: QuantileTarget[];
  readonly #maxAgeMs: number;
  readonly #ageBuckets: number;

  /** Creates the summary and registers it with `opts.registers`. */
  constructor(opts: SummaryOptions<T>) {
    super(opts, ['quantile']);
    const ps = [...(opts.percentiles ?? DEFAULT_PERCENTILES)].sort((a, b) => a - b);
    for (const p of ps) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile ${p} is outside [0, 1]`);
    }
    this.percentiles = ps;
    this.#targets = ps.map((q) => ({
      quantile: q,
      epsilon: opts.objectives?.[q] ?? defaultEpsilon(q),
    }));
    const maxAge = opts.maxAgeSeconds ?? 600;
    const buckets = opts.ageBuckets ?? 5;
    if (!(maxAge > 0)) throw new RangeError('maxAgeSeconds must be > 0');
    if (!(buckets >= 1) || !Number.isInteger(buckets)) {
      throw new RangeError('ageBuckets must be an integer >= 1');
    }
    this.#maxAgeMs = maxAge * 1000;
    this.#ageBuckets = buckets;
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

  protected newChild(): SummaryChild {
    return new SummaryChild(
      this.percentiles,
      this.#targets,
      this.#maxAgeMs,
      this.#ageBuckets,
      this.now,
    );
  }

  protected point(c: SummaryChild, labels: Record<string, string>): MetricPoint {
    return { labels, quantiles: c.quantiles(), sum: c.sum, count: c.count, created: c.created };
  }
}
