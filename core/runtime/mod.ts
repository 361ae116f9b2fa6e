/**
 * The runtime: wires config, plugins, metrics and the HTTP app; reload and shutdown.
 * @module
 */
export { Runtime, type RuntimeOptions } from './runtime.ts';
export { DEFAULT_CONFIG_NAME, DEFAULT_CONFIG_YAML } from './default_config.ts';
export { type LoadedPlugin, resolveSpecifier } from './plugins.ts';
export type { RuntimeService, RuntimeServiceContext, RuntimeServiceFactory } from './services.ts';
