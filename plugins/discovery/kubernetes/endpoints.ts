/**
 * Role `endpoints`: one target per address and port of an Endpoints object (ready and not
 * ready), with the labels of the service of the same name and of the pod behind each address;
 * container ports of those pods that no endpoint port covers become targets too.
 * @module
 */
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { addMetaLabels, joinHostPort, META, NAMESPACE_LABEL } from './labels.ts';
import type { EndpointAddress, Endpoints, ObjectReference, Pod, Service } from './objects.ts';
import { CONTAINER, podLabels } from './pod.ts';
import { serviceLabels } from './service.ts';

/** The source of an Endpoints object's group. */
export const endpointsSource = (ns: string, name: string): string => `endpoints/${ns}/${name}`;

/** Looks objects up in the discoverer's stores. */
export interface Lookups {
  service(ns: string, name: string): Service | undefined;
  pod(ns: string, name: string): Pod | undefined;
  /** The node labels to attach (`attach_metadata.node`); absent when not attaching. */
  nodeLabels?(name: string): Record<string, string> | undefined;
}

/** The pod an endpoint's `targetRef` names, if it is a known pod. */
export function resolvePod(ref: ObjectReference | undefined, look: Lookups): Pod | undefined {
  if (!ref || ref.kind !== 'Pod' || !ref.name) return undefined;
  return look.pod(ref.namespace ?? '', ref.name);
}

/** Tracks, per pod, the ports endpoints already made targets of. */
export class SeenPods {
  readonly #pods = new Map<string, { pod: Pod; ports: Set<number> }>();

  /** Records that `pod` was targeted at `port` (undefined: a port-less endpoint). */
  add(pod: Pod, port: number | undefined): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    let e = this.#pods.get(key);
    if (!e) this.#pods.set(key, e = { pod, ports: new Set() });
    if (port !== undefined) e.ports.add(port);
  }

  /** Targets for the container ports no endpoint covered, with the pod's labels. */
  uncovered(): Record<string, string>[] {
    const out: Record<string, string>[] = [];
    for (const { pod, ports } of this.#pods.values()) {
      for (const c of pod.spec?.containers ?? []) {
        for (const cp of c.ports ?? []) {
          if (ports.has(cp.containerPort)) continue;
          out.push({
            __address__: joinHostPort(pod.status?.podIP ?? '', cp.containerPort),
            [CONTAINER.name]: c.name,
            [CONTAINER.image]: c.image ?? '',
            [CONTAINER.portName]: cp.name ?? '',
            [CONTAINER.portNumber]: String(cp.containerPort),
            [CONTAINER.portProtocol]: cp.protocol ?? '',
            ...podLabels(pod),
          });
        }
      }
    }
    return out;
  }
}

/**
 * Adds the labels of the container port of `pod` that matches `port`, if any; the protocol
 * label is `protocol` when given (the endpoints role labels the endpoint port's), else the
 * container port's (the endpointslice role's).
 */
export function addContainerPortLabels(
  target: Record<string, string>,
  pod: Pod,
  port: number,
  protocol?: string,
): void {
  for (const c of pod.spec?.containers ?? []) {
    const cp = (c.ports ?? []).find((p) => p.containerPort === port);
    if (!cp) continue;
    target[CONTAINER.name] = c.name;
    target[CONTAINER.image] = c.image ?? '';
    target[CONTAINER.portName] = cp.name ?? '';
    target[CONTAINER.portNumber] = String(port);
    target[CONTAINER.portProtocol] = protocol ?? cp.protocol ?? '';
    return;
  }
}

/** The group of one Endpoints object. */
export function buildEndpoints(eps: Endpoints, look: Lookups): TargetGroup {
  const m = eps.metadata;
  const ns = m.namespace ?? '';
  const labels: Record<string, string> = {
    [NAMESPACE_LABEL]: ns,
    [`${META}endpoints_name`]: m.name,
  };
  const svc = look.service(ns, m.name);
  if (svc) Object.assign(labels, serviceLabels(svc));
  addMetaLabels(labels, 'endpoints', m, false);
  const targets: Record<string, string>[] = [];
  const seen = new SeenPods();
  const add = (
    addr: EndpointAddress,
    port: { name?: string; port: number; protocol?: string },
    ready: string,
  ) => {
    let t: Record<string, string> = {
      __address__: joinHostPort(addr.ip, port.port),
      [`${META}endpoint_port_name`]: port.name ?? '',
      [`${META}endpoint_port_protocol`]: port.protocol ?? '',
      [`${META}endpoint_ready`]: ready,
    };
    if (addr.targetRef) {
      t[`${META}endpoint_address_target_kind`] = addr.targetRef.kind ?? '';
      t[`${META}endpoint_address_target_name`] = addr.targetRef.name ?? '';
    }
    if (addr.nodeName !== undefined && addr.nodeName !== null) {
      t[`${META}endpoint_node_name`] = addr.nodeName;
    }
    if (addr.hostname) t[`${META}endpoint_hostname`] = addr.hostname;
    if (addr.nodeName != null) Object.assign(t, look.nodeLabels?.(addr.nodeName));
    const pod = resolvePod(addr.targetRef, look);
    if (pod) {
      t = { ...t, ...podLabels(pod) };
      addContainerPortLabels(t, pod, port.port, port.protocol ?? '');
      seen.add(pod, port.port);
    }
    targets.push(t);
  };
  for (const ss of eps.subsets ?? []) {
    for (const port of ss.ports ?? []) {
      for (const a of ss.addresses ?? []) add(a, port, 'true');
      for (const a of ss.notReadyAddresses ?? []) add(a, port, 'false');
    }
  }
  targets.push(...seen.uncovered());
  return { source: endpointsSource(ns, m.name), labels, targets };
}
