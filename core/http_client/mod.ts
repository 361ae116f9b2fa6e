/**
 * Outgoing HTTP: one factory turning Prometheus's HTTP client config (basic auth,
 * authorization, OAuth2 client credentials, TLS, proxy, redirects, custom headers) into a
 * fetch. TLS and proxy go through the host's transport factory, so this folder stays
 * web-standard.
 * @module
 */
export {
  createHttpClient,
  hostHttpDeps,
  type HttpClient,
  type HttpClientDeps,
  type HttpClientSettings,
} from './client.ts';
export {
  base64,
  headerBuilder,
  type HeaderConfig,
  HttpClientError,
  type ReadFile,
} from './headers.ts';
export { OAuth2TokenSource } from './oauth2.ts';
export { loadTransport, needsTransport, type TransportConfig } from './transport.ts';
