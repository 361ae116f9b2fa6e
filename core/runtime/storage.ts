/**
 * Opening the storage engine named by `storage.engine` (a built-in such as `duckdb` or
 * `memory`, or a plugin specifier) with the block of {@link StorageEngineBlock}.
 * @module
 */
import * as v from 'valibot';
import { type Config, ConfigError, ConfigLoadError, isAbsolute } from '../config/mod.ts';
import { PluginLoadError } from '../plugin.ts';
import type { Storage, StorageEngineBlock } from '../storage/mod.ts';
import { type LoadedPlugin, type PluginEnv, resolveSpecifier, startPlugins } from './plugins.ts';

/** A started storage engine. */
export interface OpenStorage {
  plugin: LoadedPlugin;
  storage: Storage;
}

/** Builds the engine block from the flags and the config. */
export function storageEngineBlock(
  config: Config,
  flags: Record<string, string>,
): StorageEngineBlock {
  const tsdb = config.storage.tsdb;
  return {
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
  const pos = config.source?.positionOf(['storage', 'engine']) ?? { line: 1, column: 1 };
  const file = config.source?.file ?? '<config>';
  const fail = (message: string) =>
    new ConfigLoadError([
      new ConfigError(file, pos.line, pos.column, ['storage', 'engine'], message),
    ]);
  let definition;
  try {
    const spec = resolveSpecifier(use, env.baseDir);
    definition = await env.plugins.resolve(isAbsolute(spec) ? env.host.resolvePath(spec) : spec);
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
    throw fail(
      `storage engine ${JSON.stringify(use)} rejects its settings: ${
        parsed.issues.map((i) => i.message).join('; ')
      }`,
    );
  }
  const [plugin] = await startPlugins([{ use, definition, config: parsed.output }], env);
  return { plugin, storage: plugin.instance as unknown as Storage };
}
