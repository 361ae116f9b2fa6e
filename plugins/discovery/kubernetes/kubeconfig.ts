/**
 * Reading a kubeconfig file (the YAML `kubectl` uses): the current context's cluster (server,
 * CA file or data, skip-verify, TLS server name) and user (token or token file, client
 * certificate and key as files or data, basic auth), as an HTTP client config.
 * @module
 */
import { parse as parseYaml } from 'yaml';
import { dirname, isAbsolute, join, Secret } from '../../../core/config/mod.ts';
import type { HttpClientSettings } from '../../../core/http_client/mod.ts';

/** The API server and how to reach it. */
export interface KubeconfigTarget {
  server: string;
  client: HttpClientSettings;
  /** The context's default namespace, if set. */
  namespace?: string;
}

type Named<T> = { name: string } & Record<string, T | string>;

const decode = (b64: string) => atob(b64.replace(/\s+/g, ''));

/** Parses kubeconfig `text` read from `path`. @throws {Error} when it cannot be used. */
export function parseKubeconfig(text: string, path: string): KubeconfigTarget {
  const doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  const ctxName = String(doc['current-context'] ?? '');
  const find = <T>(list: unknown, key: string, name: string): T | undefined =>
    ((list as Named<T>[] | undefined) ?? []).find((e) => e?.name === name)?.[key] as T | undefined;
  const ctx = find<Record<string, string>>(doc.contexts, 'context', ctxName);
  if (!ctx) throw new Error(`kubeconfig ${path}: context ${JSON.stringify(ctxName)} not found`);
  const cluster = find<Record<string, unknown>>(doc.clusters, 'cluster', ctx.cluster);
  if (!cluster?.server) {
    throw new Error(`kubeconfig ${path}: cluster ${JSON.stringify(ctx.cluster)} has no server`);
  }
  const user = find<Record<string, unknown>>(doc.users, 'user', ctx.user) ?? {};
  const base = dirname(path);
  const file = (p: unknown) => {
    const s = String(p);
    return isAbsolute(s) ? s : join(base, s);
  };
  const tls: Record<string, unknown> = { insecure_skip_verify: false };
  if (cluster['certificate-authority-data']) {
    tls.ca = decode(String(cluster['certificate-authority-data']));
  } else if (cluster['certificate-authority']) tls.ca_file = file(cluster['certificate-authority']);
  if (cluster['insecure-skip-tls-verify'] === true) tls.insecure_skip_verify = true;
  if (cluster['tls-server-name']) tls.server_name = String(cluster['tls-server-name']);
  if (user['client-certificate-data']) tls.cert = decode(String(user['client-certificate-data']));
  else if (user['client-certificate']) tls.cert_file = file(user['client-certificate']);
  if (user['client-key-data']) tls.key = new Secret(decode(String(user['client-key-data'])));
  else if (user['client-key']) tls.key_file = file(user['client-key']);
  const client: HttpClientSettings = {};
  if (Object.keys(tls).length > 1 || tls.insecure_skip_verify) {
    client.tls_config = tls as HttpClientSettings['tls_config'];
  }
  if (user.token) {
    client.authorization = { type: 'Bearer', credentials: new Secret(String(user.token)) };
  } else if (user.tokenFile) {
    client.authorization = { type: 'Bearer', credentials_file: file(user.tokenFile) };
  } else if (user.username) {
    client.basic_auth = {
      username: String(user.username),
      password: new Secret(String(user.password ?? '')),
    };
  }
  const server = String(cluster.server);
  return { server, client, namespace: ctx.namespace || undefined };
}
