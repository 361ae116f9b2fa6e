/**
 * Label helpers shared by the roles: Prometheus's `__meta_kubernetes_` prefix, label-name
 * sanitising, and the `<kind>_label_*`, `_labelpresent_*`, `_annotation_*`,
 * `_annotationpresent_*` families.
 * @module
 */
import type { ObjectMeta } from './objects.ts';

/** The prefix of every Kubernetes meta label. */
export const META = '__meta_kubernetes_';

/** `__meta_kubernetes_namespace`. */
export const NAMESPACE_LABEL = `${META}namespace`;

/** Replaces every character outside `[a-zA-Z0-9_]` with `_` (Prometheus's strutil). */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Adds the object's labels (and, with `annotations`, its annotations) under `kind`. */
export function addMetaLabels(
  out: Record<string, string>,
  kind: string,
  meta: ObjectMeta,
  annotations = true,
): Record<string, string> {
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const n = sanitizeLabelName(k);
    out[`${META}${kind}_label_${n}`] = v;
    out[`${META}${kind}_labelpresent_${n}`] = 'true';
  }
  if (annotations) {
    for (const [k, v] of Object.entries(meta.annotations ?? {})) {
      const n = sanitizeLabelName(k);
      out[`${META}${kind}_annotation_${n}`] = v;
      out[`${META}${kind}_annotationpresent_${n}`] = 'true';
    }
  }
  return out;
}

/** `host:port`, bracketing IPv6 addresses as Go's JoinHostPort does. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
