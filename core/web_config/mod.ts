/**
 * `--web.config.file`: Prometheus exporter-toolkit's web config (TLS, basic auth with bcrypt
 * hashes, response headers, rate limit), loaded with positioned errors, enforced on every
 * request except the health endpoints, and reloaded on SIGHUP or file change.
 *
 * ```ts
 * const watcher = await WebConfigWatcher.create({ file, fs: host, logger });
 * const server = await listenWithWebConfig({ host, hostname, port, fetch, watcher, logger });
 * host.onSignal('SIGHUP', () => void watcher.reload());
 * ```
 * @module
 */

export {
  EMPTY_WEB_CONFIG,
  loadWebConfig,
  parseWebConfigText,
  type ServerTls,
  type WebConfig,
  type WebConfigFS,
} from './config.ts';
export {
  ALLOWED_HEADERS,
  CIPHER_SUITES,
  CLIENT_AUTH_TYPES,
  type ClientAuthType,
  CURVES,
  TLS_VERSIONS,
  type TlsVersion,
} from './schema.ts';
export { type FetchHandler, parseBasicAuth, WebGuard, type WebGuardOptions } from './guard.ts';
export {
  sameTls,
  sameWebConfig,
  WebConfigWatcher,
  type WebConfigWatcherOptions,
} from './watcher.ts';
export {
  listenWithWebConfig,
  type TlsServeOptions,
  type TlsServingHost,
  type WebConfigServer,
} from './listener.ts';
export {
  bcryptCost,
  BcryptFormatError,
  bcryptHash,
  bcryptVerify,
  constantTimeEqual,
  parseBcryptHash,
} from './bcrypt.ts';
