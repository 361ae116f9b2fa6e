/**
 * The PromQL evaluator (Prometheus 3.x semantics): instant and range queries over any storage
 * engine's {@link Querier}, with annotations, limits, timeouts and cancellation.
 *
 * @example
 * ```ts
 * const engine = new Engine();
 * const r = await engine.rangeQuery(storage, 'rate(http_requests_total[5m])', start, end, 15_000);
 * ```
 * @module
 */
export {
  Engine,
  type EngineOptions,
  type MatrixSeries,
  type Queryable,
  type QueryLogEntry,
  type QueryOptions,
  type QueryResult,
  type QueryValue,
  type VectorSample,
} from './engine.ts';
export { QueryError, type QueryErrorKind } from './errors.ts';
export type { QuerySamples, QueryStats, QueryTimings } from './stats.ts';
