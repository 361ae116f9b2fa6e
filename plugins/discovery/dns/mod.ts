/**
 * `dns_sd_configs`: targets from DNS SRV (default), A, AAAA, MX or NS records, looked up
 * through the runtime's resolver every `refresh_interval` (default 30s).
 *
 * @example
 * ```yaml
 * dns_sd_configs:
 *   - names: ['_prometheus._tcp.example.org']
 *   - names: ['db.example.org']
 *     type: A
 *     port: 9187
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import type { DnsSDConfig } from '../../../core/config/mod.ts';
import type { DiscoveryMechanism, DiscoveryProvider } from '../../../core/discovery/mod.ts';
import { DnsDiscoverer } from './discoverer.ts';

export {
  DNS_LABELS,
  DnsDiscoverer,
  type DnsDiscovererOptions,
  type DnsResolve,
  recordTarget,
} from './discoverer.ts';

/** The `dns_sd_configs` mechanism. */
export const dnsMechanism: DiscoveryMechanism<DnsSDConfig> = {
  configKey: 'dns_sd_configs',
  create: (cfg, ctx) => new DnsDiscoverer(cfg, ctx),
};

/** The built-in `dns_sd_configs` discovery plugin (it takes no config of its own). */
export const dnsDiscoveryPlugin: PluginDefinition<Record<string, never>> = definePlugin({
  kind: 'discovery',
  name: 'dns_sd_configs',
  description: 'Targets from DNS SRV, A, AAAA, MX or NS records (dns_sd_configs).',
  schema: v.strictObject({}) as v.GenericSchema<unknown, Record<string, never>>,
  create: (): DiscoveryProvider => ({ mechanism: dnsMechanism as DiscoveryMechanism }),
});

export default dnsDiscoveryPlugin;
