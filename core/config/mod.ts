/**
 * Beacon's configuration: a Prometheus `prometheus.yml` (plus Beacon's `plugins` and
 * `storage.engine`) loaded, validated and defaulted, with errors that name file, line,
 * column and key path.
 *
 * ```ts
 * const config = await loadConfig('prometheus.yml', hostFS);
 * console.log(config.scrape_configs[0].scrape_interval.seconds);
 * ```
 * @module
 */

export {
  type ConfigFS,
  loadConfig,
  parseConfig,
  type ParseOptions,
  validateBlock,
} from './load.ts';
export { ConfigError, ConfigLoadError, type ConfigPath, formatPath } from './errors.ts';
export { type ConfigSource, goQuote, type Position, readYaml } from './yaml_source.ts';
export { type Config, sectionSchemas } from './schema.ts';
export { configToYAML } from './to_yaml.ts';
export { Duration, formatDuration, parseDurationMs } from './duration.ts';
export { ByteSize, parseSize } from './size.ts';
export { Secret, SECRET_MASK } from './secret.ts';
export {
  DEFAULT_SCRAPE_PROTOCOLS,
  type GlobalConfig,
  PROTO_FIRST_SCRAPE_PROTOCOLS,
  SCRAPE_PROTOCOL_HEADERS,
} from './global.ts';
export { type ScrapeConfig, scrapeConfigSchema } from './scrape.ts';
export {
  RELABEL_ACTIONS,
  RELABEL_DEFAULTS,
  type RelabelAction,
  type RelabelConfig,
  relabelConfigSchema,
  relabelRegex,
} from './relabel.ts';
export type { AlertingConfig, AlertmanagerConfig } from './alerting.ts';
export type { RemoteReadConfig, RemoteWriteConfig } from './remote.ts';
export { BUILTIN_STORAGE_ENGINES, DEFAULT_STORAGE_ENGINE, type StorageConfig } from './storage.ts';
export type { TracingConfig } from './tracing.ts';
export type { OTLPConfig } from './otlp.ts';
export type { PluginEntry } from './plugins.ts';
export { dirname, isAbsolute, join, joinDir } from './path.ts';
export { type EnvLookup, expandEnv } from './env_expand.ts';
export * from './http_client.ts';
export * from './discovery/mod.ts';
export { pluginDuration, pluginSize } from './plugin_fields.ts';
