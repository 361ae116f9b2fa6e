/**
 * `http_sd_configs`: target groups fetched as JSON from an HTTP endpoint every
 * `refresh_interval` (default 1m), with the full HTTP client config (auth, OAuth2, TLS, proxy).
 *
 * @example The endpoint's answer (Content-Type: application/json)
 * ```json
 * [{ "targets": ["10.0.0.1:9100"], "labels": { "env": "prod" } }]
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import type { HttpSDConfig } from '../../../core/config/mod.ts';
import type { DiscoveryMechanism, DiscoveryProvider } from '../../../core/discovery/mod.ts';
import { HttpDiscoverer } from './discoverer.ts';

export {
  HttpDiscoverer,
  type HttpDiscovererOptions,
  parseHttpSDBody,
  URL_LABEL,
} from './discoverer.ts';

/** The `http_sd_configs` mechanism. */
export const httpMechanism: DiscoveryMechanism<HttpSDConfig> = {
  configKey: 'http_sd_configs',
  create: (cfg, ctx) => new HttpDiscoverer(cfg, ctx),
};

/** The built-in `http_sd_configs` discovery plugin (it takes no config of its own). */
export const httpDiscoveryPlugin: PluginDefinition<Record<string, never>> = definePlugin({
  kind: 'discovery',
  name: 'http_sd_configs',
  description: 'Targets from an HTTP endpoint serving JSON target groups (http_sd_configs).',
  schema: v.strictObject({}) as v.GenericSchema<unknown, Record<string, never>>,
  create: (): DiscoveryProvider => ({ mechanism: httpMechanism as DiscoveryMechanism }),
});

export default httpDiscoveryPlugin;
