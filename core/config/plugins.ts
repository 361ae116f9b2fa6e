/**
 * Beacon's own `plugins` section: which plugin modules to load, each with a config mapping
 * that the plugin's own schema validates later (see `validateBlock`).
 * @module
 */

import * as v from 'valibot';
import { nonNull, str, strict } from './schema_helpers.ts';

/**
 * One plugin: `use` names it — a built-in short name (`duckdb`, `slack`), an npm package
 * name (`beacon-plugin-x`), an `npm:` specifier, or a path (`./plugins/mine.ts`, relative to
 * the config file) — and `config` is any mapping, validated by that plugin.
 */
export const pluginEntrySchema = nonNull(
  strict('plugin', {
    use: v.pipe(str, v.check((s) => s.trim() !== '', 'plugin "use" must name a plugin')),
    config: v.pipe(
      v.optional(
        v.nullable(v.record(v.string(), v.unknown(), 'plugin config must be a mapping')),
      ),
      v.transform((c) => c ?? undefined),
    ),
  }),
  'empty or null plugin entry',
);

/** A parsed `plugins[]` entry. */
export type PluginEntry = v.InferOutput<typeof pluginEntrySchema>;

/** The `plugins` list. */
export const pluginsSchema = v.pipe(
  v.optional(v.nullable(v.array(pluginEntrySchema, 'plugins must be a list')), []),
  v.transform((l) => l ?? []),
);
