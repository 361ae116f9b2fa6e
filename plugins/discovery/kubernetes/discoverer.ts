/**
 * The Kubernetes discoverer: resolves the API connection, runs one list-and-watch informer per
 * collection the role needs (per namespace; endpoints and endpointslice also watch services
 * and pods for their labels), reports every group once all informers have listed, then the
 * groups each change touches.
 * @module
 */
import type { KubernetesRole, KubernetesSDConfig } from '../../../core/config/mod.ts';
import {
  type Discoverer,
  type DiscovererContext,
  sharedCounter,
  type TargetGroup,
} from '../../../core/discovery/mod.ts';
import { createHttpClient, hostHttpDeps, type HttpClient } from '../../../core/http_client/mod.ts';
import { resolveApi, SERVICE_ACCOUNT_DIR } from './api.ts';
import { buildEndpoints, endpointsSource, type Lookups } from './endpoints.ts';
import { buildEndpointSlice, endpointSliceSource, SERVICE_NAME_LABEL } from './endpointslice.ts';
import { buildIngress, ingressSource } from './ingress.ts';
import { Informer, type InformerEvent } from './informer.ts';
import { attachedNodeLabels, buildNode, nodeSource } from './node.ts';
import type {
  Endpoints,
  EndpointSlice,
  Ingress,
  KubeObject,
  Node,
  Pod,
  Service,
} from './objects.ts';
import { buildPod, podSource } from './pod.ts';
import { buildService, serviceSource } from './service.ts';

const COLLECTIONS: Record<KubernetesRole, { prefix: string; plural: string }> = {
  node: { prefix: '/api/v1', plural: 'nodes' },
  pod: { prefix: '/api/v1', plural: 'pods' },
  service: { prefix: '/api/v1', plural: 'services' },
  endpoints: { prefix: '/api/v1', plural: 'endpoints' },
  endpointslice: { prefix: '/apis/discovery.k8s.io/v1', plural: 'endpointslices' },
  ingress: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses' },
};

/** The API path of a collection, cluster-wide when `ns` is empty. */
export function collectionPath(kind: KubernetesRole, ns: string): string {
  const c = COLLECTIONS[kind];
  return ns && kind !== 'node'
    ? `${c.prefix}/namespaces/${encodeURIComponent(ns)}/${c.plural}`
    : `${c.prefix}/${c.plural}`;
}

// The collections each role watches: its own first.
const WATCHES: Record<KubernetesRole, KubernetesRole[]> = {
  node: ['node'],
  pod: ['pod'],
  service: ['service'],
  endpoints: ['endpoints', 'service', 'pod'],
  endpointslice: ['endpointslice', 'service', 'pod'],
  ingress: ['ingress'],
};

/** Options beyond the config (tests). */
export interface KubernetesDiscovererOptions {
  fetch?: typeof fetch;
  serviceAccountDir?: string;
  /** First back-off after a failed list or watch, ms. */
  backoffMs?: number;
}

/** Discovers the targets of one `kubernetes_sd_configs` entry. */
export class KubernetesDiscoverer implements Discoverer {
  readonly #cfg: KubernetesSDConfig;
  readonly #ctx: DiscovererContext;
  readonly #opts: KubernetesDiscovererOptions;
  readonly #informers = new Map<KubernetesRole, Informer[]>();

  constructor(
    cfg: KubernetesSDConfig,
    ctx: DiscovererContext,
    opts: KubernetesDiscovererOptions = {},
  ) {
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#opts = opts;
  }

  get #role(): KubernetesRole {
    return this.#cfg.role as KubernetesRole;
  }

  async run(signal: AbortSignal, onUpdate: (groups: TargetGroup[]) => void): Promise<void> {
    const log = this.#ctx.logger;
    let client: HttpClient;
    let server: string;
    let ownNamespace: string | undefined;
    try {
      const conn = await resolveApi(
        this.#cfg,
        this.#ctx.host,
        this.#opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR,
      );
      server = conn.server;
      ownNamespace = conn.ownNamespace;
      client = createHttpClient(conn.client, {
        ...hostHttpDeps(this.#ctx.host, (m) => log.warn(m)),
        ...(this.#opts.fetch ? { fetch: this.#opts.fetch } : {}),
      });
    } catch (e) {
      log.error('Cannot create Kubernetes discovery', { err: (e as Error).message });
      return;
    }
    const names = [...(this.#cfg.namespaces?.names ?? [])];
    if (this.#cfg.namespaces?.own_namespace && ownNamespace) names.push(ownNamespace);
    const namespaces = names.length > 0 ? names : [''];
    const all: Informer[] = [];
    for (const kind of this.#watches()) {
      const sel = (this.#cfg.selectors ?? []).find((s) => s.role === kind);
      // Nodes are cluster-scoped: one informer whatever the namespaces.
      const list = (kind === 'node' ? [''] : namespaces).map((ns) =>
        new Informer({
          client,
          server,
          path: collectionPath(kind, ns),
          labelSelector: sel?.label || undefined,
          fieldSelector: sel?.field || undefined,
          logger: log,
          backoffMs: this.#opts.backoffMs,
        })
      );
      this.#informers.set(kind, list);
      all.push(...list);
    }
    let synced = false;
    const onSynced = () => {
      if (synced || !all.every((i) => i.synced)) return;
      synced = true;
      onUpdate(this.groups());
    };
    const events = sharedCounter(
      this.#ctx.registry,
      'prometheus_sd_kubernetes_events_total',
      'The number of Kubernetes events handled.',
      ['role', 'event'],
    );
    const runs = this.#watches().flatMap((kind) =>
      this.#informers.get(kind)!.map((inf) =>
        inf.run(signal, (type, obj) => {
          events?.inc({ role: kind, event: type });
          if (!synced || signal.aborted) return;
          const groups = this.#changed(kind, type, obj);
          if (groups.length > 0) onUpdate(groups);
        }, onSynced)
      )
    );
    try {
      await Promise.all(runs);
    } finally {
      client.close();
    }
  }

  /** The role's collections, plus nodes when their metadata is attached. */
  #watches(): KubernetesRole[] {
    const w = WATCHES[this.#role];
    return this.#attachNodes && !w.includes('node') ? [...w, 'node'] : w;
  }

  get #attachNodes(): boolean {
    return this.#cfg.attach_metadata?.node === true &&
      ['pod', 'endpoints', 'endpointslice'].includes(this.#role);
  }

  #nodeLabels(name: string): Record<string, string> | undefined {
    const node = this.#find<Node>('node', '', name);
    return node ? attachedNodeLabels(node) : undefined;
  }

  #objects<T extends KubeObject>(kind: KubernetesRole): T[] {
    return (this.#informers.get(kind) ?? []).flatMap((i) => [...i.store.values()] as T[]);
  }

  #find<T extends KubeObject>(kind: KubernetesRole, ns: string, name: string): T | undefined {
    for (const i of this.#informers.get(kind) ?? []) {
      const o = i.store.get(`${ns}/${name}`);
      if (o) return o as T;
    }
    return undefined;
  }

  #lookups: Lookups = {
    service: (ns, name) => this.#find<Service>('service', ns, name),
    pod: (ns, name) => this.#find<Pod>('pod', ns, name),
    nodeLabels: (name) => (this.#attachNodes ? this.#nodeLabels(name) : undefined),
  };

  /** The group of one object of the role's own kind. */
  #build(obj: KubeObject): TargetGroup | undefined {
    switch (this.#role) {
      case 'node':
        return buildNode(obj as Node);
      case 'pod': {
        const node = (obj as Pod).spec?.nodeName;
        return buildPod(obj as Pod, node ? this.#lookups.nodeLabels!(node) : undefined);
      }
      case 'service':
        return buildService(obj as Service);
      case 'endpoints':
        return buildEndpoints(obj as Endpoints, this.#lookups);
      case 'endpointslice':
        return buildEndpointSlice(obj as EndpointSlice, this.#lookups);
      case 'ingress':
        return buildIngress(obj as Ingress);
    }
  }

  #source(obj: KubeObject): string {
    const ns = obj.metadata.namespace ?? '', name = obj.metadata.name;
    switch (this.#role) {
      case 'node':
        return nodeSource(name);
      case 'pod':
        return podSource(ns, name);
      case 'service':
        return serviceSource(ns, name);
      case 'endpoints':
        return endpointsSource(ns, name);
      case 'endpointslice':
        return endpointSliceSource(ns, name);
      case 'ingress':
        return ingressSource(ns, name);
    }
  }

  /** Every current group (after the first lists). */
  groups(): TargetGroup[] {
    const out: TargetGroup[] = [];
    for (const o of this.#objects(this.#role)) {
      const g = this.#build(o);
      if (g) out.push(g);
    }
    return out;
  }

  /** The groups a change to `obj` (of collection `kind`) touches. */
  #changed(kind: KubernetesRole, type: InformerEvent, obj: KubeObject): TargetGroup[] {
    if (kind === this.#role) {
      if (type === 'delete') return [{ source: this.#source(obj), labels: {}, targets: [] }];
      const g = this.#build(obj);
      return g ? [g] : [];
    }
    if (kind === 'node') return this.#onNode(obj.metadata.name);
    // A service change relabels the endpoints (same name) or slices (service-name label) of it.
    if (kind !== 'service') return [];
    const ns = obj.metadata.namespace ?? '', name = obj.metadata.name;
    const owners = this.#role === 'endpoints'
      ? [this.#find(this.#role, ns, name)].filter((o): o is KubeObject => !!o)
      : this.#objects(this.#role).filter((o) =>
        (o.metadata.namespace ?? '') === ns && o.metadata.labels?.[SERVICE_NAME_LABEL] === name
      );
    return owners.map((o) => this.#build(o)).filter((g): g is TargetGroup => !!g);
  }

  /** With node metadata attached, a node change relabels what runs on that node. */
  #onNode(name: string): TargetGroup[] {
    const on = (o: KubeObject): boolean => {
      switch (this.#role) {
        case 'pod':
          return (o as Pod).spec?.nodeName === name;
        case 'endpoints':
          return ((o as Endpoints).subsets ?? []).some((ss) =>
            [...(ss.addresses ?? []), ...(ss.notReadyAddresses ?? [])].some((a) =>
              a.nodeName === name
            )
          );
        case 'endpointslice':
          return ((o as EndpointSlice).endpoints ?? []).some((e) => e.nodeName === name);
        default:
          return false;
      }
    };
    return this.#objects(this.#role).filter(on).map((o) => this.#build(o)).filter(
      (g): g is TargetGroup => !!g,
    );
  }
}
