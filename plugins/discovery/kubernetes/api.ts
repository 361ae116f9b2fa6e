/**
 * How a Kubernetes SD block reaches the API server, in Prometheus's order: an explicit
 * `api_server` with the block's HTTP client config; a `kubeconfig_file`; otherwise the
 * in-cluster service account (`KUBERNETES_SERVICE_HOST`/`_PORT`, its token and CA).
 * @module
 */
import type { KubernetesSDConfig } from '../../../core/config/mod.ts';
import type { Host } from '../../../core/host.ts';
import type { HttpClientSettings } from '../../../core/http_client/mod.ts';
import { parseKubeconfig } from './kubeconfig.ts';

/** Where in-cluster credentials live. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The API server URL, the client config to reach it, and the pod's own namespace. */
export interface ApiConnection {
  server: string;
  client: HttpClientSettings;
  /** Only known in-cluster (the service account's `namespace` file). */
  ownNamespace?: string;
}

/** Resolves the connection. @throws {Error} when none can be made. */
export async function resolveApi(
  cfg: KubernetesSDConfig,
  host: Pick<Host, 'readTextFile' | 'env'> | undefined,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): Promise<ApiConnection> {
  if (cfg.api_server) return { server: cfg.api_server, client: cfg };
  if (!host) throw new Error('Kubernetes discovery needs file access, which this host lacks');
  if (cfg.kubeconfig_file) {
    const text = await host.readTextFile(cfg.kubeconfig_file);
    const k = parseKubeconfig(text, cfg.kubeconfig_file);
    return { server: k.server, client: k.client };
  }
  const svcHost = host.env('KUBERNETES_SERVICE_HOST') ?? '';
  const svcPort = host.env('KUBERNETES_SERVICE_PORT') ?? '';
  if (!svcHost || !svcPort) {
    throw new Error(
      'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
  }
  const hostPart = svcHost.includes(':') ? `[${svcHost}]` : svcHost;
  let ownNamespace: string | undefined;
  if (cfg.namespaces?.own_namespace) {
    ownNamespace = (await host.readTextFile(`${serviceAccountDir}/namespace`)).trim();
    if (!ownNamespace) throw new Error('could not read own namespace name (empty file)');
  }
  return {
    server: `https://${hostPart}:${svcPort}`,
    client: {
      tls_config: { ca_file: `${serviceAccountDir}/ca.crt`, insecure_skip_verify: false },
      authorization: { type: 'Bearer', credentials_file: `${serviceAccountDir}/token` },
    },
    ownNamespace,
  };
}
