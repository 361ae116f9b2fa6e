/** Kubernetes API objects in the API's JSON form, for the discovery tests. */

/** A running pod with one container with two ports, one without ports, and an init container. */
export const pod = {
  metadata: {
    name: 'web-1',
    namespace: 'default',
    uid: 'uid-web-1',
    resourceVersion: '10',
    labels: { app: 'web', 'app.kubernetes.io/tier': 'front' },
    annotations: { 'prometheus.io/scrape': 'true' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true }],
  },
  spec: {
    nodeName: 'node-a',
    containers: [
      {
        name: 'app',
        image: 'web:1',
        ports: [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
        ],
      },
      { name: 'sidecar', image: 'side:2' },
    ],
    initContainers: [{ name: 'init', image: 'init:1' }],
  },
  status: {
    phase: 'Running',
    podIP: '10.1.0.5',
    hostIP: '192.168.0.10',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'app', containerID: 'containerd://abc' }],
    initContainerStatuses: [{ name: 'init', containerID: 'containerd://init' }],
  },
};

/** The pod-level labels Prometheus derives from {@link pod}. */
export const podLevel = {
  __meta_kubernetes_pod_name: 'web-1',
  __meta_kubernetes_pod_ip: '10.1.0.5',
  __meta_kubernetes_pod_ready: 'true',
  __meta_kubernetes_pod_phase: 'Running',
  __meta_kubernetes_pod_node_name: 'node-a',
  __meta_kubernetes_pod_host_ip: '192.168.0.10',
  __meta_kubernetes_pod_uid: 'uid-web-1',
  __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
  __meta_kubernetes_pod_controller_name: 'web-abc',
  __meta_kubernetes_pod_label_app: 'web',
  __meta_kubernetes_pod_labelpresent_app: 'true',
  __meta_kubernetes_pod_label_app_kubernetes_io_tier: 'front',
  __meta_kubernetes_pod_labelpresent_app_kubernetes_io_tier: 'true',
  __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
  __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: 'true',
};

/** A node with internal and external addresses. */
export const node = {
  metadata: {
    name: 'node-a',
    resourceVersion: '3',
    labels: { 'kubernetes.io/os': 'linux' },
    annotations: { note: 'n' },
  },
  spec: { providerID: 'aws:///eu-west-1a/i-1' },
  status: {
    addresses: [
      { type: 'Hostname', address: 'node-a.internal' },
      { type: 'ExternalIP', address: '203.0.113.4' },
      { type: 'InternalIP', address: '192.168.0.10' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
  },
};

/** A ClusterIP service with two ports. */
export const service = {
  metadata: {
    name: 'web',
    namespace: 'default',
    resourceVersion: '4',
    labels: { team: 'a' },
    annotations: { 'prometheus.io/port': '9100' },
  },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.0.20',
    ports: [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'metrics', port: 9100, protocol: 'TCP' },
    ],
  },
};

/** The service-level labels of {@link service}. */
export const serviceLevel = {
  __meta_kubernetes_service_name: 'web',
  __meta_kubernetes_namespace: 'default',
  __meta_kubernetes_service_label_team: 'a',
  __meta_kubernetes_service_labelpresent_team: 'true',
  __meta_kubernetes_service_annotation_prometheus_io_port: '9100',
  __meta_kubernetes_service_annotationpresent_prometheus_io_port: 'true',
};

/** Endpoints of {@link service}: the pod (ready) and an address without a pod (not ready). */
export const endpoints = {
  metadata: {
    name: 'web',
    namespace: 'default',
    resourceVersion: '5',
    labels: { 'endpoints.kubernetes.io/managed-by': 'ctrl' },
  },
  subsets: [{
    addresses: [{
      ip: '10.1.0.5',
      nodeName: 'node-a',
      targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' },
    }],
    notReadyAddresses: [{ ip: '10.1.0.9', hostname: 'spare' }],
    ports: [{ name: 'metrics', port: 9100, protocol: 'TCP' }],
  }],
};

/** An EndpointSlice of {@link service}. */
export const endpointSlice = {
  metadata: {
    name: 'web-xyz',
    namespace: 'default',
    resourceVersion: '6',
    labels: { 'kubernetes.io/service-name': 'web' },
  },
  addressType: 'IPv4',
  endpoints: [{
    addresses: ['10.1.0.5'],
    conditions: { ready: true, serving: true, terminating: false },
    nodeName: 'node-a',
    targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' },
    deprecatedTopology: { 'topology.kubernetes.io/zone': 'z1' },
  }],
  ports: [{ name: 'metrics', port: 9100, protocol: 'TCP', appProtocol: 'http' }],
};

/** An ingress with a TLS wildcard covering one of its hosts. */
export const ingress = {
  metadata: { name: 'site', namespace: 'default', resourceVersion: '7', labels: { x: 'y' } },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['*.example.org'] }],
    rules: [
      { host: 'www.example.org', http: { paths: [{ path: '/' }, { path: '' }] } },
      { host: 'plain.example.net' },
    ],
  },
};
