/**
 * The built-in plugins, found by short name in a config's `plugins` list.
 * @module
 */
import type { PluginDefinition } from '../core/plugin.ts';
import type { DiscoveryMechanism } from '../core/discovery/mod.ts';
import type { Matcher } from '../core/model/mod.ts';
import { fileMechanism } from './discovery/file/mod.ts';
import { staticMechanism } from './discovery/static/mod.ts';
import { httpMechanism } from './discovery/http/mod.ts';
import { dnsMechanism } from './discovery/dns/mod.ts';
import { kubernetesMechanism } from './discovery/kubernetes/mod.ts';
import { registrationService } from './discovery/registration/mod.ts';
import { hostExporterPlugin, selfExporterPlugin } from './exporters/mod.ts';
import type { RuntimeServiceFactory } from '../core/runtime/mod.ts';
import promqlPlugin, { Engine } from './promql/mod.ts';
import type { UnitTestDeps } from '../core/rules/mod.ts';
import { parseExpr } from './promql/parser/mod.ts';
import alertmanagerNotifierPlugin from './notifiers/alertmanager/mod.ts';
import pagerdutyNotifierPlugin from './notifiers/pagerduty/mod.ts';
import slackNotifierPlugin from './notifiers/slack/mod.ts';
import webhookNotifierPlugin from './notifiers/webhook/mod.ts';
import { duckdbStoragePlugin } from './storage/duckdb/mod.ts';
/** `beacon export parquet`: the duckdb engine's Parquet exporter. */
export { exportParquet } from './storage/duckdb/mod.ts';
import { MemoryStorage, memoryStoragePlugin } from './storage/memory/mod.ts';

/** Every built-in plugin definition. */
export const BUILTIN_PLUGINS: readonly PluginDefinition[] = [
  duckdbStoragePlugin as PluginDefinition,
  promqlPlugin as PluginDefinition,
  memoryStoragePlugin as PluginDefinition,
  alertmanagerNotifierPlugin as PluginDefinition,
  webhookNotifierPlugin as PluginDefinition,
  slackNotifierPlugin as PluginDefinition,
  pagerdutyNotifierPlugin as PluginDefinition,
  hostExporterPlugin as PluginDefinition,
  selfExporterPlugin as PluginDefinition,
];

/** The PromQL expression parser, for the core code that validates expressions (rule files). */
export function parsePromQL(text: string): unknown {
  return parseExpr(text);
}

/** Parses a series selector (`up{job="x"}`) into its matchers, as `match[]` parameters need. */
export function parseSeriesSelector(text: string): Matcher[] {
  const expr = parseExpr(text);
  if (expr.type !== 'VectorSelector') {
    throw new Error(`invalid series selector ${JSON.stringify(text)}: not a vector selector`);
  }
  return [...expr.matchers];
}

/** Built-in services every runtime starts: registration discovery (`registration_sd_configs`). */
export const BUILTIN_SERVICES: readonly RuntimeServiceFactory[] = [registrationService()];

/** The discovery mechanisms every scrape config can use. */
export const BUILTIN_DISCOVERY: readonly DiscoveryMechanism[] = [
  staticMechanism,
  fileMechanism,
  httpMechanism as DiscoveryMechanism,
  dnsMechanism as DiscoveryMechanism,
  kubernetesMechanism as DiscoveryMechanism,
];

/**
 * What `beacon test rules` evaluates with: a fresh memory storage per test group and the PromQL
 * engine, one per subquery step (promtool uses each file's evaluation interval for it).
 */
export function ruleUnitTestDeps(): UnitTestDeps {
  const engines = new Map<number, Engine>();
  return {
    parseExpr: parsePromQL,
    createStorage: () => new MemoryStorage(),
    query: (storage, expr, t, { subqueryStepMs }) => {
      let engine = engines.get(subqueryStepMs);
      if (!engine) {
        engines.set(subqueryStepMs, engine = new Engine({ subqueryStep: subqueryStepMs }));
      }
      return engine.instantQuery(storage, expr, t);
    },
  };
}
