/**
 * `static_configs`: target groups written in the scrape config itself. Each entry becomes one
 * group whose source is its position in the list, as in Prometheus.
 *
 * @example
 * ```yaml
 * scrape_configs:
 *   - job_name: node
 *     static_configs:
 *       - targets: ['localhost:9100']
 *         labels: { env: prod }
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import type { StaticConfig } from '../../../core/config/mod.ts';
import type {
  Discoverer,
  DiscoveryMechanism,
  DiscoveryProvider,
  TargetGroup,
} from '../../../core/discovery/mod.ts';

/** The target group of one `static_configs` entry. */
export function staticGroup(cfg: StaticConfig, index: number): TargetGroup {
  return {
    targets: (cfg.targets ?? []).map((t) => ({ __address__: t })),
    labels: { ...(cfg.labels ?? {}) },
    source: String(index),
  };
}

/** The `static_configs` mechanism: reports its one group once. */
export const staticMechanism: DiscoveryMechanism<StaticConfig> = {
  configKey: 'static_configs',
  create(cfg, ctx): Discoverer {
    return {
      run(signal, onUpdate) {
        if (!signal.aborted) onUpdate([staticGroup(cfg, ctx.index)]);
      },
    };
  },
};

/** The built-in `static_configs` discovery plugin (it takes no config of its own). */
export const staticDiscoveryPlugin: PluginDefinition<Record<string, never>> = definePlugin({
  kind: 'discovery',
  name: 'static_configs',
  description: 'Targets listed in the scrape config (static_configs).',
  schema: v.strictObject({}) as v.GenericSchema<unknown, Record<string, never>>,
  create: (): DiscoveryProvider => ({ mechanism: staticMechanism as DiscoveryMechanism }),
});

export default staticDiscoveryPlugin;
