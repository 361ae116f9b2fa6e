/**
 * Role `service`: one target per service port at `<name>.<namespace>.svc:<port>`.
 * @module
 */
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { addMetaLabels, joinHostPort, META, NAMESPACE_LABEL } from './labels.ts';
import type { Service } from './objects.ts';

/** The source of a service's group. */
export const serviceSource = (ns: string, name: string): string => `svc/${ns}/${name}`;

/** The service-level labels, as the endpoints roles attach them too. */
export function serviceLabels(svc: Service): Record<string, string> {
  const ls: Record<string, string> = {
    [`${META}service_name`]: svc.metadata.name,
    [NAMESPACE_LABEL]: svc.metadata.namespace ?? '',
  };
  return addMetaLabels(ls, 'service', svc.metadata);
}

/** The group of one service. */
export function buildService(svc: Service): TargetGroup {
  const m = svc.metadata;
  const ns = m.namespace ?? '';
  const type = svc.spec?.type ?? '';
  const targets = (svc.spec?.ports ?? []).map((p) => {
    const t: Record<string, string> = {
      __address__: joinHostPort(`${m.name}.${ns}.svc`, p.port),
      [`${META}service_port_name`]: p.name ?? '',
      [`${META}service_port_number`]: String(p.port),
      [`${META}service_port_protocol`]: p.protocol ?? '',
      [`${META}service_type`]: type,
    };
    if (type === 'ExternalName') t[`${META}service_external_name`] = svc.spec?.externalName ?? '';
    else t[`${META}service_cluster_ip`] = svc.spec?.clusterIP ?? '';
    if (type === 'LoadBalancer') {
      t[`${META}service_loadbalancer_ip`] = svc.spec?.loadBalancerIP ?? '';
    }
    return t;
  });
  return { source: serviceSource(ns, m.name), labels: serviceLabels(svc), targets };
}
