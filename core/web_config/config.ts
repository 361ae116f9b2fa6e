/**
 * Loading a web config file: YAML → schema → cross-field rules (exporter-toolkit's) → a
 * {@link WebConfig} with TLS material read and relative paths taken against the file's
 * directory. Every problem is a positioned {@link ConfigError}; none quotes a secret.
 * @module
 */

import {
  ConfigError,
  ConfigLoadError,
  type ConfigPath,
  type ConfigSource,
  dirname,
  joinDir,
  readYaml,
  Secret,
  validateBlock,
} from '../config/mod.ts';
import { BcryptFormatError, parseBcryptHash } from './bcrypt.ts';
import {
  ALLOWED_HEADERS,
  CLIENT_AUTH_TYPES,
  type ClientAuthType,
  TLS_VERSIONS,
  type TlsServerFile,
  type TlsVersion,
  webConfigFileSchema,
} from './schema.ts';

/** What a server needs to speak TLS as the web config asks; given to `Host.serve`. */
export interface ServerTls {
  /** PEM certificate chain. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: Secret;
  /** PEM CA bundle that client certificates are verified against. */
  readonly clientCa?: string;
  readonly clientAuth: ClientAuthType;
  /** When set, a client certificate must carry one of these SANs. */
  readonly clientAllowedSans?: readonly string[];
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion;
  /** Empty: the runtime's defaults. */
  readonly cipherSuites: readonly string[];
  /** Empty: the runtime's defaults. */
  readonly curvePreferences: readonly string[];
  readonly preferServerCipherSuites: boolean;
  /** Whether HTTP/2 may be negotiated (ALPN `h2`). */
  readonly http2: boolean;
}

/** A loaded, validated web config. */
export interface WebConfig {
  /** The file it came from ('' for none). */
  readonly file: string;
  /** TLS settings and material; undefined for plain HTTP. */
  readonly tls?: ServerTls;
  readonly http2: boolean;
  /** Extra response headers (only the ones upstream allows). */
  readonly headers: Readonly<Record<string, string>>;
  /** User name → bcrypt hash; empty means no authentication. */
  readonly users: ReadonlyMap<string, Secret>;
  /** The TLS files read (certificate, key, client CA), to watch for rotation. */
  readonly tlsFiles?: readonly string[];
  /** Token bucket: one request per `intervalMs`, bursts of `burst`; undefined when off. */
  readonly rateLimit?: { readonly intervalMs: number; readonly burst: number };
}

/** The web config in force without `--web.config.file`: plain HTTP, no auth. */
export const EMPTY_WEB_CONFIG: WebConfig = {
  file: '',
  http2: true,
  headers: {},
  users: new Map(),
};

/** File access for {@link loadWebConfig} (the host provides it). */
export interface WebConfigFS {
  readTextFile(path: string): Promise<string>;
}

/**
 * Reads and validates a web config file and the TLS files it names. Throws
 * {@link ConfigLoadError} with every problem found.
 */
export async function loadWebConfig(file: string, fs: WebConfigFS): Promise<WebConfig> {
  let text: string;
  try {
    text = await fs.readTextFile(file);
  } catch (e) {
    throw new ConfigLoadError([
      new ConfigError(file, 1, 1, [], `cannot read web config file: ${(e as Error).message}`),
    ]);
  }
  const { source, parsed } = parseWebConfigText(text, file);
  const tls = parsed.tls_server_config;
  const errors: ConfigError[] = [];
  let serverTls: ServerTls | undefined;
  const tlsFiles: string[] = [];
  if (tls && tlsEnabled(tls)) {
    const dir = dirname(file);
    const read = async (
      field: 'cert' | 'key' | 'client_ca',
      inline: string | undefined,
      path: string | undefined,
    ): Promise<string | undefined> => {
      if (!path) return inline;
      const full = joinDir(dir, path);
      tlsFiles.push(full);
      try {
        return await fs.readTextFile(full);
      } catch (e) {
        errors.push(
          at(
            source,
            ['tls_server_config', `${field}_file`],
            `failed to read ${field}_file (${full}): ${(e as Error).message}`,
          ),
        );
        return undefined;
      }
    };
    const cert = await read('cert', tls.cert, tls.cert_file);
    const key = await read('key', tls.key?.reveal(), tls.key_file);
    const clientCa = await read('client_ca', tls.client_ca, tls.client_ca_file);
    const pemProblem = (
      what: 'cert' | 'key' | 'client_ca',
      pem: string | undefined,
      re: RegExp,
      expected: string,
    ) => {
      if (pem === undefined || re.test(pem)) return;
      const field = (tls as Record<string, unknown>)[`${what}_file`] ? `${what}_file` : what;
      errors.push(at(source, ['tls_server_config', field], `no PEM ${expected} found in ${field}`));
    };
    pemProblem('cert', cert, /-----BEGIN CERTIFICATE-----/, 'certificate');
    pemProblem('key', key, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key');
    pemProblem('client_ca', clientCa, /-----BEGIN CERTIFICATE-----/, 'certificate');
    if (!errors.length && cert !== undefined && key !== undefined) {
      serverTls = {
        cert,
        key: new Secret(key),
        clientCa: clientCa || undefined,
        clientAuth: clientAuthOf(tls.client_auth_type),
        clientAllowedSans: tls.client_allowed_sans,
        minVersion: tls.min_version ?? 'TLS12',
        maxVersion: tls.max_version ?? 'TLS13',
        cipherSuites: tls.cipher_suites ?? [],
        curvePreferences: tls.curve_preferences ?? [],
        preferServerCipherSuites: tls.prefer_server_cipher_suites ?? true,
        http2: parsed.http_server_config?.http2 ?? true,
      };
    }
  }
  if (errors.length) throw new ConfigLoadError(errors);
  const users = new Map<string, Secret>();
  for (const [name, hash] of Object.entries(parsed.basic_auth_users ?? {})) users.set(name, hash);
  const rl = parsed.rate_limit;
  return {
    file,
    tls: serverTls,
    tlsFiles,
    http2: parsed.http_server_config?.http2 ?? true,
    headers: { ...(parsed.http_server_config?.headers ?? {}) },
    users,
    rateLimit: rl?.interval ? { intervalMs: rl.interval, burst: rl.burst ?? 0 } : undefined,
  };
}

/**
 * Validates a web config's text without touching any file (the TLS files are read by
 * {@link loadWebConfig}). Throws {@link ConfigLoadError} with every problem found.
 */
export function parseWebConfigText(
  text: string,
  file: string,
): { source: ConfigSource; parsed: ReturnType<typeof validateFile> } {
  const source = readYaml(text, file);
  if (source.errors.length) throw new ConfigLoadError(source.errors);
  const parsed = validateFile(source);
  const errors = crossChecks(source, parsed);
  if (errors.length) {
    throw new ConfigLoadError(errors.sort((a, b) => a.line - b.line || a.column - b.column));
  }
  return { source, parsed };
}

function validateFile(source: ConfigSource) {
  // An empty file is a valid web config that changes nothing.
  if (source.value === null || source.value === undefined) return {};
  return validateBlock(webConfigFileSchema, source, []);
}

type Parsed = ReturnType<typeof validateFile>;

function at(source: ConfigSource, path: ConfigPath, message: string): ConfigError {
  const p = source.positionOf(path);
  return new ConfigError(source.file, p.line, p.column, path, message);
}

/** Whether any TLS field is set, the way exporter-toolkit decides to serve HTTPS. */
function tlsEnabled(t: TlsServerFile): boolean {
  return [t.cert, t.cert_file, t.key_file, t.client_ca, t.client_ca_file, t.client_auth_type]
    .some((x) => !!x) || (t.key !== undefined && !t.key.isEmpty);
}

function clientAuthOf(name: string | undefined): ClientAuthType {
  if (!name) return 'NoClientCert';
  // `RequireClientCert` is kept upstream for backwards compatibility.
  return name === 'RequireClientCert' ? 'RequireAnyClientCert' : name as ClientAuthType;
}

function crossChecks(source: ConfigSource, parsed: Parsed): ConfigError[] {
  const errors: ConfigError[] = [];
  const tls = parsed.tls_server_config;
  const T = 'tls_server_config';
  if (tls && tlsEnabled(tls)) {
    const keySet = tls.key !== undefined && !tls.key.isEmpty;
    if (!tls.cert && !tls.cert_file) {
      errors.push(at(source, [T], 'missing one of cert or cert_file'));
    }
    if (!keySet && !tls.key_file) errors.push(at(source, [T], 'missing one of key or key_file'));
    if (tls.cert && tls.cert_file) {
      errors.push(at(source, [T, 'cert'], 'at most one of cert and cert_file must be configured'));
    }
    if (keySet && tls.key_file) {
      errors.push(at(source, [T, 'key'], 'at most one of key and key_file must be configured'));
    }
    if (tls.client_ca && tls.client_ca_file) {
      errors.push(
        at(
          source,
          [T, 'client_ca'],
          'at most one of client_ca and client_ca_file must be configured',
        ),
      );
    }
    const auth = tls.client_auth_type;
    const known = !auth || auth === 'RequireClientCert' ||
      (CLIENT_AUTH_TYPES as readonly string[]).includes(auth);
    if (!known) errors.push(at(source, [T, 'client_auth_type'], `invalid ClientAuth: ${auth}`));
    const policy = clientAuthOf(auth);
    if (known && (tls.client_ca || tls.client_ca_file) && policy === 'NoClientCert') {
      errors.push(
        at(source, [T], "client CA's have been configured without a Client Auth Policy"),
      );
    }
    if (
      known && tls.client_allowed_sans &&
      policy !== 'RequireAnyClientCert' && policy !== 'RequireAndVerifyClientCert'
    ) {
      errors.push(
        at(
          source,
          [T, 'client_allowed_sans'],
          'client_allowed_sans requires client_auth_type to be one of RequireAnyClientCert or RequireAndVerifyClientCert',
        ),
      );
    }
    const min = TLS_VERSIONS.indexOf(tls.min_version ?? 'TLS12');
    const max = TLS_VERSIONS.indexOf(tls.max_version ?? 'TLS13');
    if (max < min) {
      errors.push(
        at(source, [T, 'max_version'], 'max_version must not be lower than min_version'),
      );
    }
  }
  for (const [name, value] of Object.entries(parsed.http_server_config?.headers ?? {})) {
    const allowed = ALLOWED_HEADERS[name];
    const path = ['http_server_config', 'headers', name];
    if (!allowed) {
      errors.push(at(source, path, `HTTP header ${JSON.stringify(name)} can not be configured`));
    } else if (allowed.length && !allowed.includes(value)) {
      errors.push(
        at(
          source,
          path,
          `invalid value for ${name}. Expected one of: ${JSON.stringify(allowed)}, but got: ${
            JSON.stringify(value)
          }`,
        ),
      );
    }
  }
  for (const [user, hash] of Object.entries(parsed.basic_auth_users ?? {})) {
    try {
      parseBcryptHash(hash.reveal());
    } catch (e) {
      if (!(e instanceof BcryptFormatError)) throw e;
      // The message names the user, never the hash.
      errors.push(
        at(source, ['basic_auth_users', user], `user ${JSON.stringify(user)}: ${e.message}`),
      );
    }
  }
  const rl = parsed.rate_limit;
  if (rl?.burst !== undefined && rl.burst < 0) {
    errors.push(at(source, ['rate_limit', 'burst'], 'burst must not be negative'));
  }
  return errors;
}
