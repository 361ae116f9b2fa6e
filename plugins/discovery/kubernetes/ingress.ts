/**
 * Role `ingress`: one target per rule host and path; the scheme is `https` when a TLS entry
 * covers the host (exactly or by a `*.` wildcard of the same depth).
 * @module
 */
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { addMetaLabels, META, NAMESPACE_LABEL } from './labels.ts';
import type { Ingress } from './objects.ts';

/** The source of an ingress's group. */
export const ingressSource = (ns: string, name: string): string => `ingress/${ns}/${name}`;

/** Whether TLS host `pattern` (possibly `*.example.org`) covers `host`. */
export function matchesHostnamePattern(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const p = pattern.split('.'), h = host.split('.');
  if (p[0] !== '*' || p.length !== h.length) return false;
  for (let i = 1; i < p.length; i++) if (p[i] !== h[i]) return false;
  return true;
}

/** The group of one ingress. */
export function buildIngress(ing: Ingress): TargetGroup {
  const m = ing.metadata;
  const ns = m.namespace ?? '';
  const labels: Record<string, string> = {
    [`${META}ingress_name`]: m.name,
    [NAMESPACE_LABEL]: ns,
  };
  const cls = ing.spec?.ingressClassName;
  if (cls !== undefined && cls !== null) labels[`${META}ingress_class_name`] = cls;
  addMetaLabels(labels, 'ingress', m);
  const tlsHosts = (ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
  const targets: Record<string, string>[] = [];
  for (const rule of ing.spec?.rules ?? []) {
    const host = rule.host ?? '';
    const scheme = tlsHosts.some((p) => matchesHostnamePattern(p, host)) ? 'https' : 'http';
    const paths = rule.http?.paths ? rule.http.paths.map((p) => p.path || '/') : ['/'];
    for (const path of paths) {
      targets.push({
        __address__: host,
        [`${META}ingress_scheme`]: scheme,
        [`${META}ingress_host`]: host,
        [`${META}ingress_path`]: path,
      });
    }
  }
  return { source: ingressSource(ns, m.name), labels, targets };
}
