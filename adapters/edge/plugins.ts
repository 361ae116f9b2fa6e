/**
 * The plugins an edge build carries: everything built in that runs on web standards alone.
 * DuckDB needs a native binding, so the `duckdb` engine (the default) falls back to `memory`,
 * and nothing can be imported at run time: a bundle holds all the code a Worker may run.
 * @module
 */
import type { Logger } from '../../core/log/logger.ts';
import type { Matcher } from '../../core/model/mod.ts';
import type { ModuleImporter, PluginDefinition, PluginInstance } from '../../core/plugin.ts';
import type { StateStore as RelationalStore } from '../../core/state/mod.ts';
import alertmanagerNotifierPlugin from '../../plugins/notifiers/alertmanager/mod.ts';
import pagerdutyNotifierPlugin from '../../plugins/notifiers/pagerduty/mod.ts';
import slackNotifierPlugin from '../../plugins/notifiers/slack/mod.ts';
import webhookNotifierPlugin from '../../plugins/notifiers/webhook/mod.ts';
import promqlPlugin from '../../plugins/promql/mod.ts';
import { parseExpr } from '../../plugins/promql/parser/mod.ts';
import { memoryStoragePlugin } from '../../plugins/storage/memory/mod.ts';

/** The built-in plugins of an edge build. */
export const EDGE_PLUGINS: readonly PluginDefinition[] = [
  memoryStoragePlugin as PluginDefinition,
  promqlPlugin as PluginDefinition,
  alertmanagerNotifierPlugin as PluginDefinition,
  webhookNotifierPlugin as PluginDefinition,
  slackNotifierPlugin as PluginDefinition,
  pagerdutyNotifierPlugin as PluginDefinition,
];

/**
 * The memory engine, offering `relational` as its state store: the runtime then keeps silences
 * and the notification log there, and the edge tick saves them with the rest of its state.
 */
export function edgeStoragePlugin(relational: RelationalStore): PluginDefinition {
  const base = memoryStoragePlugin as PluginDefinition;
  return {
    ...base,
    async create(config, ctx): Promise<PluginInstance> {
      const instance = await base.create(config, ctx);
      return Object.assign(instance, { stateStore: () => relational });
    },
  };
}

/** Resolves what is not built in: only `duckdb`, to `memory` (the edge's), with a warning. */
export function edgeImporter(logger: Logger, memory: PluginDefinition): ModuleImporter {
  return (specifier) => {
    if (specifier === 'duckdb') {
      logger.warn('storage engine duckdb is not available on the edge; using memory instead');
      return Promise.resolve({ default: memory });
    }
    return Promise.reject(
      new Error(`the edge build cannot load ${JSON.stringify(specifier)} at run time`),
    );
  };
}

/** Parses a PromQL expression (rule files). */
export function edgeParseExpr(text: string): unknown {
  return parseExpr(text);
}

/** Parses a series selector (`match[]`). */
export function edgeParseMatchers(text: string): Matcher[] {
  const expr = parseExpr(text);
  if (expr.type !== 'VectorSelector') {
    throw new Error(`invalid series selector ${JSON.stringify(text)}: not a vector selector`);
  }
  return [...expr.matchers];
}
