/**
 * Role `pod`: one target per declared container port (or one per container without ports,
 * at the bare pod IP), init containers included and marked, with the pod's labels.
 * @module
 */
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { addMetaLabels, joinHostPort, META, NAMESPACE_LABEL } from './labels.ts';
import type { Pod } from './objects.ts';

/** The source of a pod's group. */
export const podSource = (ns: string, name: string): string => `pod/${ns}/${name}`;

/** Container label names, shared with the endpoints roles. */
export const CONTAINER = {
  name: `${META}pod_container_name`,
  id: `${META}pod_container_id`,
  image: `${META}pod_container_image`,
  portName: `${META}pod_container_port_name`,
  portNumber: `${META}pod_container_port_number`,
  portProtocol: `${META}pod_container_port_protocol`,
  init: `${META}pod_container_init`,
} as const;

function podReady(pod: Pod): string {
  for (const c of pod.status?.conditions ?? []) {
    if (c.type === 'Ready') return c.status.toLowerCase();
  }
  return 'unknown';
}

/** The pod-level labels, as the endpoints roles attach them too. */
export function podLabels(pod: Pod): Record<string, string> {
  const m = pod.metadata;
  const ls: Record<string, string> = {
    [`${META}pod_name`]: m.name,
    [`${META}pod_ip`]: pod.status?.podIP ?? '',
    [`${META}pod_ready`]: podReady(pod),
    [`${META}pod_phase`]: pod.status?.phase ?? '',
    [`${META}pod_node_name`]: pod.spec?.nodeName ?? '',
    [`${META}pod_host_ip`]: pod.status?.hostIP ?? '',
    [`${META}pod_uid`]: m.uid ?? '',
  };
  const ctrl = (m.ownerReferences ?? []).find((r) => r.controller === true);
  if (ctrl?.kind) ls[`${META}pod_controller_kind`] = ctrl.kind;
  if (ctrl?.name) ls[`${META}pod_controller_name`] = ctrl.name;
  return addMetaLabels(ls, 'pod', m);
}

/** The group of one pod (no targets and no labels while it has no IP). */
export function buildPod(
  pod: Pod,
  extraLabels?: Record<string, string>,
): TargetGroup {
  const m = pod.metadata;
  const ns = m.namespace ?? '';
  const tg: TargetGroup = { source: podSource(ns, m.name), labels: {}, targets: [] };
  const ip = pod.status?.podIP ?? '';
  if (ip === '') return tg;
  tg.labels = { ...podLabels(pod), [NAMESPACE_LABEL]: ns, ...extraLabels };
  const main = pod.spec?.containers ?? [];
  const all = [...main, ...(pod.spec?.initContainers ?? [])];
  all.forEach((c, i) => {
    const isInit = i >= main.length;
    const statuses = (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ??
      [];
    const id = statuses.find((s) => s.name === c.name)?.containerID ?? '';
    const base = {
      [CONTAINER.name]: c.name,
      [CONTAINER.id]: id,
      [CONTAINER.image]: c.image ?? '',
      [CONTAINER.init]: String(isInit),
    };
    if (!c.ports || c.ports.length === 0) {
      tg.targets.push({ __address__: ip, ...base });
      return;
    }
    for (const p of c.ports) {
      tg.targets.push({
        __address__: joinHostPort(ip, p.containerPort),
        ...base,
        [CONTAINER.portNumber]: String(p.containerPort),
        [CONTAINER.portName]: p.name ?? '',
        [CONTAINER.portProtocol]: p.protocol ?? '',
      });
    }
  });
  return tg;
}
