/**
 * `remote_write[]` and `remote_read[]`: endpoints, queue tuning, headers and authentication.
 * @module
 */

import * as v from 'valibot';
import { durationSchema, urlSchema } from './schema_types.ts';
import { bool, int, nonNull, str, strict, strMap, uint } from './schema_helpers.ts';
import { checkHttpClient, httpClientEntries } from './http_client.ts';
import { relabelListSchema } from './relabel.ts';
import { azureadSchema, googleIamSchema, sigv4Schema } from './auth_blocks.ts';

const o = <T extends v.GenericSchema>(s: T) => v.optional(v.nullable(s));

// Headers Prometheus sets itself; `authorization` is reported with its own advice.
const RESERVED_HEADERS = new Set([
  'host',
  'content-encoding',
  'content-length',
  'content-type',
  'user-agent',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'www-authenticate',
  'accept-encoding',
  'x-prometheus-remote-write-version',
  'x-prometheus-remote-read-version',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
]);

/** Why custom `headers` may not be sent, or `undefined` (remote write/read wording). */
export function headersProblem(
  headers: Record<string, string>,
  tracing = false,
): string | undefined {
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization') {
      return tracing
        ? 'custom authorization header configuration is not yet supported'
        : 'authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter';
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      return `${name} is a reserved header. It must not be changed`;
    }
  }
  return undefined;
}

/** Remote-write protobuf messages: 1.0 and 2.0. */
export const PROTOBUF_MESSAGES = [
  'prometheus.WriteRequest',
  'io.prometheus.write.v2.Request',
] as const;

const queueObject = strict('queue_config', {
  capacity: v.optional(int, 10000),
  max_shards: v.optional(int, 50),
  min_shards: v.optional(int, 1),
  max_samples_per_send: v.optional(int, 2000),
  batch_send_deadline: v.optional(durationSchema, '5s'),
  min_backoff: v.optional(durationSchema, '30ms'),
  max_backoff: v.optional(durationSchema, '5s'),
  retry_on_http_429: v.optional(bool, false),
  sample_age_limit: v.optional(durationSchema, '0s'),
});

/** Prometheus's queue rules; each names the offending field. */
export function queueProblem(
  q: v.InferOutput<typeof queueObject>,
): { field: string; message: string } | undefined {
  if (q.max_samples_per_send <= 0) {
    return {
      field: 'max_samples_per_send',
      message: 'remote write queue max_samples_per_send must be positive',
    };
  }
  if (q.max_shards <= 0) {
    return { field: 'max_shards', message: 'remote write queue max_shards must be positive' };
  }
  if (q.min_shards <= 0) {
    return { field: 'min_shards', message: 'remote write queue min_shards must be positive' };
  }
  if (q.capacity <= 0) {
    return { field: 'capacity', message: 'remote write queue capacity must be positive' };
  }
  if (q.min_shards > q.max_shards) {
    return {
      field: 'min_shards',
      message: 'remote write queue min_shards must not be greater than max_shards',
    };
  }
  if (q.max_backoff.ms < q.min_backoff.ms) {
    return {
      field: 'max_backoff',
      message: 'remote write queue max_backoff must not be less than min_backoff',
    };
  }
  return undefined;
}

const queueSchema = v.pipe(
  queueObject,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const p = queueProblem(dataset.value);
    if (p) {
      addIssue({
        message: p.message,
        path: [{
          type: 'object',
          origin: 'value',
          input: dataset.value,
          key: p.field,
          value: undefined,
        }],
      });
    }
  }),
);

const metadataSchema = strict('metadata_config', {
  send: v.optional(bool, true),
  send_interval: v.optional(durationSchema, '1m'),
  max_samples_per_send: v.optional(int, 2000),
});

function headersCheck(tracing = false) {
  return v.pipe(
    strMap,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const why = headersProblem(dataset.value, tracing);
      if (why) addIssue({ message: why });
    }),
  );
}

/** `headers` for remote write/read, with Prometheus's reserved-header rules. */
export const remoteHeadersSchema = headersCheck(false);

/** `headers` for tracing (authorization is not supported there yet). */
export const tracingHeadersSchema = headersCheck(true);

const remoteWriteObject = strict('remote_write_config', {
  url: o(urlSchema),
  remote_timeout: v.optional(durationSchema, '30s'),
  headers: o(remoteHeadersSchema),
  write_relabel_configs: o(
    relabelListSchema('empty or null relabeling rule in remote write config'),
  ),
  name: v.optional(str, ''),
  send_exemplars: v.optional(bool, false),
  send_native_histograms: v.optional(bool, false),
  round_robin_dns: v.optional(bool, false),
  protobuf_message: v.pipe(
    v.optional(str, 'prometheus.WriteRequest'),
    v.check(
      (s) => (PROTOBUF_MESSAGES as readonly string[]).includes(s),
      (issue) =>
        `invalid protobuf_message value: unknown type for remote write protobuf message ${
          String(issue.input)
        }, supported: ${PROTOBUF_MESSAGES.join(', ')}`,
    ),
  ),
  ...httpClientEntries,
  // Remote write turns HTTP/2 off by default (Prometheus's DefaultRemoteWriteHTTPClientConfig).
  enable_http2: v.optional(bool, false),
  queue_config: v.optional(queueSchema, {}),
  metadata_config: v.optional(metadataSchema, {}),
  sigv4: o(sigv4Schema),
  azuread: o(azureadSchema),
  google_iam: o(googleIamSchema),
});

/** One `remote_write[]` entry. */
export const remoteWriteSchema = nonNull(
  v.pipe(
    remoteWriteObject,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const c = dataset.value;
      if (!c.url) {
        addIssue({ message: 'url for remote_write is empty' });
        return;
      }
      const http = checkHttpClient(c);
      if (http) {
        addIssue({ message: http });
        return;
      }
      const auth =
        (['basic_auth', 'authorization', 'oauth2', 'sigv4', 'azuread', 'google_iam'] as const)
          .filter((k) => c[k]);
      if (auth.length > 1) {
        addIssue({
          message:
            `at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. Currently configured: [${
              auth.join(' ')
            }]`,
        });
      }
    }),
    v.transform((c) => ({ ...c, url: c.url! })),
  ),
  'empty or null remote write config section',
);

/** A validated `remote_write[]` entry. */
export type RemoteWriteConfig = v.InferOutput<typeof remoteWriteSchema>;

const remoteReadObject = strict('remote_read_config', {
  url: o(urlSchema),
  remote_timeout: v.optional(durationSchema, '1m'),
  chunked_read_limit: v.optional(uint, 50_000_000),
  headers: o(remoteHeadersSchema),
  read_recent: v.optional(bool, false),
  name: v.optional(str, ''),
  ...httpClientEntries,
  required_matchers: o(strMap),
  filter_external_labels: v.optional(bool, true),
});

/** One `remote_read[]` entry. */
export const remoteReadSchema = nonNull(
  v.pipe(
    remoteReadObject,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const c = dataset.value;
      const msg = !c.url ? 'url for remote_read is empty' : checkHttpClient(c);
      if (msg) addIssue({ message: msg });
    }),
    v.transform((c) => ({ ...c, url: c.url! })),
  ),
  'empty or null remote read config section',
);

/** A validated `remote_read[]` entry. */
export type RemoteReadConfig = v.InferOutput<typeof remoteReadSchema>;

/** Duplicate non-empty names in a list of remote configs: index and message of each repeat. */
export function duplicateRemoteNames(
  list: { name: string }[],
  kind: 'write' | 'read',
): { index: number; message: string }[] {
  const seen = new Set<string>();
  const out: { index: number; message: string }[] = [];
  list.forEach((c, index) => {
    if (c.name && seen.has(c.name)) {
      out.push({
        index,
        message: `found multiple remote ${kind} configs with job name ${JSON.stringify(c.name)}`,
      });
    }
    seen.add(c.name);
  });
  return out;
}
