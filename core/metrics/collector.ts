/**
 * The seam between a registry and whatever produces metric families.
 * @module
 */
import type { MetricFamily } from '../exposition/mod.ts';

/**
 * Anything a `Registry` can collect from: a metric, or a collector of several families
 * (such as the process collector). `names` are the family names it exposes; a registry
 * refuses two collectors that share one.
 */
export interface Collector {
  /** Family names this collector exposes. */
  readonly names: readonly string[];
  /** Produces the current families; may be async (a collect hook may await). */
  collect(): MetricFamily[] | Promise<MetricFamily[]>;
  /** Resets accumulated values, if the collector holds any. */
  reset?(): void;
}
