/**
 * Schema pieces and helpers that notifier plugins share: `send_resolved` with a per-type
 * default, Alertmanager's `http_config` (the same HTTP client block as Prometheus's),
 * durations, secrets given inline or by file, and templated strings with defaults.
 * @module
 */
import * as v from 'valibot';
import { Duration, type HttpClientConfig, httpClientSchema, Secret } from '../config/mod.ts';
import type { Host } from '../host.ts';
import { createHttpClient, hostHttpDeps, type HttpClient } from '../http_client/mod.ts';

/** `send_resolved` with the notifier type's default. */
export const sendResolvedField = (dflt: boolean) =>
  v.pipe(v.nullish(v.boolean(), dflt), v.transform((b) => b ?? dflt));

/** An optional `http_config` block. */
export const httpConfigField = v.pipe(
  v.nullish(httpClientSchema),
  v.transform((x) => x ?? undefined),
);

/** A duration (`10s`) with a default; 0 means "no limit" where the field allows it. */
export const durationField = (dflt: string) =>
  v.pipe(
    v.nullish(v.union([v.string(), v.literal(0)]), dflt),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return Duration.parse(String(dataset.value ?? dflt));
      } catch {
        addIssue({ message: `not a valid duration string: ${JSON.stringify(dataset.value)}` });
        return NEVER;
      }
    }),
  );

/** An optional secret (URL, key, token), printed as `<secret>`. */
export const secretField = v.pipe(
  v.nullish(v.union([v.string(), v.number()])),
  v.transform((x) => (x === null || x === undefined ? undefined : new Secret(String(x)))),
);

/** An optional plain string. */
export const stringField = v.pipe(
  v.nullish(v.union([v.string(), v.number(), v.boolean()])),
  v.transform((x) => (x === null || x === undefined ? undefined : String(x))),
);

/** A templated string with Alertmanager's default template for the field. */
export const templateField = (dflt: string) =>
  v.pipe(
    v.nullish(v.union([v.string(), v.number(), v.boolean()]), dflt),
    v.transform((x) => String(x ?? dflt)),
  );

/** Reads a file's content for `*_file` fields. */
export type ReadFile = (path: string) => Promise<string>;

/** The value of a `field` / `field_file` pair (the file's content trimmed). */
export async function secretValue(
  inline: Secret | undefined,
  file: string | undefined,
  readFile: ReadFile,
): Promise<string> {
  if (file) return (await readFile(file)).trim();
  return inline?.reveal() ?? '';
}

/**
 * The HTTP client of an `http_config` block: auth, OAuth2 and custom headers from
 * `headers()`, TLS and proxy through `transportFetch` (the shared client of core/http_client).
 */
export function httpConfigClient(
  cfg: HttpClientConfig | undefined,
  host: Host,
  onWarning: (message: string) => void,
): HttpClient {
  return createHttpClient(cfg ?? {}, hostHttpDeps(host, onWarning));
}

/** Alertmanager's check for a `field` / `field_file` pair. */
export function exactlyOne(
  name: string,
  inline: unknown,
  file: unknown,
  required = true,
): string | undefined {
  if (inline !== undefined && file !== undefined) {
    return `at most one of ${name} & ${name}_file must be configured`;
  }
  if (required && inline === undefined && file === undefined) {
    return `one of ${name} or ${name}_file must be configured`;
  }
  return undefined;
}

/** Cuts `s` to `n` code points, ending with `…` when cut (as Alertmanager truncates). */
export function truncateRunes(s: string, n: number): { text: string; truncated: boolean } {
  const cps = [...s];
  if (cps.length <= n) return { text: s, truncated: false };
  return { text: cps.slice(0, n - 1).join('') + '…', truncated: true };
}
