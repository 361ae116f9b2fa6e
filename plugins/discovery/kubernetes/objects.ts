/**
 * The parts of Kubernetes API objects that discovery reads, as the API serves them in JSON
 * (core/v1 Node, Pod, Service, Endpoints; discovery/v1 EndpointSlice; networking/v1 Ingress).
 * @module
 */

/** `metadata` of every object. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; controller?: boolean }[];
}

/** Any API object. */
export interface KubeObject {
  metadata: ObjectMeta;
}

/** A reference from an endpoint to the object behind it (usually a Pod). */
export interface ObjectReference {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** core/v1 Node. */
export interface Node extends KubeObject {
  spec?: { providerID?: string };
  status?: {
    addresses?: { type: string; address: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

/** A container of a pod spec. */
export interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

/** core/v1 Pod. */
export interface Pod extends KubeObject {
  spec?: { nodeName?: string; containers?: Container[]; initContainers?: Container[] };
  status?: {
    podIP?: string;
    hostIP?: string;
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { name: string; containerID?: string }[];
    initContainerStatuses?: { name: string; containerID?: string }[];
  };
}

/** core/v1 Service. */
export interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    externalName?: string;
    loadBalancerIP?: string;
    ports?: { name?: string; port: number; protocol?: string }[];
  };
}

/** An address of an Endpoints subset. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

/** core/v1 Endpoints. */
export interface Endpoints extends KubeObject {
  subsets?: {
    addresses?: EndpointAddress[];
    notReadyAddresses?: EndpointAddress[];
    ports?: { name?: string; port: number; protocol?: string }[];
  }[];
}

/** discovery/v1 EndpointSlice. */
export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    hostname?: string;
    nodeName?: string;
    targetRef?: ObjectReference;
    deprecatedTopology?: Record<string, string>;
  }[];
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[];
}

/** networking/v1 Ingress. */
export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string;
    rules?: { host?: string; http?: { paths?: { path?: string }[] } }[];
    tls?: { hosts?: string[] }[];
  };
}

/** `namespace/name`, the key objects are stored under. */
export function objectKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
