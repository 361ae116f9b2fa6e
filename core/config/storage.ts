/**
 * The `storage` section: Beacon's `engine` choice beside Prometheus's `tsdb` and `exemplars`
 * blocks.
 * @module
 */

import * as v from 'valibot';
import { durationSchema, sizeSchema } from './schema_types.ts';
import { float, int, str, strict } from './schema_helpers.ts';

const o = <T extends v.GenericSchema>(s: T) => v.optional(v.nullable(s));

/** Built-in storage engines; anything else is a plugin specifier. */
export const BUILTIN_STORAGE_ENGINES = ['duckdb', 'memory'] as const;

/** The engine used when `storage.engine` is not set. */
export const DEFAULT_STORAGE_ENGINE = 'duckdb';

const retentionSize = v.pipe(
  v.custom<unknown>(
    (x) =>
      !((typeof x === 'number' && x < 0) || (typeof x === 'string' && x.trim().startsWith('-'))),
    "'storage.tsdb.retention.size' must be greater than or equal to 0",
  ),
  sizeSchema,
);

const retentionSchema = strict('tsdb_retention_config', {
  time: o(durationSchema),
  size: o(retentionSize),
  percentage: o(
    v.pipe(
      float,
      v.check(
        (n) => n >= 0 && n <= 100,
        "'storage.tsdb.retention.percentage' must be in the range [0, 100]",
      ),
    ),
  ),
});

const chunkEncodingSchema = strict('tsdb_chunk_encoding_config', {
  floats: o(
    v.pipe(
      str,
      v.check(
        (s) => s === 'xor' || s === 'xor2',
        (issue) =>
          `'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be omitted entirely, got ${
            JSON.stringify(issue.input)
          }`,
      ),
    ),
  ),
});

const tsdbSchema = strict('tsdb_config', {
  out_of_order_time_window: v.optional(durationSchema, '0s'),
  stale_series_compaction_threshold: o(float),
  retention: o(retentionSchema),
  chunk_encoding: o(chunkEncodingSchema),
});

const exemplarsSchema = strict('exemplars_config', {
  max_exemplars: v.optional(int, 100_000),
});

/**
 * `storage`: `engine` (`duckdb` by default, `memory`, or a plugin specifier such as
 * `npm:beacon-storage-x` or `./my_store.ts`), its engine-specific `options`, plus Prometheus's
 * `tsdb` and `exemplars`.
 */
export const storageSchema = v.pipe(
  v.optional(
    v.nullable(
      strict('storage_config', {
        engine: v.pipe(
          v.optional(str, DEFAULT_STORAGE_ENGINE),
          v.check((s) => s.trim() !== '', 'storage engine must not be empty'),
        ),
        tsdb: o(tsdbSchema),
        exemplars: o(exemplarsSchema),
        options: o(v.record(v.string(), v.unknown())),
      }),
    ),
    {},
  ),
  v.transform((s) => {
    const out = {
      engine: s?.engine ?? DEFAULT_STORAGE_ENGINE,
      exemplars: s?.exemplars ?? { max_exemplars: 100_000 },
    } as {
      engine: string;
      tsdb?: NonNullable<v.InferOutput<typeof tsdbSchema>>;
      exemplars: v.InferOutput<typeof exemplarsSchema>;
      /** Engine-specific keys, passed to the engine beside the common ones. */
      options?: Record<string, unknown>;
    };
    if (s?.tsdb) out.tsdb = s.tsdb;
    if (s?.options) out.options = s.options;
    return out;
  }),
);

/** The effective `storage` section. */
export type StorageConfig = v.InferOutput<typeof storageSchema>;
