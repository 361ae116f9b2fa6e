/**
 * Role `node`: one target per node at its preferred address and the kubelet port, with
 * `instance` set to the node name and one `__meta_kubernetes_node_address_<type>` per type.
 * @module
 */
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { addMetaLabels, joinHostPort, META, sanitizeLabelName } from './labels.ts';
import type { Node } from './objects.ts';

/** The source of a node's group. */
export const nodeSource = (name: string): string => `node/${name}`;

// Which address a node is scraped at, best first (as Kubernetes' own node utilities choose).
const ADDRESS_PRIORITY = [
  'InternalIP',
  'InternalDNS',
  'ExternalIP',
  'ExternalDNS',
  'LegacyHostIP',
  'Hostname',
];

/** The node's labels as the pod, endpoints and endpointslice roles attach them. */
export function nodeLabels(node: Node): Record<string, string> {
  const ls: Record<string, string> = {
    [`${META}node_name`]: node.metadata.name,
    [`${META}node_provider_id`]: node.spec?.providerID ?? '',
  };
  return addMetaLabels(ls, 'node', node.metadata);
}

/**
 * The labels `attach_metadata: {node: true}` adds for a node: its name, labels and
 * label-present flags (no annotations, no provider id).
 */
export function attachedNodeLabels(node: Node): Record<string, string> {
  return addMetaLabels({ [`${META}node_name`]: node.metadata.name }, 'node', node.metadata, false);
}

/** The group of one node; `undefined` when it has no usable address (nothing is sent). */
export function buildNode(node: Node): TargetGroup | undefined {
  const byType = new Map<string, string[]>();
  for (const a of node.status?.addresses ?? []) {
    const list = byType.get(a.type) ?? [];
    list.push(a.address);
    byType.set(a.type, list);
  }
  const type = ADDRESS_PRIORITY.find((t) => byType.has(t));
  if (!type) return undefined;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const target: Record<string, string> = {
    __address__: joinHostPort(byType.get(type)![0], port),
    instance: node.metadata.name,
  };
  for (const [t, addrs] of byType) {
    target[sanitizeLabelName(`${META}node_address_${t}`)] = addrs[0];
  }
  return { source: nodeSource(node.metadata.name), labels: nodeLabels(node), targets: [target] };
}
