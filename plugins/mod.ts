/**
 * The built-in plugins, found by short name in a config's `plugins` list.
 * @module
 */
import type { PluginDefinition } from '../core/plugin.ts';
import { memoryStoragePlugin } from './storage/memory/mod.ts';

/** Every built-in plugin definition. */
export const BUILTIN_PLUGINS: readonly PluginDefinition[] = [
  memoryStoragePlugin as PluginDefinition,
];
