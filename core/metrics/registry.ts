/**
 * Registries: the set of collectors one `/metrics` endpoint exposes.
 *
 * @example
 * ```ts
 * const registry = new Registry({ defaultLabels: { service: 'api' } });
 * const up = new Gauge({ name: 'app_up', help: 'Whether the app is up.', registers: [registry] });
 * up.set(1);
 * const body = await registry.metrics(); // text format 0.0.4
 * ```
 * @module
 */
import {
  type ExpositionFormat,
  type MetricFamily,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
  writeFamilies,
  type WriteOptions,
} from '../exposition/mod.ts';
import { Labels } from '../model/mod.ts';
import type { Collector } from './collector.ts';

/** Options of a `Registry`. */
export interface RegistryOptions {
  /** Labels added to every exposed metric that does not set them itself. */
  defaultLabels?: Readonly<Record<string, string>>;
  /** Default output format of `metrics()` (default `'text'`). */
  format?: ExpositionFormat;
}

/** A set of collectors, exposed together. */
export class Registry {
  readonly #byName = new Map<string, Collector>();
  readonly #collectors: Collector[] = [];
  #defaultLabels: Readonly<Record<string, string>>;
  #format: ExpositionFormat;

  /** Creates an empty registry. */
  constructor(opts: RegistryOptions = {}) {
    this.#defaultLabels = { ...opts.defaultLabels };
    this.#format = opts.format ?? 'text';
  }

  /** Adds a collector; throws if one of its names is already registered. */
  register(collector: Collector): void {
    for (const n of collector.names) {
      if (this.#byName.has(n)) {
        throw new Error(`a metric named "${n}" is already registered`);
      }
    }
    for (const n of collector.names) this.#byName.set(n, collector);
    this.#collectors.push(collector);
  }

  /** Alias of `register`, as in prom-client. */
  registerMetric(collector: Collector): void {
    this.register(collector);
  }

  /** Removes the collector exposing `name` (or the collector itself); returns whether found. */
  unregister(target: string | Collector): boolean {
    const c = typeof target === 'string' ? this.#byName.get(target) : target;
    const i = c === undefined ? -1 : this.#collectors.indexOf(c);
    if (c === undefined || i < 0) return false;
    this.#collectors.splice(i, 1);
    for (const n of c.names) this.#byName.delete(n);
    return true;
  }

  /** Alias of `unregister(name)`, as in prom-client. */
  removeSingleMetric(name: string): boolean {
    return this.unregister(name);
  }

  /** The collector exposing `name`, if any. */
  get(name: string): Collector | undefined {
    return this.#byName.get(name);
  }

  /** Alias of `get`, as in prom-client. */
  getSingleMetric(name: string): Collector | undefined {
    return this.get(name);
  }

  /** All registered collectors, in registration order. */
  collectors(): readonly Collector[] {
    return [...this.#collectors];
  }

  /** Removes every collector. */
  clear(): void {
    this.#byName.clear();
    this.#collectors.length = 0;
  }

  /** Resets every collector that holds values. */
  resetMetrics(): void {
    for (const c of this.#collectors) c.reset?.();
  }

  /** Replaces the default labels. */
  setDefaultLabels(labels: Readonly<Record<string, string>>): void {
    this.#defaultLabels = { ...labels };
  }

  /** The content type `metrics()` produces by default. */
  get contentType(): string {
    return this.#format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
  }

  /** Sets the default format by content type (either of the two this registry writes). */
  set contentType(type: string) {
    if (type === TEXT_CONTENT_TYPE) this.#format = 'text';
    else if (type === OPENMETRICS_CONTENT_TYPE) this.#format = 'openmetrics';
    else throw new TypeError(`unsupported content type ${JSON.stringify(type)}`);
  }

  /** Collects every family (running collect hooks concurrently), with default labels added. */
  async collect(): Promise<MetricFamily[]> {
    const parts = await Promise.all(this.#collectors.map((c) => c.collect()));
    const out = parts.flat();
    const defaults = Object.keys(this.#defaultLabels);
    if (defaults.length === 0) return out;
    return out.map((f) => ({
      ...f,
      metrics: f.metrics.map((m) => {
        const own = m.labels instanceof Labels ? m.labels.toRecord() : m.labels ?? {};
        const labels: Record<string, string> = { ...own };
        for (const k of defaults) if (!(k in own)) labels[k] = this.#defaultLabels[k];
        return { ...m, labels };
      }),
    }));
  }

  /** The exposition of every family, in `format` (default: this registry's format). */
  async metrics(format: ExpositionFormat = this.#format, opts?: WriteOptions): Promise<string> {
    return writeFamilies(await this.collect(), format, opts);
  }

  /** A registry exposing the collectors of all `registries` (names must not clash). */
  static merge(registries: readonly Registry[]): Registry {
    const r = new Registry();
    for (const src of registries) for (const c of src.#collectors) r.register(c);
    return r;
  }
}
