/**
 * `kubernetes_sd_configs`: targets from the Kubernetes API (nodes, pods, services,
 * endpoints, endpoint slices, ingresses), with Prometheus's validation rules.
 * @module
 */

import * as v from 'valibot';
import { block, http, httpRules, opt, optDefault, str, strList } from './common.ts';
import { hasCustomHttpClient, type HttpClientConfig } from '../http_client.ts';
import { urlSchema } from '../schema_types.ts';

/** The roles a Kubernetes SD block may discover. */
export const KUBERNETES_ROLES = [
  'node',
  'pod',
  'service',
  'endpoints',
  'endpointslice',
  'ingress',
] as const;

/** A Kubernetes SD role. */
export type KubernetesRole = (typeof KUBERNETES_ROLES)[number];

// The empty role is accepted here so that a missing role gets Prometheus's own message.
const roleSchema = v.picklist(
  ['', ...KUBERNETES_ROLES],
  (issue) => `unknown Kubernetes SD role ${JSON.stringify(String(issue.input))}`,
);

// Which selector roles each discovery role may filter on.
const ALLOWED_SELECTORS: Record<KubernetesRole, readonly KubernetesRole[]> = {
  pod: ['pod', 'node'],
  service: ['service'],
  endpointslice: ['pod', 'service', 'endpointslice'],
  endpoints: ['pod', 'service', 'endpoints'],
  node: ['node'],
  ingress: ['ingress'],
};

const selectorSchema = block('kubernetes.SelectorConfig', {
  role: optDefault(roleSchema, ''),
  label: optDefault(str, ''),
  field: optDefault(str, ''),
});

const namespacesSchema = block('kubernetes.plain', {
  own_namespace: optDefault(v.boolean(), false),
  names: opt(strList),
});

const attachMetadataSchema = block('kubernetes.AttachMetadataConfig', {
  node: optDefault(v.boolean(), false),
  namespace: optDefault(v.boolean(), false),
  deployment: optDefault(v.boolean(), false),
  job: optDefault(v.boolean(), false),
  cronjob: optDefault(v.boolean(), false),
});

/** Splits on commas that are not escaped with a backslash (Kubernetes field selectors). */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === ',') {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

/** Checks a Kubernetes field selector (`a=b,c!=d`); returns the API's error text. */
export function fieldSelectorProblem(selector: string): string | undefined {
  if (selector.trim() === '') return undefined;
  for (const term of splitTerms(selector)) {
    if (term === '') continue;
    if (!/!=|==|=/.test(term)) {
      return `invalid selector: '${selector}'; can't understand '${term}'`;
    }
  }
  return undefined;
}

const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Splits on commas outside parentheses (Kubernetes label selectors). */
function splitLabelTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Checks a Kubernetes label selector (`a=b`, `a in (x,y)`, `!a`); returns why it is invalid. */
export function labelSelectorProblem(selector: string): string | undefined {
  if (selector.trim() === '') return undefined;
  for (const raw of splitLabelTerms(selector)) {
    const term = raw.trim();
    const bad = (why: string) => `unable to parse requirement: ${why}: ${JSON.stringify(term)}`;
    let m: RegExpExecArray | null;
    if ((m = /^!\s*(\S+)$/.exec(term)) || (m = /^([^\s=!<>()]+)$/.exec(term))) {
      if (!QUALIFIED_NAME.test(m[1])) return bad('invalid label key');
    } else if ((m = /^([^\s=!<>()]+)\s*(==|!=|=)\s*(\S*)$/.exec(term))) {
      if (!QUALIFIED_NAME.test(m[1])) return bad('invalid label key');
      if (!LABEL_VALUE.test(m[3])) return bad('invalid label value');
    } else if ((m = /^([^\s=!<>()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term))) {
      if (!QUALIFIED_NAME.test(m[1])) return bad('invalid label key');
      for (const val of m[3].split(',')) {
        if (!LABEL_VALUE.test(val.trim())) return bad('invalid label value');
      }
    } else if ((m = /^([^\s=!<>()]+)\s*(<|>)\s*(\S+)$/.exec(term))) {
      if (!QUALIFIED_NAME.test(m[1])) return bad('invalid label key');
      if (!/^-?\d+$/.test(m[3])) {
        return bad("for 'Gt', 'Lt' operators, the value must be an integer");
      }
    } else {
      return bad('found unexpected token');
    }
  }
  return undefined;
}

type KubernetesBase = HttpClientConfig & {
  api_server?: string;
  role: KubernetesRole | '';
  kubeconfig_file?: string;
  namespaces?: { own_namespace: boolean; names?: string[] };
  selectors?: { role: KubernetesRole | ''; label: string; field: string }[];
};

/** Prometheus's Kubernetes SD rules, in its order. */
export function checkKubernetesSD(c: KubernetesBase): string | undefined {
  if (c.role === '') {
    return 'role missing (one of: pod, service, endpoints, endpointslice, node, ingress)';
  }
  const httpMsg = httpRules(c);
  if (httpMsg) return httpMsg;
  const hasApi = c.api_server !== undefined;
  const hasKubeconfig = !!c.kubeconfig_file;
  const ownNs = c.namespaces?.own_namespace === true;
  if (hasApi && hasKubeconfig) {
    return "cannot use 'kubeconfig_file' and 'api_server' simultaneously";
  }
  if (hasKubeconfig && hasCustomHttpClient(c)) {
    return "cannot use a custom HTTP client configuration together with 'kubeconfig_file'";
  }
  if (!hasApi && hasCustomHttpClient(c)) {
    return "to use custom HTTP client configuration please provide the 'api_server' URL explicitly";
  }
  if (hasApi && ownNs) {
    return "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously";
  }
  if (hasKubeconfig && ownNs) {
    return "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously";
  }
  const seen = new Set<string>();
  for (const s of c.selectors ?? []) {
    if (seen.has(s.role)) return `duplicated selector role: ${s.role}`;
    seen.add(s.role);
    const allowed = ALLOWED_SELECTORS[c.role];
    if (!allowed.includes(s.role as KubernetesRole)) {
      return `${c.role} role supports only ${allowed.join(', ')} selectors`;
    }
    const why = fieldSelectorProblem(s.field) ?? labelSelectorProblem(s.label);
    if (why) return why;
  }
  return undefined;
}

/** A `kubernetes_sd_configs` entry. */
export const kubernetesSDSchema = block('kubernetes.plain', {
  ...http,
  api_server: opt(urlSchema),
  role: optDefault(roleSchema, ''),
  kubeconfig_file: opt(str),
  namespaces: opt(namespacesSchema),
  selectors: opt(v.array(selectorSchema)),
  attach_metadata: opt(attachMetadataSchema),
}, checkKubernetesSD);

/** A parsed Kubernetes SD block. */
export type KubernetesSDConfig = v.InferOutput<typeof kubernetesSDSchema>;
