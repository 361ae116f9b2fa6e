/**
 * The HTTP client block that Prometheus inlines into scrape configs, service-discovery
 * configs, remote write/read and alerting: authentication, TLS, proxy and headers.
 * Field names, defaults and cross-field rules follow prometheus/common's HTTPClientConfig.
 * @module
 */

import * as v from 'valibot';
import type { Secret } from './secret.ts';
import { opt, optDefault, secretSchema, stringSchema, urlSchema } from './schema_types.ts';

const str = stringSchema;

/** TLS protocol versions accepted by `min_version`/`max_version`, in ascending order. */
export const TLS_VERSIONS: readonly string[] = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];

const tlsVersionSchema = v.picklist(
  TLS_VERSIONS as [string, ...string[]],
  (issue) => `unknown TLS version: ${String(issue.input)}`,
);

/** How many of the values are set (non-empty), for the "at most one of" rules. */
function countSet(...values: (string | Secret | undefined)[]): number {
  let n = 0;
  for (const x of values) if (x !== undefined && String(x) !== '' && !isEmptySecret(x)) n++;
  return n;
}

function isEmptySecret(x: string | Secret): boolean {
  return typeof x !== 'string' && x.isEmpty;
}

const tlsObject = v.strictObject({
  ca: opt(str),
  ca_file: opt(str),
  ca_ref: opt(str),
  cert: opt(str),
  cert_file: opt(str),
  cert_ref: opt(str),
  key: opt(secretSchema),
  key_file: opt(str),
  key_ref: opt(str),
  server_name: opt(str),
  insecure_skip_verify: optDefault(v.boolean(), false),
  min_version: opt(tlsVersionSchema),
  max_version: opt(tlsVersionSchema),
  next_protos: opt(v.array(str)),
});

/** A validated `tls_config` block. */
export type TlsConfig = v.InferOutput<typeof tlsObject>;

/** Prometheus's TLSConfig.Validate rules; returns the first violated rule's message. */
export function checkTlsConfig(c: TlsConfig): string | undefined {
  if (countSet(c.ca, c.ca_file, c.ca_ref) > 1) {
    return 'at most one of ca, ca_file & ca_ref must be configured';
  }
  if (countSet(c.cert, c.cert_file, c.cert_ref) > 1) {
    return 'at most one of cert, cert_file & cert_ref must be configured';
  }
  if (countSet(c.key, c.key_file, c.key_ref) > 1) {
    return 'at most one of key and key_file must be configured';
  }
  const usingCert = countSet(c.cert, c.cert_file, c.cert_ref) > 0;
  const usingKey = countSet(c.key, c.key_file, c.key_ref) > 0;
  if (usingCert && !usingKey) {
    return 'exactly one of key or key_file must be configured when a client certificate is configured';
  }
  if (usingKey && !usingCert) {
    return 'exactly one of cert or cert_file must be configured when a client key is configured';
  }
  if (
    c.min_version && c.max_version &&
    TLS_VERSIONS.indexOf(c.max_version) < TLS_VERSIONS.indexOf(c.min_version)
  ) {
    return 'tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified';
  }
  return undefined;
}

/** A strict `tls_config` block with its exclusivity rules. */
export const tlsConfigSchema = v.pipe(
  tlsObject,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const msg = checkTlsConfig(dataset.value);
    if (msg) addIssue({ message: msg });
  }),
);

/** Proxy fields, inlined in both the client block and `oauth2`. */
export const proxyEntries = {
  proxy_url: opt(urlSchema),
  no_proxy: opt(str),
  proxy_from_environment: optDefault(v.boolean(), false),
  proxy_connect_header: opt(v.record(v.string(), v.array(secretSchema))),
};

type ProxyConfig = {
  proxy_url?: string;
  no_proxy?: string;
  proxy_from_environment: boolean;
  proxy_connect_header?: Record<string, Secret[]>;
};

/** Prometheus's ProxyConfig.Validate rules. */
export function checkProxy(c: ProxyConfig): string | undefined {
  const hasUrl = c.proxy_url !== undefined && c.proxy_url !== '';
  if (
    c.proxy_connect_header && Object.keys(c.proxy_connect_header).length > 0 &&
    !c.proxy_from_environment && !hasUrl
  ) {
    return 'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured';
  }
  if (c.proxy_from_environment && hasUrl) {
    return 'if proxy_from_environment is configured, proxy_url must not be configured';
  }
  if (c.proxy_from_environment && c.no_proxy) {
    return 'if proxy_from_environment is configured, no_proxy must not be configured';
  }
  if (c.proxy_url === undefined && c.no_proxy) {
    return 'if no_proxy is configured, proxy_url must also be configured';
  }
  return undefined;
}

const basicAuthSchema = v.strictObject({
  username: optDefault(str, ''),
  username_file: opt(str),
  username_ref: opt(str),
  password: opt(secretSchema),
  password_file: opt(str),
  password_ref: opt(str),
});

const authorizationSchema = v.pipe(
  v.strictObject({
    type: optDefault(str, 'Bearer'),
    credentials: opt(secretSchema),
    credentials_file: opt(str),
    credentials_ref: opt(str),
  }),
  // Prometheus trims the type and falls back to Bearer when it is blank.
  v.transform((a) => ({ ...a, type: a.type.trim() || 'Bearer' })),
);

const oauth2Object = v.strictObject({
  client_id: optDefault(str, ''),
  client_secret: opt(secretSchema),
  client_secret_file: opt(str),
  client_secret_ref: opt(str),
  scopes: opt(v.array(str)),
  token_url: optDefault(str, ''),
  endpoint_params: opt(v.record(v.string(), str)),
  tls_config: opt(tlsConfigSchema),
  // JWT-bearer grant fields of newer prometheus/common releases.
  grant_type: opt(str),
  client_certificate_key: opt(secretSchema),
  client_certificate_key_file: opt(str),
  client_certificate_key_ref: opt(str),
  client_certificate_key_id: opt(str),
  signature_algorithm: opt(str),
  iss: opt(str),
  audience: opt(str),
  claims: opt(v.record(v.string(), v.unknown())),
  ...proxyEntries,
});

/** A validated `oauth2` block. */
export type OAuth2Config = v.InferOutput<typeof oauth2Object>;

/** Prometheus's OAuth2.Validate rules (checked when the block is read). */
export function checkOAuth2(o: OAuth2Config): string | undefined {
  if (o.client_id === '') return 'oauth2 client_id must be configured';
  if (o.token_url === '') return 'oauth2 token_url must be configured';
  if (countSet(o.client_secret, o.client_secret_file, o.client_secret_ref) > 1) {
    return 'at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured';
  }
  return checkProxy(o);
}

const oauth2Schema = v.pipe(
  oauth2Object,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const msg = checkOAuth2(dataset.value);
    if (msg) addIssue({ message: msg });
  }),
);

const headerSchema = v.strictObject({
  values: opt(v.array(str)),
  secrets: opt(v.array(secretSchema)),
  files: opt(v.array(str)),
});

/** Headers that Prometheus sets itself or that change the connection; users may not set them. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'Authorization',
  'Host',
  'Content-Encoding',
  'Content-Length',
  'Content-Type',
  'User-Agent',
  'Connection',
  'Keep-Alive',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Www-Authenticate',
  'Accept-Encoding',
  'X-Prometheus-Remote-Write-Version',
  'X-Prometheus-Remote-Read-Version',
  'X-Prometheus-Scrape-Timeout-Seconds',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
]);

/** Go's `http.CanonicalHeaderKey`: `x-foo-bar` → `X-Foo-Bar` (unchanged if not a token). */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, sep, c) => sep + c.toUpperCase());
}

const httpHeadersSchema = v.pipe(
  v.record(v.string(), headerSchema),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const name of Object.keys(dataset.value)) {
      const canon = canonicalHeaderKey(name);
      if (RESERVED_HEADERS.has(canon)) {
        addIssue({ message: `setting header ${JSON.stringify(canon)} is not allowed` });
        return;
      }
    }
  }),
);

/**
 * The entries of Prometheus's inline HTTPClientConfig, to spread into a strict object.
 * Apply {@link httpClientCheck} to that object for the cross-field rules.
 */
export const httpClientEntries = {
  basic_auth: opt(basicAuthSchema),
  authorization: opt(authorizationSchema),
  oauth2: opt(oauth2Schema),
  bearer_token: opt(secretSchema),
  bearer_token_file: opt(str),
  tls_config: opt(tlsConfigSchema),
  follow_redirects: optDefault(v.boolean(), true),
  enable_http2: optDefault(v.boolean(), true),
  ...proxyEntries,
  http_headers: opt(httpHeadersSchema),
};

/** The HTTP client block on its own, strict, with its cross-field rules. */
export const httpClientSchema = v.pipe(
  v.strictObject(httpClientEntries),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const msg = checkHttpClient(dataset.value);
    if (msg) addIssue({ message: msg });
  }),
);

/** A validated HTTP client config (the fields of {@link httpClientEntries}). */
export type HttpClientConfig = v.InferOutput<typeof httpClientSchema>;

/**
 * Prometheus's HTTPClientConfig.Validate rules across fields, in its order; returns the
 * first violated rule's message or `undefined`. Takes any object holding the entries.
 */
export function checkHttpClient(c: HttpClientConfig): string | undefined {
  const bearer = countSet(c.bearer_token) > 0;
  const bearerFile = countSet(c.bearer_token_file) > 0;
  if (bearer && bearerFile) {
    return 'at most one of bearer_token & bearer_token_file must be configured';
  }
  if ((c.basic_auth || c.oauth2) && (bearer || bearerFile)) {
    return 'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured';
  }
  const b = c.basic_auth;
  if (b && countSet(b.username, b.username_file, b.username_ref) > 1) {
    return 'at most one of basic_auth username, username_file & username_ref must be configured';
  }
  if (b && countSet(b.password, b.password_file, b.password_ref) > 1) {
    return 'at most one of basic_auth password, password_file & password_ref must be configured';
  }
  const a = c.authorization;
  if (a) {
    if (bearer || bearerFile) {
      return 'authorization is not compatible with bearer_token & bearer_token_file';
    }
    if (countSet(a.credentials, a.credentials_file, a.credentials_ref) > 1) {
      return 'at most one of authorization credentials & credentials_file must be configured';
    }
    if (a.type.toLowerCase() === 'basic') {
      return 'authorization type cannot be set to "basic", use "basic_auth" instead';
    }
    if (c.basic_auth || c.oauth2) {
      return 'at most one of basic_auth, oauth2 & authorization must be configured';
    }
  }
  if (c.oauth2 && c.basic_auth) {
    return 'at most one of basic_auth, oauth2 & authorization must be configured';
  }
  return checkProxy(c);
}

/** Whether the block sets any HTTP client option beyond the defaults (used by SD rules). */
export function hasCustomHttpClient(c: HttpClientConfig): boolean {
  return c.basic_auth !== undefined || c.authorization !== undefined ||
    c.oauth2 !== undefined || c.bearer_token !== undefined ||
    c.bearer_token_file !== undefined || c.tls_config !== undefined ||
    c.follow_redirects !== true || c.enable_http2 !== true || c.proxy_url !== undefined ||
    c.no_proxy !== undefined || c.proxy_from_environment || c.proxy_connect_header !== undefined ||
    c.http_headers !== undefined;
}

/**
 * A pipe action applying {@link checkHttpClient} to an object that spreads
 * {@link httpClientEntries}; the issue sits at that object.
 */
export function httpClientCheck<T extends HttpClientConfig>(): v.RawCheckAction<T> {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const msg = checkHttpClient(dataset.value);
    if (msg) addIssue({ message: msg });
  });
}
