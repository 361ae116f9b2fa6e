/**
 * Turning the config's `plugins` list into running instances: resolve each specifier,
 * validate its config block with the plugin's own schema (same error form as the config),
 * start in kind order, stop in reverse.
 * @module
 */
import {
  type Config,
  ConfigError,
  ConfigLoadError,
  isAbsolute,
  joinDir,
  validateBlock,
} from '../config/mod.ts';
import type { Host } from '../host.ts';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../metrics/mod.ts';
import {
  PLUGIN_KINDS,
  type PluginDefinition,
  type PluginInstance,
  type PluginKind,
  PluginLoadError,
  type PluginRegistry,
} from '../plugin.ts';
import { findInstalledPackage, isBarePackage } from './packages.ts';

/** A plugin that has been created from the config. */
export interface LoadedPlugin {
  /** The `use` text from the config. */
  use: string;
  definition: PluginDefinition;
  config: unknown;
  instance: PluginInstance;
}

/** A plugin found and validated, not yet created. */
export interface ResolvedPlugin {
  use: string;
  definition: PluginDefinition;
  config: unknown;
}

/** What the plugin functions need. */
export interface PluginEnv {
  host: Host;
  logger: Logger;
  registry: Registry;
  plugins: PluginRegistry;
  /** Directory of the config file, for relative plugin paths. */
  baseDir: string;
  /** Instances already running that plugins may use (the storage engine). */
  capabilities?: ReadonlyMap<PluginKind, readonly PluginInstance[]>;
}

/** Where a `use` specifier points: relative paths resolve against the config's directory. */
export function resolveSpecifier(use: string, baseDir: string): string {
  return use.startsWith('./') || use.startsWith('../') ? joinDir(baseDir, use) : use;
}

/**
 * The module specifier to import for `use`: a relative path made absolute; a package name (or,
 * outside Deno, an `npm:` specifier) as the file of that package installed in a
 * `node_modules` at or above the config's directory, if there is one; else `use` unchanged,
 * for the runtime's own resolution.
 */
export async function locatePlugin(
  use: string,
  env: Pick<PluginEnv, 'baseDir' | 'host'>,
): Promise<string> {
  const spec = resolveSpecifier(use, env.baseDir);
  if (isAbsolute(spec)) return env.host.resolvePath(spec);
  // Deno fetches `npm:` packages itself; elsewhere they are installed packages.
  const bare = spec.startsWith('npm:') && env.host.runtime.name !== 'deno'
    ? spec.slice(4).replace(/^((?:@[^/@]+\/)?[^/@]+)@[^/]*/, '$1')
    : spec;
  if (!isBarePackage(bare)) return spec;
  return (await findInstalledPackage(bare, env.baseDir, env.host)) ?? spec;
}

/** Resolves and validates every plugin of `config`; all errors are collected, then thrown. */
export async function resolvePlugins(
  config: Config,
  env: PluginEnv,
): Promise<ResolvedPlugin[]> {
  const errors: ConfigError[] = [];
  const out: ResolvedPlugin[] = [];
  const source = config.source;
  for (const [i, entry] of config.plugins.entries()) {
    const pos = source?.positionOf(['plugins', i, 'use']) ?? { line: 0, column: 0 };
    const file = source?.file ?? '<config>';
    let definition: PluginDefinition;
    try {
      definition = await env.plugins.resolve(await locatePlugin(entry.use, env));
    } catch (e) {
      if (!(e instanceof PluginLoadError)) throw e;
      errors.push(new ConfigError(file, pos.line, pos.column, ['plugins', i, 'use'], e.message));
      continue;
    }
    if (definition.kind === 'storage') {
      errors.push(
        new ConfigError(
          file,
          pos.line,
          pos.column,
          ['plugins', i, 'use'],
          `${
            JSON.stringify(entry.use)
          } is a storage engine: choose it with storage.engine, not in plugins`,
        ),
      );
      continue;
    }
    if (definition.kind === 'notifier') {
      // A notifier is configured per receiver; listing it here makes `<name>_configs` known.
      if (entry.config !== undefined && entry.config !== null) {
        const at = source?.positionOf(['plugins', i, 'config']) ?? pos;
        errors.push(
          new ConfigError(
            file,
            at.line,
            at.column,
            ['plugins', i, 'config'],
            `${
              JSON.stringify(entry.use)
            } is a notifier: configure it in a receiver's ${definition.name}_configs, not here`,
          ),
        );
        continue;
      }
      out.push({ use: entry.use, definition, config: undefined });
      continue;
    }
    try {
      const cfg = source
        ? validateBlock(definition.schema, source, ['plugins', i, 'config'])
        : entry.config;
      out.push({ use: entry.use, definition, config: cfg });
    } catch (e) {
      if (!(e instanceof ConfigLoadError)) throw e;
      errors.push(...e.errors);
    }
  }
  if (errors.length) throw new ConfigLoadError(errors);
  return out;
}

/** The notifier plugins a config lists: receivers may use them as `<name>_configs`. */
export function declaredNotifiers(resolved: readonly ResolvedPlugin[]): PluginDefinition[] {
  return resolved.filter((r) => r.definition.kind === 'notifier').map((r) => r.definition);
}

/** Orders plugins for start-up: by kind (storage first), then config order. */
export function startOrder<T extends { definition: PluginDefinition }>(items: readonly T[]): T[] {
  const rank = (k: PluginKind) => PLUGIN_KINDS.indexOf(k);
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.definition.kind) - rank(b.item.definition.kind) || a.i - b.i)
    .map(({ item }) => item);
}

/** Creates and starts resolved plugins in dependency order; stops those started on failure. */
export async function startPlugins(
  resolved: readonly ResolvedPlugin[],
  env: PluginEnv,
): Promise<LoadedPlugin[]> {
  const started: LoadedPlugin[] = [];
  const capabilities = new Map<PluginKind, PluginInstance[]>(
    [...(env.capabilities ?? [])].map(([k, list]) => [k, [...list]]),
  );
  try {
    for (const r of startOrder(resolved)) {
      // Notifiers are created per receiver by the routing, not here.
      if (r.definition.kind === 'notifier') continue;
      const logger = env.logger.with({ component: 'plugin', plugin: r.definition.name });
      const instance = await r.definition.create(r.config, {
        logger,
        host: env.host,
        registry: env.registry,
        capabilities,
      });
      await instance.start?.();
      started.push({ ...r, instance });
      const list = capabilities.get(r.definition.kind) ?? [];
      list.push(instance);
      capabilities.set(r.definition.kind, list);
      logger.info('Plugin started', { kind: r.definition.kind, use: r.use });
    }
  } catch (e) {
    await stopPlugins(started, env.logger);
    throw e;
  }
  return started;
}

/** Stops plugins in reverse start order; a failing stop is logged and the rest go on. */
export async function stopPlugins(started: readonly LoadedPlugin[], logger: Logger): Promise<void> {
  for (const p of [...started].reverse()) {
    try {
      await p.instance.stop?.();
    } catch (e) {
      logger.error('Plugin failed to stop', { plugin: p.definition.name, err: e as Error });
    }
  }
}
