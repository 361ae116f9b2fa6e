/**
 * `kubernetes_sd_configs`: targets from the Kubernetes API for the roles node, pod, service,
 * endpoints, endpointslice and ingress, listed then watched, with every `__meta_kubernetes_*`
 * label Prometheus 2.42 sets. Reaches the API in-cluster (service account), through a
 * kubeconfig file, or at an explicit `api_server` with the block's HTTP client config.
 *
 * @example
 * ```yaml
 * kubernetes_sd_configs:
 *   - role: pod
 *     namespaces: { names: [monitoring] }
 *     selectors: [{ role: pod, label: 'app=web' }]
 * ```
 * @module
 */
import * as v from 'valibot';
import { definePlugin, type PluginDefinition } from '../../../core/plugin.ts';
import type { KubernetesSDConfig } from '../../../core/config/mod.ts';
import type { DiscoveryMechanism, DiscoveryProvider } from '../../../core/discovery/mod.ts';
import { KubernetesDiscoverer } from './discoverer.ts';

export {
  collectionPath,
  KubernetesDiscoverer,
  type KubernetesDiscovererOptions,
} from './discoverer.ts';
export { type ApiConnection, resolveApi, SERVICE_ACCOUNT_DIR } from './api.ts';
export { type KubeconfigTarget, parseKubeconfig } from './kubeconfig.ts';
export { Informer, type InformerEvent, type InformerOptions } from './informer.ts';
export { buildNode } from './node.ts';
export { buildPod } from './pod.ts';
export { buildService } from './service.ts';
export { buildEndpoints, type Lookups } from './endpoints.ts';
export { buildEndpointSlice } from './endpointslice.ts';
export { buildIngress, matchesHostnamePattern } from './ingress.ts';
export { sanitizeLabelName } from './labels.ts';
export type * from './objects.ts';

/** The `kubernetes_sd_configs` mechanism. */
export const kubernetesMechanism: DiscoveryMechanism<KubernetesSDConfig> = {
  configKey: 'kubernetes_sd_configs',
  create: (cfg, ctx) => new KubernetesDiscoverer(cfg, ctx),
};

/** The built-in `kubernetes_sd_configs` discovery plugin (it takes no config of its own). */
export const kubernetesDiscoveryPlugin: PluginDefinition<Record<string, never>> = definePlugin({
  kind: 'discovery',
  name: 'kubernetes_sd_configs',
  description: 'Targets from the Kubernetes API: nodes, pods, services, endpoints, ingresses.',
  schema: v.strictObject({}) as v.GenericSchema<unknown, Record<string, never>>,
  create: (): DiscoveryProvider => ({ mechanism: kubernetesMechanism as DiscoveryMechanism }),
});

export default kubernetesDiscoveryPlugin;
