/**
 * Turns a `tls_config` and the proxy and HTTP/2 fields into the host's
 * {@link FetchTransport}: certificate files are read here (paths were made absolute when the
 * config was loaded), inline PEMs are taken as they are.
 * @module
 */
import type { TlsConfig } from '../config/http_client.ts';
import type { FetchTransport } from '../host.ts';
import { fileReader, HttpClientError, type ReadFile } from './headers.ts';

/** The config fields that shape the transport. */
export interface TransportConfig {
  tls_config?: TlsConfig;
  proxy_url?: string;
  proxy_from_environment?: boolean;
  enable_http2?: boolean;
}

/** Whether the transport differs from a plain fetch. */
export function needsTransport(c: TransportConfig): boolean {
  return c.tls_config !== undefined || !!c.proxy_url || c.enable_http2 === false;
}

/** Reads the files a transport needs; @throws {HttpClientError} naming the unreadable file. */
export async function loadTransport(
  c: TransportConfig,
  readFile: ReadFile | undefined,
  env?: (name: string) => string | undefined,
): Promise<FetchTransport> {
  const t: FetchTransport = {};
  const read = fileReader(readFile);
  const load = async (what: string, path: string) => {
    try {
      return await read(path);
    } catch (e) {
      throw new HttpClientError(
        `unable to load specified ${what} ${path}: ${(e as Error).message}`,
      );
    }
  };
  const tls = c.tls_config;
  if (tls) {
    if (tls.ca) t.ca = tls.ca;
    else if (tls.ca_file) t.ca = await load('CA cert', tls.ca_file);
    if (tls.cert) t.cert = tls.cert;
    else if (tls.cert_file) t.cert = await load('client cert', tls.cert_file);
    if (tls.key) t.key = tls.key.reveal();
    else if (tls.key_file) t.key = await load('client key', tls.key_file);
    if (tls.insecure_skip_verify) t.insecureSkipVerify = true;
    if (tls.server_name) t.serverName = tls.server_name;
    if (tls.min_version) t.minVersion = tls.min_version;
    if (tls.max_version) t.maxVersion = tls.max_version;
  }
  if (c.proxy_url) t.proxyUrl = c.proxy_url;
  else if (c.proxy_from_environment && env) {
    const p = env('HTTPS_PROXY') ?? env('https_proxy') ?? env('HTTP_PROXY') ?? env('http_proxy');
    if (p) t.proxyUrl = p;
  }
  if (c.enable_http2 === false) t.http2 = false;
  return t;
}
