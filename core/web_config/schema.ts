/**
 * The valibot schema of a web config file, Prometheus exporter-toolkit's format:
 * `tls_server_config`, `http_server_config`, `basic_auth_users` and `rate_limit`.
 * Rules that span several fields live in `checks.ts`.
 * @module
 */

import * as v from 'valibot';
import { Secret } from '../config/mod.ts';

/** Client certificate policies, Go's `tls.ClientAuthType` names. */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;

/** A client certificate policy. */
export type ClientAuthType = typeof CLIENT_AUTH_TYPES[number];

/** TLS versions, oldest first. */
export const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

/** A TLS protocol version name. */
export type TlsVersion = typeof TLS_VERSIONS[number];

/** Cipher suite names Go's `tls.CipherSuites()` offers (the ones not marked insecure). */
export const CIPHER_SUITES: readonly string[] = [
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** Elliptic curve names accepted in `curve_preferences`. */
export const CURVES: readonly string[] = ['CurveP256', 'CurveP384', 'CurveP521', 'X25519'];

/**
 * The response headers a web config may set, with the values allowed where the header is an
 * enumeration (empty: any value). Other headers are refused, as upstream does, so that a web
 * config cannot override what the handlers themselves set.
 */
export const ALLOWED_HEADERS: Readonly<Record<string, readonly string[]>> = {
  'Strict-Transport-Security': [],
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': [],
  'Content-Security-Policy': [],
};

function kindOf(input: unknown): string {
  if (input === null || input === undefined) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `string ${JSON.stringify(input)}`;
  return `${typeof input} ${String(input)}`;
}

/**
 * A mapping that reports every unknown key (valibot's strict object stops at the first),
 * worded as Go's strict YAML decoder does.
 */
function strict<E extends v.ObjectEntries>(typeName: string, entries: E) {
  const base = v.object(
    entries,
    (i) => `expected a mapping for ${typeName}, got ${kindOf(i.input)}`,
  );
  const run = base['~run'];
  return {
    ...base,
    '~run'(dataset, config) {
      const input = dataset.value;
      const out = run.call(base, dataset, config);
      if (input && typeof input === 'object' && !Array.isArray(input)) {
        const rec = input as Record<string, unknown>;
        for (const key of Object.keys(rec)) {
          if (Object.prototype.hasOwnProperty.call(entries, key)) continue;
          out.typed = false;
          (out.issues ??= [] as unknown as typeof out.issues)!.push({
            kind: 'schema',
            type: 'strict_object',
            input: key,
            expected: 'never',
            received: JSON.stringify(key),
            message: `field ${key} not found in type ${typeName}`,
            path: [{ type: 'object', origin: 'key', input: rec, key, value: rec[key] }],
          } as never);
        }
      }
      return out;
    },
  } as typeof base;
}

/** Absent or YAML null → `undefined`. */
function opt<T extends v.GenericSchema>(schema: T) {
  return v.pipe(
    v.nullish(schema),
    v.transform((x: v.InferOutput<T> | null | undefined) => x ?? undefined),
  );
}

// Go's YAML decoder turns plain scalars into strings for string fields.
const str = v.pipe(
  v.union(
    [v.string(), v.number(), v.boolean()],
    (i) => `expected a string, got ${kindOf(i.input)}`,
  ),
  v.transform((x) => String(x)),
);

const secret = v.pipe(str, v.transform((s) => new Secret(s)));

const YAML11_BOOLS: Record<string, boolean> = {
  true: true,
  True: true,
  TRUE: true,
  yes: true,
  Yes: true,
  YES: true,
  on: true,
  On: true,
  ON: true,
  false: false,
  False: false,
  FALSE: false,
  no: false,
  No: false,
  NO: false,
  off: false,
  Off: false,
  OFF: false,
};

const bool = v.pipe(
  v.union(
    [v.boolean(), v.picklist(Object.keys(YAML11_BOOLS) as [string, ...string[]])],
    (i) => `expected a boolean, got ${kindOf(i.input)}`,
  ),
  v.transform((b) => (typeof b === 'boolean' ? b : YAML11_BOOLS[b])),
);

// valibot's record takes a list as a mapping from indexes; YAML users mean a mapping.
const mapping = <T extends v.GenericSchema>(value: T) =>
  v.pipe(
    v.custom<Record<string, unknown>>(
      (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
      (i) => `expected a mapping, got ${kindOf(i.input)}`,
    ),
    v.record(v.string(), value),
  );

const list = <T extends v.GenericSchema>(item: T) =>
  v.array(item, (i) => `expected a list, got ${kindOf(i.input)}`);

const named = <T extends string>(names: readonly T[], what: string) =>
  v.pipe(
    str,
    v.check((s) => (names as readonly string[]).includes(s), (i) => `unknown ${what}: ${i.input}`),
  ) as unknown as v.GenericSchema<unknown, T>;

const tlsServerSchema = strict('TLSConfig', {
  cert: opt(str),
  key: opt(secret),
  client_ca: opt(str),
  cert_file: opt(str),
  key_file: opt(str),
  client_auth_type: opt(str),
  client_ca_file: opt(str),
  client_allowed_sans: opt(list(str)),
  min_version: opt(named(TLS_VERSIONS, 'TLS version')),
  max_version: opt(named(TLS_VERSIONS, 'TLS version')),
  cipher_suites: opt(list(named(CIPHER_SUITES, 'cipher'))),
  curve_preferences: opt(list(named(CURVES, 'curve'))),
  prefer_server_cipher_suites: opt(bool),
});

const httpServerSchema = strict('HTTPConfig', {
  http2: opt(bool),
  headers: opt(mapping(str)),
});

// A Go duration as exporter-toolkit's `rate_limit.interval` takes it (`1s`, `500ms`, `0`).
const DURATION_RE = /^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const goDuration = v.pipe(
  v.union([v.string(), v.literal(0)], (i) => `invalid duration ${kindOf(i.input)}`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const text = String(dataset.value);
    if (text === '0') return 0;
    if (!DURATION_RE.test(text)) {
      addIssue({ message: `time: invalid duration ${JSON.stringify(text)}` });
      return NEVER;
    }
    let ms = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
      ms += Number(m[1]) * UNIT_MS[m[2]];
    }
    return ms;
  }),
);

const rateLimitSchema = strict('RateLimiterConfig', {
  interval: opt(goDuration),
  burst: opt(
    v.pipe(
      v.number((i) => `expected an integer, got ${kindOf(i.input)}`),
      v.integer((i) => `cannot unmarshal ${String(i.input)} into an integer`),
    ),
  ),
});

/** The whole file, before the cross-field checks. */
export const webConfigFileSchema = strict('Config', {
  tls_server_config: opt(tlsServerSchema),
  http_server_config: opt(httpServerSchema),
  basic_auth_users: opt(mapping(secret)),
  rate_limit: opt(rateLimitSchema),
});

/** The file as the schema reads it. */
export type WebConfigFile = v.InferOutput<typeof webConfigFileSchema>;

/** The raw `tls_server_config` block. */
export type TlsServerFile = NonNullable<WebConfigFile['tls_server_config']>;
