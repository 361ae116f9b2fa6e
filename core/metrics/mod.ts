/**
 * The instrumentation library: counters, gauges, histograms and summaries in registries that
 * write the Prometheus text format and OpenMetrics. Its API follows prom-client's, so code
 * written for it reads the same; there is no global registry and nothing runs on import.
 *
 * @example
 * ```ts
 * import { Counter, Registry } from './core/metrics/mod.ts';
 * const registry = new Registry();
 * const hits = new Counter({ name: 'hits_total', help: 'Hits.', registers: [registry] });
 * hits.inc();
 * console.log(await registry.metrics());
 * ```
 * @module
 */
export * from './buckets.ts';
export type { Collector } from './collector.ts';
export * from './counter.ts';
export type { ExemplarLabels } from './exemplar.ts';
export * from './gauge.ts';
export * from './histogram.ts';
export * from './hono.ts';
export {
  type EndTimer,
  type LabelValue,
  type LabelValues,
  Metric,
  type MetricOptions,
  validateLabelNames,
  validateMetricName,
} from './metric.ts';
export * from './process.ts';
export * from './quantile_stream.ts';
export * from './registry.ts';
export * from './summary.ts';
