/**
 * Counters: values that only go up (and reset to zero on restart).
 *
 * @example
 * ```ts
 * const requests = new Counter({
 *   name: 'app_requests_total', help: 'Requests handled.', labelNames: ['code'] as const,
 *   registers: [registry],
 * });
 * requests.inc({ code: '200' });
 * requests.labels('500').inc(2);
 * ```
 * @module
 */
import type { FamilyExemplar, MetricPoint } from '../exposition/mod.ts';
import { type ExemplarLabels, makeExemplar } from './exemplar.ts';
import { type LabelValues, Metric, type MetricOptions } from './metric.ts';

/** One labelled counter. */
export class CounterChild {
  /** Current value. */
  value = 0;
  /** Creation (or last reset) time, ms since the epoch. */
  created: number;
  /** The latest exemplar, if any. */
  exemplar: FamilyExemplar | undefined;
  readonly #now: () => number;

  /** @internal Created by `Counter`. */
  constructor(now: () => number) {
    this.#now = now;
    this.created = now();
  }

  /** Adds `value` (default 1); throws on negative or NaN increments. */
  inc(value = 1, exemplarLabels?: ExemplarLabels): void {
    if (!(value >= 0)) throw new RangeError(`counter increment must be >= 0, got ${value}`);
    this.value += value;
    if (exemplarLabels !== undefined) {
      this.exemplar = makeExemplar(exemplarLabels, value, this.#now());
    }
  }

  /** Sets the value back to zero. */
  reset(): void {
    this.value = 0;
    this.created = this.#now();
    this.exemplar = undefined;
  }
}

/** Options of a `Counter`. */
export type CounterOptions<T extends string> = MetricOptions<T, Counter<T>>;

/** A counter, optionally with labelled children. */
export class Counter<T extends string = string> extends Metric<T, CounterChild, Counter<T>> {
  /** Always `'counter'`. */
  readonly type = 'counter' as const;

  /** Creates the counter and registers it with `opts.registers`. */
  constructor(opts: CounterOptions<T>) {
    super(opts);
    this.registerWith(opts.registers);
  }

  /** Adds `value` (default 1) to the unlabelled child, or to the child for `labels`. */
  inc(value?: number): void;
  inc(labels: LabelValues<T>, value?: number): void;
  inc(a?: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'object') this.labels(a).inc(b);
    else this.labels({}).inc(a);
  }

  /** The current value of a child (0 when it does not exist yet). */
  value(labels?: LabelValues<T>): number {
    return this.find(labels)?.value ?? 0;
  }

  protected newChild(): CounterChild {
    return new CounterChild(this.now);
  }

  protected point(c: CounterChild, labels: Record<string, string>): MetricPoint {
    return { labels, value: c.value, created: c.created, exemplar: c.exemplar };
  }
}
