/**
 * Role `endpointslice`: one target per endpoint address and slice port, with the endpoint's
 * conditions, hostname, target reference and topology, the labels of the service named by the
 * slice's `kubernetes.io/service-name` label, and of the pod behind each endpoint.
 * @module
 */
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { joinHostPort, META, NAMESPACE_LABEL, sanitizeLabelName } from './labels.ts';
import type { EndpointSlice } from './objects.ts';
import { podLabels } from './pod.ts';
import { serviceLabels } from './service.ts';
import { addContainerPortLabels, type Lookups, resolvePod, SeenPods } from './endpoints.ts';

/** The label naming a slice's service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The source of a slice's group. */
export const endpointSliceSource = (ns: string, name: string): string =>
  `endpointslice/${ns}/${name}`;

const L = `${META}endpointslice_`;

/** The group of one EndpointSlice. */
export function buildEndpointSlice(eps: EndpointSlice, look: Lookups): TargetGroup {
  const m = eps.metadata;
  const ns = m.namespace ?? '';
  const labels: Record<string, string> = {
    [NAMESPACE_LABEL]: ns,
    [`${L}name`]: m.name,
    [`${L}address_type`]: eps.addressType ?? '',
  };
  const svcName = m.labels?.[SERVICE_NAME_LABEL];
  const svc = svcName !== undefined ? look.service(ns, svcName) : undefined;
  if (svc) Object.assign(labels, serviceLabels(svc));
  const targets: Record<string, string>[] = [];
  const seen = new SeenPods();
  for (const ep of eps.endpoints ?? []) {
    for (const port of eps.ports ?? []) {
      for (const addr of ep.addresses ?? []) {
        const hasPort = port.port !== undefined && port.port !== null;
        let t: Record<string, string> = {
          __address__: hasPort ? joinHostPort(addr, port.port!) : addr,
        };
        if (port.name != null) t[`${L}port_name`] = port.name;
        if (port.protocol != null) t[`${L}port_protocol`] = port.protocol;
        if (hasPort) t[`${L}port`] = String(port.port);
        if (port.appProtocol != null) t[`${L}port_app_protocol`] = port.appProtocol;
        const c = ep.conditions ?? {};
        if (c.ready != null) t[`${L}endpoint_conditions_ready`] = String(c.ready);
        if (c.serving != null) t[`${L}endpoint_conditions_serving`] = String(c.serving);
        if (c.terminating != null) {
          t[`${L}endpoint_conditions_terminating`] = String(c.terminating);
        }
        if (ep.hostname != null) t[`${L}endpoint_hostname`] = ep.hostname;
        if (ep.targetRef) {
          t[`${L}address_target_kind`] = ep.targetRef.kind ?? '';
          t[`${L}address_target_name`] = ep.targetRef.name ?? '';
        }
        for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
          const n = sanitizeLabelName(k);
          t[`${L}endpoint_topology_${n}`] = v;
          t[`${L}endpoint_topology_present_${n}`] = 'true';
        }
        if (ep.nodeName != null) Object.assign(t, look.nodeLabels?.(ep.nodeName));
        const pod = resolvePod(ep.targetRef, look);
        if (pod) {
          t = { ...t, ...podLabels(pod) };
          if (hasPort) addContainerPortLabels(t, pod, port.port!);
          seen.add(pod, hasPort ? port.port! : undefined);
        }
        targets.push(t);
      }
    }
  }
  targets.push(...seen.uncovered());
  return { source: endpointSliceSource(ns, m.name), labels, targets };
}
