/**
 * Exposition formats: Prometheus text 0.0.4 and OpenMetrics 1.0 text, parsed and written,
 * and the content negotiation between them.
 * @module
 */
export * from './writer.ts';
export * from './negotiate.ts';
export type { ExpositionFormat } from './types.ts';
// --- parser re-exports (added by the lead) ---
export * from './parser.ts';
export { checkMetrics, type CheckResult } from './check_metrics.ts';
export { ParseError } from './parse_error.ts';
export type { EntryKind, Exemplar, ExpositionParser, MetricType, ParseOptions } from './types.ts';
export type { Problem } from './strict.ts';
