/**
 * `file_sd_configs`: targets read from JSON or YAML files matched by globs, re-read on
 * `refresh_interval` (default 5m) and when the host sees the files change.
 *
 * @example targets.yml
 * ```yaml
 * - targets: ['10.0.0.1:9100', '10.0.0.2:9100']
 *   labels: { env: prod }
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import type { FileSDConfig } from '../../../core/config/mod.ts';
import type { DiscoveryMechanism, DiscoveryProvider } from '../../../core/discovery/mod.ts';
import { FileDiscoverer } from './discoverer.ts';

export { FileDiscoverer } from './discoverer.ts';
export { FILEPATH_LABEL, parseTargetFile } from './read.ts';

/** The `file_sd_configs` mechanism. */
export const fileMechanism: DiscoveryMechanism<FileSDConfig> = {
  configKey: 'file_sd_configs',
  create: (cfg, ctx) => new FileDiscoverer(cfg, ctx),
};

/** The built-in `file_sd_configs` discovery plugin (it takes no config of its own). */
export const fileDiscoveryPlugin: PluginDefinition<Record<string, never>> = definePlugin({
  kind: 'discovery',
  name: 'file_sd_configs',
  description: 'Targets from JSON or YAML files (file_sd_configs), watched and re-read.',
  schema: v.strictObject({}) as v.GenericSchema<unknown, Record<string, never>>,
  create: (): DiscoveryProvider => ({ mechanism: fileMechanism as DiscoveryMechanism }),
});

export default fileDiscoveryPlugin;
