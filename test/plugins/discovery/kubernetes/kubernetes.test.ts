import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { kubernetesSDSchema } from '../../../../core/config/mod.ts';
import type { TargetGroup } from '../../../../core/discovery/mod.ts';
import { Registry } from '../../../../core/metrics/mod.ts';
import {
  KubernetesDiscoverer,
  parseKubeconfig,
  resolveApi,
} from '../../../../plugins/discovery/kubernetes/mod.ts';
import { eventually } from '../../../helpers/process.ts';
import { host, recordingLogger, tempDir } from '../../../helpers/host.ts';
import { type FakeApi, startFakeApi } from './fake_api.ts';
import * as fx from './fixtures.ts';

const PODS = '/api/v1/pods';
const NODES = '/api/v1/nodes';
const SERVICES = '/api/v1/services';
const ENDPOINTS = '/api/v1/endpoints';
const SLICES = '/apis/discovery.k8s.io/v1/endpointslices';
const INGRESSES = '/apis/networking.k8s.io/v1/ingresses';

interface Run {
  api: FakeApi;
  registry: Registry;
  /** Latest group per source. */
  groups: Map<string, TargetGroup>;
  updates: number;
  stop(): Promise<void>;
}

async function discover(
  raw: Record<string, unknown>,
  lists: Record<string, unknown[]>,
  useApiServer = true,
): Promise<Run> {
  const api = await startFakeApi();
  const registry = new Registry();
  for (const [p, items] of Object.entries(lists)) api.set(p, items);
  const cfg = v.parse(kubernetesSDSchema, useApiServer ? { api_server: api.url, ...raw } : raw);
  const d = new KubernetesDiscoverer(cfg, {
    logger: recordingLogger().logger,
    host,
    registry,
    index: 0,
    setName: 'k8s',
  }, { backoffMs: 20 });
  const ac = new AbortController();
  const run: Run = {
    api,
    registry,
    groups: new Map(),
    updates: 0,
    async stop() {
      ac.abort();
      await done;
      await api.close();
    },
  };
  const done = d.run(ac.signal, (gs) => {
    run.updates++;
    for (const g of gs) run.groups.set(g.source, g);
  });
  try {
    await eventually(() => Promise.resolve(run.updates > 0), 10_000);
  } catch (e) {
    await run.stop();
    throw e;
  }
  return run;
}

describe('kubernetes_sd_configs against a fake API server', () => {
  test('role pod: a target per container port, port-less and init containers, pod labels', async () => {
    const r = await discover({ role: 'pod' }, { [PODS]: [fx.pod] });
    try {
      const g = r.groups.get('pod/default/web-1')!;
      assert.deepEqual(g.labels, { ...fx.podLevel, __meta_kubernetes_namespace: 'default' });
      const c = (name: string, id: string, image: string, init: boolean) => ({
        __meta_kubernetes_pod_container_name: name,
        __meta_kubernetes_pod_container_id: id,
        __meta_kubernetes_pod_container_image: image,
        __meta_kubernetes_pod_container_init: String(init),
      });
      const port = (n: number, name: string) => ({
        __meta_kubernetes_pod_container_port_number: String(n),
        __meta_kubernetes_pod_container_port_name: name,
        __meta_kubernetes_pod_container_port_protocol: 'TCP',
      });
      assert.deepEqual(g.targets, [
        {
          __address__: '10.1.0.5:8080',
          ...c('app', 'containerd://abc', 'web:1', false),
          ...port(8080, 'http'),
        },
        {
          __address__: '10.1.0.5:9100',
          ...c('app', 'containerd://abc', 'web:1', false),
          ...port(9100, 'metrics'),
        },
        { __address__: '10.1.0.5', ...c('sidecar', '', 'side:2', false) },
        { __address__: '10.1.0.5', ...c('init', 'containerd://init', 'init:1', true) },
      ]);
    } finally {
      await r.stop();
    }
  });

  test('a watch event updates the targets; DELETED empties the group', async () => {
    const r = await discover({ role: 'pod' }, { [PODS]: [fx.pod] });
    try {
      await eventually(() => Promise.resolve(r.api.watching(PODS) === 1), 10_000);
      const moved = { ...fx.pod, status: { ...fx.pod.status, podIP: '10.1.0.77' } };
      r.api.event(PODS, 'MODIFIED', moved);
      await eventually(
        () =>
          Promise.resolve(
            r.groups.get('pod/default/web-1')?.targets[0].__address__ === '10.1.0.77:8080',
          ),
        10_000,
      );
      const other = { ...fx.pod, metadata: { ...fx.pod.metadata, name: 'web-2' } };
      r.api.event(PODS, 'ADDED', other);
      await eventually(() => Promise.resolve(r.groups.has('pod/default/web-2')), 10_000);
      r.api.event(PODS, 'DELETED', moved);
      await eventually(
        () => Promise.resolve(r.groups.get('pod/default/web-1')?.targets.length === 0),
        10_000,
      );
      const m = await r.registry.metrics();
      assert.match(m, /prometheus_sd_kubernetes_events_total\{role="pod",event="update"\} 1/);
      assert.match(m, /prometheus_sd_kubernetes_events_total\{role="pod",event="delete"\} 1/);
      // The watch resumed from the version of the events it saw.
      assert.ok(
        r.api.requests.some((q) => /watch=true/.test(q.url) && /resourceVersion=100/.test(q.url)),
      );
    } finally {
      await r.stop();
    }
  });

  test('410 Gone on a watch leads to a fresh list that reports the differences', async () => {
    const r = await discover({ role: 'pod' }, { [PODS]: [fx.pod] });
    try {
      await eventually(() => Promise.resolve(r.api.watching(PODS) === 1), 10_000);
      const lists = () =>
        r.api.requests.filter((q) => q.url.startsWith(PODS) && !/watch/.test(q.url)).length;
      assert.equal(lists(), 1);
      r.api.set(PODS, []); // the pod went away while the watch was broken
      r.api.expire(PODS);
      await eventually(() => Promise.resolve(lists() === 2), 10_000);
      await eventually(
        () => Promise.resolve(r.groups.get('pod/default/web-1')?.targets.length === 0),
        10_000,
      );
    } finally {
      await r.stop();
    }
  });

  test('role node: kubelet port, instance, address labels', async () => {
    const r = await discover({ role: 'node' }, { [NODES]: [fx.node] });
    try {
      assert.deepEqual(r.groups.get('node/node-a'), {
        source: 'node/node-a',
        labels: {
          __meta_kubernetes_node_name: 'node-a',
          __meta_kubernetes_node_provider_id: 'aws:///eu-west-1a/i-1',
          __meta_kubernetes_node_label_kubernetes_io_os: 'linux',
          __meta_kubernetes_node_labelpresent_kubernetes_io_os: 'true',
          __meta_kubernetes_node_annotation_note: 'n',
          __meta_kubernetes_node_annotationpresent_note: 'true',
        },
        targets: [{
          __address__: '192.168.0.10:10250',
          instance: 'node-a',
          __meta_kubernetes_node_address_Hostname: 'node-a.internal',
          __meta_kubernetes_node_address_ExternalIP: '203.0.113.4',
          __meta_kubernetes_node_address_InternalIP: '192.168.0.10',
        }],
      });
    } finally {
      await r.stop();
    }
  });

  test('role service: <name>.<ns>.svc:<port> per port; ExternalName and LoadBalancer labels', async () => {
    const ext = {
      metadata: { name: 'ext', namespace: 'default', resourceVersion: '1' },
      spec: { type: 'ExternalName', externalName: 'db.example.org', ports: [{ port: 5432 }] },
    };
    const lb = {
      metadata: { name: 'lb', namespace: 'default', resourceVersion: '1' },
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.9',
        loadBalancerIP: '198.51.100.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
      },
    };
    const r = await discover({ role: 'service' }, { [SERVICES]: [fx.service, ext, lb] });
    try {
      const g = r.groups.get('svc/default/web')!;
      assert.deepEqual(g.labels, fx.serviceLevel);
      assert.deepEqual(g.targets[1], {
        __address__: 'web.default.svc:9100',
        __meta_kubernetes_service_port_name: 'metrics',
        __meta_kubernetes_service_port_number: '9100',
        __meta_kubernetes_service_port_protocol: 'TCP',
        __meta_kubernetes_service_type: 'ClusterIP',
        __meta_kubernetes_service_cluster_ip: '10.96.0.20',
      });
      assert.deepEqual(r.groups.get('svc/default/ext')!.targets, [{
        __address__: 'ext.default.svc:5432',
        __meta_kubernetes_service_port_name: '',
        __meta_kubernetes_service_port_number: '5432',
        __meta_kubernetes_service_port_protocol: '',
        __meta_kubernetes_service_type: 'ExternalName',
        __meta_kubernetes_service_external_name: 'db.example.org',
      }]);
      const lbt = r.groups.get('svc/default/lb')!.targets[0];
      assert.equal(lbt.__meta_kubernetes_service_loadbalancer_ip, '198.51.100.1');
      assert.equal(lbt.__meta_kubernetes_service_cluster_ip, '10.96.0.9');
    } finally {
      await r.stop();
    }
  });

  test('role endpoints: ready and not-ready addresses, service and pod labels, uncovered ports', async () => {
    const r = await discover({ role: 'endpoints' }, {
      [ENDPOINTS]: [fx.endpoints],
      [SERVICES]: [fx.service],
      [PODS]: [fx.pod],
    });
    try {
      const g = r.groups.get('endpoints/default/web')!;
      assert.deepEqual(g.labels, {
        ...fx.serviceLevel,
        __meta_kubernetes_endpoints_name: 'web',
        __meta_kubernetes_endpoints_label_endpoints_kubernetes_io_managed_by: 'ctrl',
        __meta_kubernetes_endpoints_labelpresent_endpoints_kubernetes_io_managed_by: 'true',
      });
      assert.deepEqual(g.targets, [
        {
          __address__: '10.1.0.5:9100',
          __meta_kubernetes_endpoint_port_name: 'metrics',
          __meta_kubernetes_endpoint_port_protocol: 'TCP',
          __meta_kubernetes_endpoint_ready: 'true',
          __meta_kubernetes_endpoint_address_target_kind: 'Pod',
          __meta_kubernetes_endpoint_address_target_name: 'web-1',
          __meta_kubernetes_endpoint_node_name: 'node-a',
          ...fx.podLevel,
          __meta_kubernetes_pod_container_name: 'app',
          __meta_kubernetes_pod_container_image: 'web:1',
          __meta_kubernetes_pod_container_port_name: 'metrics',
          __meta_kubernetes_pod_container_port_number: '9100',
          __meta_kubernetes_pod_container_port_protocol: 'TCP',
        },
        {
          __address__: '10.1.0.9:9100',
          __meta_kubernetes_endpoint_port_name: 'metrics',
          __meta_kubernetes_endpoint_port_protocol: 'TCP',
          __meta_kubernetes_endpoint_ready: 'false',
          __meta_kubernetes_endpoint_hostname: 'spare',
        },
        {
          __address__: '10.1.0.5:8080',
          __meta_kubernetes_pod_container_name: 'app',
          __meta_kubernetes_pod_container_image: 'web:1',
          __meta_kubernetes_pod_container_port_name: 'http',
          __meta_kubernetes_pod_container_port_number: '8080',
          __meta_kubernetes_pod_container_port_protocol: 'TCP',
          ...fx.podLevel,
        },
      ]);
      // A service change relabels its endpoints.
      await eventually(() => Promise.resolve(r.api.watching(SERVICES) === 1), 10_000);
      const relabelled = {
        ...fx.service,
        metadata: { ...fx.service.metadata, labels: { team: 'b' } },
      };
      r.api.event(SERVICES, 'MODIFIED', relabelled);
      await eventually(
        () =>
          Promise.resolve(
            r.groups.get('endpoints/default/web')?.labels.__meta_kubernetes_service_label_team ===
              'b',
          ),
        10_000,
      );
    } finally {
      await r.stop();
    }
  });

  test('role endpointslice: conditions, topology, app protocol, service and pod labels', async () => {
    const r = await discover({ role: 'endpointslice' }, {
      [SLICES]: [fx.endpointSlice],
      [SERVICES]: [fx.service],
      [PODS]: [fx.pod],
    });
    try {
      const g = r.groups.get('endpointslice/default/web-xyz')!;
      assert.deepEqual(g.labels, {
        ...fx.serviceLevel,
        __meta_kubernetes_endpointslice_name: 'web-xyz',
        __meta_kubernetes_endpointslice_address_type: 'IPv4',
      });
      assert.deepEqual(g.targets[0], {
        __address__: '10.1.0.5:9100',
        __meta_kubernetes_endpointslice_port_name: 'metrics',
        __meta_kubernetes_endpointslice_port_protocol: 'TCP',
        __meta_kubernetes_endpointslice_port: '9100',
        __meta_kubernetes_endpointslice_port_app_protocol: 'http',
        __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true',
        __meta_kubernetes_endpointslice_endpoint_conditions_serving: 'true',
        __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'false',
        __meta_kubernetes_endpointslice_address_target_kind: 'Pod',
        __meta_kubernetes_endpointslice_address_target_name: 'web-1',
        __meta_kubernetes_endpointslice_endpoint_topology_topology_kubernetes_io_zone: 'z1',
        __meta_kubernetes_endpointslice_endpoint_topology_present_topology_kubernetes_io_zone:
          'true',
        ...fx.podLevel,
        __meta_kubernetes_pod_container_name: 'app',
        __meta_kubernetes_pod_container_image: 'web:1',
        __meta_kubernetes_pod_container_port_name: 'metrics',
        __meta_kubernetes_pod_container_port_number: '9100',
        __meta_kubernetes_pod_container_port_protocol: 'TCP',
      });
      assert.deepEqual(g.targets.map((t) => t.__address__), ['10.1.0.5:9100', '10.1.0.5:8080']);
    } finally {
      await r.stop();
    }
  });

  test('role ingress: host and path per rule, https where TLS covers the host', async () => {
    const r = await discover({ role: 'ingress' }, { [INGRESSES]: [fx.ingress] });
    try {
      const g = r.groups.get('ingress/default/site')!;
      assert.deepEqual(g.labels, {
        __meta_kubernetes_ingress_name: 'site',
        __meta_kubernetes_namespace: 'default',
        __meta_kubernetes_ingress_class_name: 'nginx',
        __meta_kubernetes_ingress_label_x: 'y',
        __meta_kubernetes_ingress_labelpresent_x: 'true',
      });
      const t = (host: string, scheme: string, path: string) => ({
        __address__: host,
        __meta_kubernetes_ingress_scheme: scheme,
        __meta_kubernetes_ingress_host: host,
        __meta_kubernetes_ingress_path: path,
      });
      assert.deepEqual(g.targets, [
        t('www.example.org', 'https', '/'),
        t('www.example.org', 'https', '/'),
        t('plain.example.net', 'http', '/'),
      ]);
    } finally {
      await r.stop();
    }
  });

  test('attach_metadata.node: node labels on pod groups and endpoint targets; node changes relabel', async () => {
    const r = await discover({ role: 'pod', attach_metadata: { node: true } }, {
      [PODS]: [fx.pod],
      [NODES]: [fx.node],
    });
    try {
      const labels = r.groups.get('pod/default/web-1')!.labels;
      assert.equal(labels.__meta_kubernetes_node_name, 'node-a');
      assert.equal(labels.__meta_kubernetes_node_label_kubernetes_io_os, 'linux');
      assert.equal(labels.__meta_kubernetes_node_labelpresent_kubernetes_io_os, 'true');
      assert.equal(labels.__meta_kubernetes_node_annotation_note, undefined);
      await eventually(() => Promise.resolve(r.api.watching(NODES) === 1), 10_000);
      const relabelled = { ...fx.node, metadata: { ...fx.node.metadata, labels: { zone: 'z9' } } };
      r.api.event(NODES, 'MODIFIED', relabelled);
      await eventually(
        () =>
          Promise.resolve(
            r.groups.get('pod/default/web-1')?.labels.__meta_kubernetes_node_label_zone === 'z9',
          ),
        10_000,
      );
    } finally {
      await r.stop();
    }
    const e = await discover({ role: 'endpoints', attach_metadata: { node: true } }, {
      [ENDPOINTS]: [fx.endpoints],
      [SERVICES]: [],
      [PODS]: [],
      [NODES]: [fx.node],
    });
    try {
      const [ready, notReady] = e.groups.get('endpoints/default/web')!.targets;
      assert.equal(ready.__meta_kubernetes_node_name, 'node-a');
      assert.equal(ready.__meta_kubernetes_node_label_kubernetes_io_os, 'linux');
      assert.equal(notReady.__meta_kubernetes_node_name, undefined);
    } finally {
      await e.stop();
    }
  });

  test('namespaces and selectors shape the API requests', async () => {
    const r = await discover({
      role: 'pod',
      namespaces: { names: ['team-a', 'team-b'] },
      selectors: [{ role: 'pod', label: 'app=web', field: 'status.phase=Running' }],
    }, {
      '/api/v1/namespaces/team-a/pods': [{
        ...fx.pod,
        metadata: { ...fx.pod.metadata, namespace: 'team-a' },
      }],
      '/api/v1/namespaces/team-b/pods': [],
    });
    try {
      const lists = r.api.requests.filter((q) => !/watch=true/.test(q.url)).map((q) => q.url)
        .sort();
      const qs = 'labelSelector=app%3Dweb&fieldSelector=status.phase%3DRunning';
      assert.deepEqual(lists, [
        `/api/v1/namespaces/team-a/pods?${qs}`,
        `/api/v1/namespaces/team-b/pods?${qs}`,
      ]);
      assert.ok(r.groups.has('pod/team-a/web-1'));
    } finally {
      await r.stop();
    }
  });

  test('api_server with authorization sends the credentials', async () => {
    const r = await discover({ role: 'node', authorization: { credentials: 's3cret' } }, {
      [NODES]: [fx.node],
    });
    try {
      assert.equal(r.api.requests[0].auth, 'Bearer s3cret');
    } finally {
      await r.stop();
    }
  });
});

describe('Kubernetes API connection', () => {
  test('kubeconfig_file: current context, server, token; discovery runs through it', async () => {
    const tmp = tempDir();
    const api = await startFakeApi();
    try {
      api.set(NODES, [fx.node]);
      const file = tmp.write(
        'kubeconfig',
        `apiVersion: v1
kind: Config
current-context: test
contexts:
  - name: other
    context: { cluster: nowhere, user: nobody }
  - name: test
    context: { cluster: local, user: me, namespace: ns1 }
clusters:
  - name: local
    cluster: { server: '${api.url}' }
users:
  - name: me
    user: { token: kube-token }
`,
      );
      const cfg = v.parse(kubernetesSDSchema, { role: 'node', kubeconfig_file: file });
      const d = new KubernetesDiscoverer(cfg, {
        logger: recordingLogger().logger,
        host,
        index: 0,
        setName: 'k',
      });
      const ac = new AbortController();
      let got: TargetGroup[] = [];
      const done = d.run(ac.signal, (g) => (got = g));
      await eventually(() => Promise.resolve(got.length > 0), 10_000);
      ac.abort();
      await done;
      assert.equal(got[0].source, 'node/node-a');
      assert.equal(api.requests[0].auth, 'Bearer kube-token');
    } finally {
      await api.close();
      tmp.remove();
    }
  });

  test('kubeconfig: CA and client certificate as data or files relative to the file', () => {
    const k = parseKubeconfig(
      `current-context: c
contexts: [{ name: c, context: { cluster: k, user: u } }]
clusters: [{ name: k, cluster: { server: 'https://k:6443', certificate-authority-data: '${
        btoa('CA PEM')
      }' } }]
users: [{ name: u, user: { client-certificate: certs/u.crt, client-key: /abs/u.key } }]
`,
      '/etc/kube/config',
    );
    assert.equal(k.server, 'https://k:6443');
    assert.equal(k.client.tls_config?.ca, 'CA PEM');
    assert.equal(k.client.tls_config?.cert_file, '/etc/kube/certs/u.crt');
    assert.equal(k.client.tls_config?.key_file, '/abs/u.key');
    assert.throws(() => parseKubeconfig('current-context: x\n', '/k'), /context "x" not found/);
  });

  test('in-cluster: service host and port from the environment, token and CA files', async () => {
    const env: Record<string, string> = {
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    };
    const files: Record<string, string> = { '/sa/namespace': 'monitoring\n' };
    const fakeHost = {
      env: (n: string) => env[n],
      readTextFile: (p: string) =>
        p in files ? Promise.resolve(files[p]) : Promise.reject(new Error('no such file')),
    };
    const cfg = v.parse(kubernetesSDSchema, { role: 'pod', namespaces: { own_namespace: true } });
    const c = await resolveApi(cfg, fakeHost, '/sa');
    assert.equal(c.server, 'https://10.96.0.1:443');
    assert.equal(c.ownNamespace, 'monitoring');
    assert.equal(c.client.tls_config?.ca_file, '/sa/ca.crt');
    assert.equal(c.client.authorization?.credentials_file, '/sa/token');
    delete env.KUBERNETES_SERVICE_HOST;
    await assert.rejects(resolveApi(cfg, fakeHost, '/sa'), /KUBERNETES_SERVICE_HOST/);
  });
});
