/**
 * Gauges: values that go up and down.
 *
 * @example
 * ```ts
 * const inFlight = new Gauge({ name: 'app_in_flight', help: 'Requests in flight.' });
 * inFlight.inc();
 * const end = inFlight.startTimer(); // …work… end() sets the gauge to the seconds elapsed
 * ```
 * @module
 */
import type { MetricPoint } from '../exposition/mod.ts';
import { type EndTimer, type LabelValues, Metric, type MetricOptions } from './metric.ts';

/** One labelled gauge. */
export class GaugeChild {
  /** Current value. */
  value = 0;
  readonly #now: () => number;

  /** @internal Created by `Gauge`. */
  constructor(now: () => number) {
    this.#now = now;
  }

  /** Sets the value. */
  set(value: number): void {
    if (typeof value !== 'number') throw new TypeError(`gauge value must be a number: ${value}`);
    this.value = value;
  }

  /** Adds `value` (default 1). */
  inc(value = 1): void {
    this.value += value;
  }

  /** Subtracts `value` (default 1). */
  dec(value = 1): void {
    this.value -= value;
  }

  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(): void {
    this.value = this.#now() / 1000;
  }
}

/** Options of a `Gauge`. */
export type GaugeOptions<T extends string> = MetricOptions<T, Gauge<T>>;

/** A gauge, optionally with labelled children. */
export class Gauge<T extends string = string> extends Metric<T, GaugeChild, Gauge<T>> {
  /** Always `'gauge'`. */
  readonly type = 'gauge' as const;

  /** Creates the gauge and registers it with `opts.registers`. */
  constructor(opts: GaugeOptions<T>) {
    super(opts);
    this.registerWith(opts.registers);
  }

  /** Sets the unlabelled child, or the child for `labels`. */
  set(value: number): void;
  set(labels: LabelValues<T>, value: number): void;
  set(a: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'object') this.labels(a).set(b as number);
    else this.labels({}).set(a);
  }

  /** Adds `value` (default 1). */
  inc(value?: number): void;
  inc(labels: LabelValues<T>, value?: number): void;
  inc(a?: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'object') this.labels(a).inc(b);
    else this.labels({}).inc(a);
  }

  /** Subtracts `value` (default 1). */
  dec(value?: number): void;
  dec(labels: LabelValues<T>, value?: number): void;
  dec(a?: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'object') this.labels(a).dec(b);
    else this.labels({}).dec(a);
  }

  /** Sets a child to the current Unix time in seconds. */
  setToCurrentTime(labels?: LabelValues<T>): void {
    this.child(labels).setToCurrentTime();
  }

  /** Starts a timer; calling the result sets the gauge to the elapsed seconds. */
  startTimer(labels?: LabelValues<T>): EndTimer<T> {
    return this.timer(labels, (s, l) => this.labels(l).set(s));
  }

  /** The current value of a child (0 when it does not exist yet). */
  value(labels?: LabelValues<T>): number {
    return this.find(labels)?.value ?? 0;
  }

  protected newChild(): GaugeChild {
    return new GaugeChild(this.now);
  }

  protected point(c: GaugeChild, labels: Record<string, string>): MetricPoint {
    return { labels, value: c.value };
  }
}
