/**
 * Opening the query engine (the `engine` plugin kind; `promql` is the built-in) with a block
 * built from the `--query.*` flags and the config, and the storage it reads.
 * @module
 */
import * as v from 'valibot';
import type { ApiExtension } from '../api/mod.ts';
import { type Config, ConfigError, ConfigLoadError } from '../config/mod.ts';
import { PluginLoadError } from '../plugin.ts';
import type { Labels } from '../model/mod.ts';
import type { Storage } from '../storage/mod.ts';
import { type LoadedPlugin, type PluginEnv, startPlugins } from './plugins.ts';

/** The name of the built-in query engine. */
export const DEFAULT_ENGINE = 'promql';

/** An instant query's value, as the rule manager needs it. */
export type InstantValue =
  | { resultType: 'vector'; result: { labels: Labels; v: number }[] }
  | { resultType: 'scalar'; result: { v: number } }
  | { resultType: 'matrix' | 'string'; result: unknown };

/** What the runtime needs of a query engine instance. */
export interface QueryEngine {
  /** The `/api/v1` query routes over `storage`. */
  apiExtension(storage: Storage): ApiExtension;
  /** An instant query at `time` (ms); `logContext` goes into its query log entry. */
  query(
    storage: Storage,
    query: string,
    time: number,
    opts?: { logContext?: Record<string, unknown> },
  ): Promise<InstantValue>;
  /** Logs queries to `global.query_log_file` (reopened on each call; undefined: off). */
  setQueryLogFile?(path: string | undefined): Promise<void>;
}

/** A started engine. */
export interface OpenEngine {
  plugin: LoadedPlugin;
  engine: QueryEngine;
}

/** The engine's block: flags first, then the config's evaluation interval for subqueries. */
export function engineBlock(
  config: Config,
  flags: Record<string, string>,
): Record<string, unknown> {
  const num = (s: string | undefined, fallback: number) => (s ? Number(s) : fallback);
  return {
    lookback_delta: flags['query.lookback-delta'] || '5m',
    query_timeout: flags['query.timeout'] || '2m',
    max_samples: num(flags['query.max-samples'], 50_000_000),
    max_concurrency: num(flags['query.max-concurrency'], 20),
    subquery_step: config.global.evaluation_interval.toString(),
  };
}

/** Resolves, validates and starts the engine; bad flag values are reported by flag name. */
export async function openEngine(
  config: Config,
  flags: Record<string, string>,
  env: PluginEnv,
): Promise<OpenEngine> {
  const fail = (message: string) =>
    new ConfigLoadError([new ConfigError('<command line>', 0, 0, [], message)]);
  let definition;
  try {
    definition = await env.plugins.resolve(DEFAULT_ENGINE);
  } catch (e) {
    if (e instanceof PluginLoadError) throw fail(e.message);
    throw e;
  }
  const parsed = v.safeParse(definition.schema, engineBlock(config, flags));
  if (!parsed.success) {
    throw fail(
      `query engine settings (--query.*): ${parsed.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const [plugin] = await startPlugins(
    [{ use: DEFAULT_ENGINE, definition, config: parsed.output }],
    env,
  );
  const engine = plugin.instance as unknown as QueryEngine;
  if (typeof engine.apiExtension !== 'function') {
    throw fail(`plugin ${JSON.stringify(DEFAULT_ENGINE)} is not a query engine`);
  }
  return { plugin, engine };
}
