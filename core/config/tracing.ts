/**
 * The `tracing` section: where Beacon would export its own OpenTelemetry traces.
 * @module
 */

import * as v from 'valibot';
import { durationSchema } from './schema_types.ts';
import { bool, float, str, strict } from './schema_helpers.ts';
import { tlsConfigSchema } from './http_client.ts';
import { tracingHeadersSchema } from './remote.ts';

const o = <T extends v.GenericSchema>(s: T) => v.optional(v.nullable(s));

const tracingObject = strict('tracing_config', {
  client_type: v.pipe(
    v.optional(str, 'grpc'),
    v.check(
      (s) => s === 'grpc' || s === 'http',
      (issue) =>
        `expected tracing client type to be to be http or grpc, but got ${String(issue.input)}`,
    ),
  ),
  endpoint: v.optional(str, ''),
  sampling_fraction: v.optional(float, 0),
  insecure: v.optional(bool, false),
  tls_config: o(tlsConfigSchema),
  headers: o(tracingHeadersSchema),
  compression: v.optional(str, ''),
  timeout: o(durationSchema),
});

/** `tracing`, validated only when present (as in Prometheus). */
export const tracingSchema = v.optional(
  v.nullable(
    v.pipe(
      tracingObject,
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const t = dataset.value;
        if (t.endpoint === '') addIssue({ message: 'tracing endpoint must be set' });
        else if (t.compression !== '' && t.compression !== 'gzip') {
          addIssue({
            message: `invalid compression type ${t.compression} provided, valid options: gzip`,
          });
        }
      }),
    ),
  ),
);

/** A validated `tracing` section (absent when not configured). */
export type TracingConfig = NonNullable<v.InferOutput<typeof tracingSchema>>;
