/**
 * The `promql` engine plugin: Beacon's PromQL evaluator and the query side of the HTTP API.
 *
 * @example In the config
 * ```yaml
 * plugins:
 *   - use: promql
 *     config: { lookback_delta: 5m, query_timeout: 2m, max_samples: 50000000, max_concurrency: 20 }
 * ```
 * @example Wiring (what the runtime does)
 * ```ts
 * const promql = await promqlPlugin.create(config, ctx);
 * const app = createApiApp(deps, [promql.apiExtension(storage)]);
 * const r = await promql.query(storage, 'up', Date.now());
 * ```
 * @module
 */
import * as v from 'valibot';
import type { ApiExtension } from '../../core/api/mod.ts';
import { pluginDuration as duration } from '../../core/config/mod.ts';
import type { Logger } from '../../core/log/logger.ts';
import { definePlugin, type PluginDefinition, type PluginInstance } from '../../core/plugin.ts';
import { Engine, type Queryable, type QueryOptions, type QueryResult } from './engine/mod.ts';
import { promqlApi } from './api/mod.ts';
import { QueryLogFile } from './query_log.ts';

export * from './engine/mod.ts';
export { promqlApi, type PromqlApiOptions } from './api/mod.ts';
export { QueryLogFile } from './query_log.ts';

const positiveInt = (key: string, fallback: number) =>
  v.optional(
    v.pipe(
      v.number(`${key}: expected a number`),
      v.integer(`${key}: expected an integer`),
      v.minValue(1, `${key}: must be at least 1`),
    ),
    fallback,
  );

/**
 * The engine's settings, named after Prometheus's `--query.*` flags; durations are Prometheus
 * durations (a bare number means seconds) and come out in milliseconds.
 */
export const promqlConfigSchema = v.strictObject({
  lookback_delta: duration('lookback_delta', '5m'),
  query_timeout: duration('query_timeout', '2m'),
  max_samples: positiveInt('max_samples', 50_000_000),
  max_concurrency: positiveInt('max_concurrency', 20),
  /** Step of subqueries without one (Prometheus uses `global.evaluation_interval`). */
  subquery_step: duration('subquery_step', '1m'),
  /** `--enable-feature=promql-experimental-functions` (also `limitk`, `limit_ratio`). */
  experimental_functions: v.optional(v.boolean(), false),
});

/** The validated config (durations in ms). */
export type PromqlConfig = v.InferOutput<typeof promqlConfigSchema>;

/** A started PromQL engine. */
export interface PromqlEngineInstance extends PluginInstance {
  readonly engine: Engine;
  /** An instant query over `storage` at `time` (ms). */
  query(storage: Queryable, query: string, time: number, opts?: QueryOptions): Promise<QueryResult>;
  /** A range query over `storage` (times and step in ms). */
  rangeQuery(
    storage: Queryable,
    query: string,
    start: number,
    end: number,
    step: number,
    opts?: QueryOptions,
  ): Promise<QueryResult>;
  /**
   * The `/api/v1` query routes over `storage` (default: the first storage capability).
   * @throws {Error} when no storage is given and none is available.
   */
  apiExtension(storage?: Queryable, opts?: { logger?: Logger; now?: () => number }): ApiExtension;
  /**
   * Logs every query to `path` as Prometheus's `global.query_log_file` (one JSON line each),
   * reopening the file; `undefined` stops logging.
   * @throws {Error} when the file cannot be opened.
   */
  setQueryLogFile(path: string | undefined): Promise<void>;
}

/** Builds an engine from a validated config. */
export function engineFromConfig(config: PromqlConfig): Engine {
  return new Engine({
    lookbackDelta: config.lookback_delta,
    timeout: config.query_timeout,
    maxSamples: config.max_samples,
    maxConcurrency: config.max_concurrency,
    subqueryStep: config.subquery_step,
    parseOptions: { experimentalFunctions: config.experimental_functions },
  });
}

/** The `promql` engine plugin definition. */
export const promqlPlugin: PluginDefinition<PromqlConfig> = definePlugin({
  kind: 'engine',
  name: 'promql',
  description: 'PromQL evaluator (Prometheus 3.x semantics) and the query HTTP API.',
  schema: promqlConfigSchema,
  create(config, ctx): PromqlEngineInstance {
    const engine = engineFromConfig(config);
    const queryLog = new QueryLogFile(engine);
    const storageCap = () => ctx.capabilities.get('storage')?.[0] as Queryable | undefined;
    return {
      engine,
      query: (storage, q, time, opts) => engine.instantQuery(storage, q, time, opts),
      rangeQuery: (storage, q, start, end, step, opts) =>
        engine.rangeQuery(storage, q, start, end, step, opts),
      apiExtension(storage, opts = {}) {
        const s = storage ?? storageCap();
        if (s === undefined) throw new Error('promql: no storage engine to query');
        return promqlApi({ engine, storage: s, logger: opts.logger ?? ctx.logger, now: opts.now });
      },
      setQueryLogFile: (path) => queryLog.set(path),
      stop: () => queryLog.close(),
    };
  },
});

export default promqlPlugin;
