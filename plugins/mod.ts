/**
 * The built-in plugins, found by short name in a config's `plugins` list.
 * @module
 */
import type { PluginDefinition } from '../core/plugin.ts';
import { parseExpr } from './promql/parser/mod.ts';
import { memoryStoragePlugin } from './storage/memory/mod.ts';

/** Every built-in plugin definition. */
export const BUILTIN_PLUGINS: readonly PluginDefinition[] = [
  memoryStoragePlugin as PluginDefinition,
];

/** The PromQL expression parser, for the core code that validates expressions (rule files). */
export function parsePromQL(text: string): unknown {
  return parseExpr(text);
}
