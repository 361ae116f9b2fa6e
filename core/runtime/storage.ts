/**
 * Opening the storage engine named by `storage.engine` (a built-in such as `duckdb` or
 * `memory`, or a plugin specifier) with the block of {@link StorageEngineBlock}.
 * @module
 */
import * as v from 'valibot';
import { type Config, ConfigError, ConfigLoadError } from '../config/mod.ts';
import { PluginLoadError } from '../plugin.ts';
import type { Storage, StorageEngineBlock } from '../storage/mod.ts';
import { type LoadedPlugin, locatePlugin, type PluginEnv, startPlugins } from './plugins.ts';

/** A started storage engine. */
export interface OpenStorage {
  plugin: LoadedPlugin;
  storage: Storage;
}

/** Keys of the engine block the runtime sets, and where a user sets them instead. */
const RUNTIME_KEYS: Readonly<Record<string, string>> = {
  path: '--storage.tsdb.path',
  retention_time: '--storage.tsdb.retention.time or storage.tsdb.retention.time',
  retention_size: '--storage.tsdb.retention.size or storage.tsdb.retention.size',
  out_of_order_time_window: 'storage.tsdb.out_of_order_time_window',
  max_series: '--storage.tsdb.max-series',
};

/** Builds the engine block from `storage.options`, the flags and the config. */
export function storageEngineBlock(
  config: Config,
  flags: Record<string, string>,
): StorageEngineBlock {
  const tsdb = config.storage.tsdb;
  const maxSeries = Number(flags['storage.tsdb.max-series'] || '0');
  return {
    ...config.storage.options,
    ...(maxSeries > 0 ? { max_series: maxSeries } : {}),
    ...(flags['storage.tsdb.min-block-duration']
      ? { block_range: flags['storage.tsdb.min-block-duration'] }
      : {}),
    path: flags['storage.tsdb.path'] || 'data/',
    retention_time: flags['storage.tsdb.retention.time'] || tsdb?.retention?.time?.toString() ||
      '15d',
    retention_size: flags['storage.tsdb.retention.size'] || tsdb?.retention?.size?.toString() ||
      '0',
    out_of_order_time_window: tsdb?.out_of_order_time_window?.toString() ?? '0s',
  };
}

/** Resolves, validates and starts the storage engine; errors name `storage.engine`. */
export async function openStorage(
  config: Config,
  flags: Record<string, string>,
  env: PluginEnv,
): Promise<OpenStorage> {
  const use = config.storage.engine;
  const file = config.source?.file ?? '<config>';
  const failAt = (key: string[], message: string) => {
    const pos = config.source?.positionOf(key) ??
      config.source?.positionOf(['storage', 'engine']) ??
      { line: 1, column: 1 };
    return new ConfigLoadError([new ConfigError(file, pos.line, pos.column, key, message)]);
  };
  const fail = (message: string) => failAt(['storage', 'engine'], message);
  const options = config.storage.options ?? {};
  for (const k of Object.keys(options)) {
    if (k in RUNTIME_KEYS) {
      throw failAt(['storage', 'options', k], `${k} is set with ${RUNTIME_KEYS[k]}, not here`);
    }
  }
  let definition;
  try {
    definition = await env.plugins.resolve(await locatePlugin(use, env));
  } catch (e) {
    if (e instanceof PluginLoadError) throw fail(e.message);
    throw e;
  }
  if (definition.kind !== 'storage') {
    throw fail(
      `plugin ${JSON.stringify(use)} is a ${definition.kind} plugin, not a storage engine`,
    );
  }
  const block = storageEngineBlock(config, flags);
  const parsed = v.safeParse(definition.schema, block);
  if (!parsed.success) {
    const key = parsed.issues[0].path?.[0]?.key;
    if (typeof key === 'string' && key in options) {
      throw failAt(
        ['storage', 'options', key],
        `storage engine ${JSON.stringify(use)} rejects ${key}: ${parsed.issues[0].message}`,
      );
    }
    throw fail(
      `storage engine ${JSON.stringify(use)} rejects its settings: ${
        parsed.issues.map((i) => i.message).join('; ')
      }`,
    );
  }
  try {
    const [plugin] = await startPlugins([{ use, definition, config: parsed.output }], env);
    return { plugin, storage: plugin.instance as unknown as Storage };
  } catch (e) {
    if (use !== 'duckdb' || (e as { code?: unknown })?.code !== DUCKDB_UNAVAILABLE) throw e;
    return await openMemoryFallback(block, env, e as Error);
  }
}

/**
 * The code of the error raised where DuckDB's native binding cannot be loaded (a single
 * executable that could not unpack it, for one); Beacon then runs on the memory engine.
 */
export const DUCKDB_UNAVAILABLE = 'ERR_DUCKDB_BINDING';

async function openMemoryFallback(
  block: StorageEngineBlock,
  env: PluginEnv,
  why: Error,
): Promise<OpenStorage> {
  const definition = await env.plugins.resolve('memory');
  // Only the common settings: DuckDB's own (block_range, storage.options) do not apply.
  const rest = Object.fromEntries(
    Object.entries(block).filter(([k]) => k in RUNTIME_KEYS),
  );
  const parsed = v.safeParse(definition.schema, rest);
  if (!parsed.success) throw why;
  env.logger.warn(
    'DuckDB is not available here; using the memory engine instead: samples are kept in memory only and lost when Beacon stops',
    { reason: why.message },
  );
  const [plugin] = await startPlugins([{ use: 'memory', definition, config: parsed.output }], env);
  return { plugin, storage: plugin.instance as unknown as Storage };
}
