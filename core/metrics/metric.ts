/**
 * What every metric class shares: name and label validation, labelled children, the collect
 * hook, timers and registration.
 * @module
 */
import type { FamilyType, MetricFamily, MetricPoint } from '../exposition/mod.ts';
import { isValidUTF8Name } from '../model/mod.ts';
import type { Collector } from './collector.ts';
import type { Registry } from './registry.ts';

/** A label value as callers may pass it; numbers are converted with `String()`. */
export type LabelValue = string | number;

/** Label values by name, typed from a metric's label names (missing names are absent). */
export type LabelValues<T extends string> = Partial<Record<T, LabelValue>>;

/** Options every metric takes. */
export interface MetricOptions<T extends string, M> {
  /** Metric name; legacy names are written bare, any other UTF-8 name quoted. */
  name: string;
  /** Help text. */
  help: string;
  /** Label names; children are addressed by values for these. */
  labelNames?: readonly T[];
  /** Registries to register with on construction (none by default: no global registry). */
  registers?: readonly Registry[];
  /** Called before every collection, e.g. to `set()` a gauge from a live source. */
  collect?: (this: M, metric: M) => void | Promise<void>;
  /**
   * Clock in milliseconds, for tests: used for timers, window rotation, created and
   * current-time values. Defaults to `performance.now()` for timers and `Date.now()` otherwise.
   */
  now?: () => number;
}

/** Ends a timer started with `startTimer`, returning the elapsed seconds. */
export type EndTimer<T extends string> = (labels?: LabelValues<T>) => number;

interface Entry<C> {
  labels: Record<string, string>;
  child: C;
}

/** Checks a metric name, throwing a `TypeError` naming it when invalid. */
export function validateMetricName(name: string): void {
  if (typeof name !== 'string' || !isValidUTF8Name(name)) {
    throw new TypeError(`invalid metric name ${JSON.stringify(name)}`);
  }
}

/** Checks label names: valid, unique, not reserved (`__*` and the type's own, like `le`). */
export function validateLabelNames(names: readonly string[], reserved: readonly string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || !isValidUTF8Name(n) || n.startsWith('__')) {
      throw new TypeError(`invalid label name ${JSON.stringify(n)}`);
    }
    if (reserved.includes(n)) throw new TypeError(`label name "${n}" is reserved`);
    if (seen.has(n)) throw new TypeError(`duplicate label name "${n}"`);
    seen.add(n);
  }
}

/**
 * Base of `Counter`, `Gauge`, `Histogram` and `Summary`. `C` is the child type (one per label
 * value combination), `M` the concrete class (for the collect hook's `this`).
 */
export abstract class Metric<T extends string, C, M> implements Collector {
  /** The metric name. */
  readonly name: string;
  /** The help text. */
  readonly help: string;
  /** The label names, in declaration order. */
  readonly labelNames: readonly T[];
  /** The family type this metric exposes. */
  abstract readonly type: FamilyType;
  /** Wall clock in ms. */
  protected readonly now: () => number;
  /** Timer clock in ms. */
  protected readonly clock: () => number;
  readonly #children = new Map<string, Entry<C>>();
  readonly #labelSet: ReadonlySet<string>;
  readonly #hook: ((this: M, metric: M) => void | Promise<void>) | undefined;

  /** `reserved` lists label names the type uses itself (`le`, `quantile`). */
  protected constructor(opts: MetricOptions<T, M>, reserved: readonly string[] = []) {
    validateMetricName(opts.name);
    if (typeof opts.help !== 'string') throw new TypeError(`metric ${opts.name}: help is required`);
    const labelNames = opts.labelNames ?? [];
    validateLabelNames(labelNames, reserved);
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = [...labelNames];
    this.#labelSet = new Set(labelNames);
    this.#hook = opts.collect;
    this.now = opts.now ?? Date.now;
    this.clock = opts.now ?? (() => performance.now());
  }

  /** Registers with `opts.registers`; called by subclasses once fully constructed. */
  protected registerWith(registers: readonly Registry[] | undefined): void {
    if (this.labelNames.length === 0) this.#entry('', {});
    for (const r of registers ?? []) r.register(this);
  }

  /** Creates a fresh child. */
  protected abstract newChild(): C;

  /** Describes one child as a metric point. */
  protected abstract point(child: C, labels: Record<string, string>): MetricPoint;

  /** The family names this metric exposes (its own name). */
  get names(): readonly string[] {
    return [this.name];
  }

  /**
   * The child for label values: positional (all of them, in `labelNames` order) or an object
   * (a subset; unknown names throw). Children are created on first use.
   */
  labels(...values: LabelValue[]): C;
  labels(values: LabelValues<T>): C;
  labels(...args: unknown[]): C {
    const key = this.#key(args);
    const e = this.#children.get(key);
    return e !== undefined ? e.child : this.#entry(key, this.#record(args)).child;
  }

  /** Removes the child for the given label values; returns whether one existed. */
  remove(...values: LabelValue[]): boolean;
  remove(values: LabelValues<T>): boolean;
  remove(...args: unknown[]): boolean {
    return this.#children.delete(this.#key(args));
  }

  /** Drops every child; an unlabelled metric starts again from zero. */
  reset(): void {
    this.#children.clear();
    if (this.labelNames.length === 0) this.#entry('', {});
  }

  /** Runs the collect hook, then describes every child. */
  async collect(): Promise<MetricFamily[]> {
    return [await this.get()];
  }

  /** Runs the collect hook and returns this metric's family. */
  async get(): Promise<MetricFamily> {
    if (this.#hook !== undefined) await this.#hook.call(this as unknown as M, this as unknown as M);
    return this.snapshot();
  }

  /** This metric's family now, without running the collect hook. */
  snapshot(): MetricFamily {
    const metrics: MetricPoint[] = [];
    for (const e of this.#children.values()) metrics.push(this.point(e.child, e.labels));
    return { name: this.name, help: this.help, type: this.type, metrics };
  }

  /** The child for optional label values (the unlabelled child when absent). */
  protected child(labels: LabelValues<T> | undefined): C {
    return labels === undefined ? this.labels({}) : this.labels(labels);
  }

  /** The existing child for label values, without creating one. */
  protected find(labels: LabelValues<T> | undefined): C | undefined {
    return this.#children.get(this.#key([labels ?? {}]))?.child;
  }

  /** Starts a timer; `done` receives the elapsed seconds and the merged labels. */
  protected timer(
    labels: LabelValues<T> | undefined,
    done: (seconds: number, labels: LabelValues<T>) => void,
  ): EndTimer<T> {
    const start = this.clock();
    return (end) => {
      const seconds = (this.clock() - start) / 1000;
      done(seconds, { ...labels, ...end });
      return seconds;
    };
  }

  #entry(key: string, labels: Record<string, string>): Entry<C> {
    const e = { labels, child: this.newChild() };
    this.#children.set(key, e);
    return e;
  }

  // Keys are length-prefixed values in labelNames order ('-' for absent): unambiguous for
  // any value, cheap to build. Validation happens here; the label record is built only when
  // a child is created.
  #key(args: unknown[]): string {
    const names = this.labelNames;
    let key = '';
    if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
      const obj = args[0] as Record<string, LabelValue | undefined>;
      let given = 0;
      for (const n of names) {
        const v = obj[n];
        if (v === undefined) key += '-';
        else {
          const s = typeof v === 'string' ? v : String(v);
          key += s.length + ':' + s;
          given++;
        }
      }
      // Only walk the object for unknown names when it holds more keys than were matched.
      if (given !== names.length || Object.keys(obj).length !== given) {
        for (const k in obj) {
          if (!this.#labelSet.has(k)) {
            throw new TypeError(`metric ${this.name}: unknown label name "${k}"`);
          }
        }
      }
      return key;
    }
    if (args.length !== names.length) {
      throw new TypeError(
        `metric ${this.name}: expected ${names.length} label values, got ${args.length}`,
      );
    }
    for (let i = 0; i < names.length; i++) {
      const a = args[i];
      if (typeof a !== 'string' && typeof a !== 'number') {
        throw new TypeError(`metric ${this.name}: label value for "${names[i]}" is not a string`);
      }
      const s = String(a);
      key += s.length + ':' + s;
    }
    return key;
  }

  // The label record of already validated arguments, in labelNames order.
  #record(args: unknown[]): Record<string, string> {
    const names = this.labelNames;
    const labels: Record<string, string> = {};
    const positional = !(args.length === 1 && typeof args[0] === 'object' && args[0] !== null);
    const obj = args[0] as Record<string, LabelValue | undefined>;
    for (let i = 0; i < names.length; i++) {
      const v = positional ? args[i] : obj[names[i]];
      if (v !== undefined) labels[names[i]] = String(v);
    }
    return labels;
  }
}
