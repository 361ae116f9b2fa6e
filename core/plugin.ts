/**
 * The plugin model. A plugin is a module exporting a {@link PluginDefinition}: its kind, name,
 * a valibot schema of its config block and a factory. The runtime finds built-ins by short name
 * and third-party plugins by module specifier, validates each config block with the plugin's
 * own schema, starts instances in dependency order and stops them in reverse.
 *
 * @example A third-party exporter plugin
 * ```ts
 * import * as v from 'valibot';
 * import { definePlugin } from 'beacon/mod.ts';
 *
 * export default definePlugin({
 *   kind: 'exporter',
 *   name: 'hello',
 *   schema: v.strictObject({ greeting: v.optional(v.string(), 'hi') }),
 *   create(config, ctx) {
 *     const g = ctx.registry.gauge({ name: 'hello_info', help: 'Says hello.', labelNames: ['greeting'] });
 *     return { start: () => g.labels(config.greeting).set(1) };
 *   },
 * });
 * ```
 * @module
 */
import type { GenericSchema } from 'valibot';
import type { Host } from './host.ts';
import type { Logger } from './log/logger.ts';
import type { Registry } from './metrics/mod.ts';

/** What a plugin provides. Started in this order, stopped in reverse. */
export const PLUGIN_KINDS = ['storage', 'engine', 'discovery', 'notifier', 'exporter'] as const;

/** A plugin kind. */
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** What the runtime hands a plugin's factory. */
export interface PluginContext {
  /** A logger tagged with the plugin's name. */
  logger: Logger;
  /** The runtime adapter: files, timers, DNS, process facts. */
  host: Host;
  /** Beacon's metrics registry; a plugin registers its own metrics here. */
  registry: Registry;
  /** Instances of other kinds that started before this one (for example `storage`). */
  capabilities: ReadonlyMap<PluginKind, readonly PluginInstance[]>;
}

/** An HTTP page a plugin serves on Beacon's listener, e.g. an exporter's metrics. */
export interface PluginRoute {
  /** Exact path below the route prefix, e.g. `/exporters/host/metrics` (GET and HEAD). */
  path: string;
  fetch(req: Request): Response | Promise<Response>;
}

/** A started (or startable) plugin. */
export interface PluginInstance {
  /** Pages it serves while it runs. */
  readonly routes?: readonly PluginRoute[];
  start?(): void | Promise<void>;
  /** Applies a new config block; absent when the plugin must be recreated instead. */
  reload?(config: unknown): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** A plugin module's export. */
export interface PluginDefinition<C = unknown> {
  kind: PluginKind;
  /** Short name, unique within its kind. */
  name: string;
  /** One line for `--help`-style listings and logs. */
  description?: string;
  /** Validates (and applies defaults to) the plugin's config block. */
  schema: GenericSchema<unknown, C>;
  create(config: C, ctx: PluginContext): PluginInstance | Promise<PluginInstance>;
}

/** Identity helper that gives a plugin definition its types. */
export function definePlugin<C>(def: PluginDefinition<C>): PluginDefinition<C> {
  return def;
}

/** Raised when a plugin cannot be found or is not a plugin. */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError';
}

/** Whether a module export looks like a plugin definition. */
export function isPluginDefinition(x: unknown): x is PluginDefinition {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Partial<PluginDefinition>;
  return typeof d.name === 'string' && typeof d.create === 'function' &&
    typeof d.schema === 'object' && d.schema !== null &&
    (PLUGIN_KINDS as readonly string[]).includes(d.kind as string);
}

/** Loads a module by specifier; injected so core stays free of runtime module resolution. */
export type ModuleImporter = (specifier: string) => Promise<Record<string, unknown>>;

/** Built-in plugins by short name, and the loader for everything else. */
export class PluginRegistry {
  readonly #builtins = new Map<string, PluginDefinition>();
  readonly #importer: ModuleImporter;

  constructor(importer: ModuleImporter, builtins: Iterable<PluginDefinition> = []) {
    this.#importer = importer;
    for (const b of builtins) this.register(b);
  }

  /** Adds a built-in plugin, reachable by its short name. */
  register(def: PluginDefinition): void {
    if (this.#builtins.has(def.name)) {
      throw new PluginLoadError(`plugin ${JSON.stringify(def.name)} is registered twice`);
    }
    this.#builtins.set(def.name, def);
  }

  /** Names of the built-in plugins. */
  builtinNames(): string[] {
    return [...this.#builtins.keys()].sort();
  }

  /**
   * Resolves `specifier`: a built-in short name, else a module (`npm:pkg`, an installed package
   * name, a relative or absolute path, already resolved by the caller). The module's default
   * export, or its export named `plugin`, must be a plugin definition.
   */
  async resolve(specifier: string): Promise<PluginDefinition> {
    const builtin = this.#builtins.get(specifier);
    if (builtin) return builtin;
    let mod: Record<string, unknown>;
    try {
      mod = await this.#importer(specifier);
    } catch (e) {
      const why = (e as Error).message ?? String(e);
      // A bare short name is most likely a misspelt built-in: say which ones exist.
      if (/^[a-z][a-z0-9_]*$/.test(specifier)) {
        throw new PluginLoadError(
          `unknown plugin ${JSON.stringify(specifier)}: not a built-in (${
            this.builtinNames().join(', ') || 'none'
          }) and no installed package of that name (${why})`,
        );
      }
      throw new PluginLoadError(`cannot load plugin module ${JSON.stringify(specifier)}: ${why}`);
    }
    const def = mod.default ?? mod.plugin;
    if (!isPluginDefinition(def)) {
      throw new PluginLoadError(
        `module ${
          JSON.stringify(specifier)
        } does not export a plugin definition (default export or \`plugin\` with kind, name, schema and create)`,
      );
    }
    return def;
  }
}
