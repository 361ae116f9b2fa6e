/**
 * Beacon: a Prometheus-compatible monitoring runtime for Deno, Bun and Node.js.
 *
 * Run it: `deno run -A mod.ts [flags]` or `bun run mod.ts [flags]` (`--help` lists them).
 * Import it: the instrumentation library (Counter, Gauge, Histogram, Summary, Registry), the
 * plugin API (`definePlugin`), the exposition formats and the config loader.
 *
 * @example Instrument an app and serve `/metrics`
 * ```ts
 * import { Counter, Registry, negotiate } from './mod.ts';
 * const registry = new Registry();
 * const requests = new Counter({ name: 'app_requests_total', help: 'Requests.', registers: [registry] });
 * Deno.serve(async (req) => {
 *   requests.inc();
 *   const { format, contentType } = negotiate(req.headers.get('accept'));
 *   return new Response(await registry.metrics(format), { headers: { 'content-type': contentType } });
 * });
 * ```
 * @module
 */
export * from './core/metrics/mod.ts';
export * from './core/exposition/mod.ts';
export {
  Labels,
  LabelsBuilder,
  Matcher,
  type MatchType,
  METRIC_NAME,
  RegexSyntaxError,
} from './core/model/mod.ts';
export {
  type Config,
  ConfigError,
  type ConfigFS,
  ConfigLoadError,
  configToYAML,
  Duration,
  loadConfig,
  parseConfig,
  Secret,
} from './core/config/mod.ts';
export {
  definePlugin,
  type PluginContext,
  type PluginDefinition,
  type PluginInstance,
  type PluginKind,
} from './core/plugin.ts';
export { type Alert, type Notifier, type NotifyContext, NotifyError } from './core/notify/mod.ts';
export type { Host } from './core/host.ts';
export type { Logger } from './core/log/logger.ts';
export { main } from './core/cli/mod.ts';
export { Runtime, type RuntimeOptions } from './core/runtime/mod.ts';
export { BUILTIN_PLUGINS } from './plugins/mod.ts';

if (import.meta.main) {
  const { runCli } = await import('./adapters/entry.ts');
  await runCli();
}
