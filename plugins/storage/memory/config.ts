/**
 * The memory engine's config block.
 * @module
 */
import * as v from 'valibot';
import { parseDurationMs } from '../../../core/config/mod.ts';

const duration = (key: string, fallback: string) =>
  v.optional(
    v.pipe(
      v.union(
        [v.string(), v.pipe(v.number(), v.integer(), v.minValue(0))],
        `${key}: expected a duration`,
      ),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        if (typeof dataset.value === 'number') return dataset.value * 1000;
        const ms = parseDurationMs(dataset.value);
        if (ms === undefined) {
          addIssue({ message: `${key}: invalid duration ${JSON.stringify(dataset.value)}` });
          return NEVER;
        }
        return ms;
      }),
    ),
    fallback,
  );

/**
 * `retention_time` (default `15d`, Prometheus's) and `out_of_order_time_window` (default `0s`:
 * disabled) as Prometheus durations; a bare number means seconds. Values come out in ms.
 */
export const memoryStorageConfigSchema = v.strictObject({
  // The runtime gives every engine a data path and a size limit; memory has neither.
  path: v.optional(v.string()),
  retention_size: v.optional(v.union([v.string(), v.number()])),
  retention_time: duration('retention_time', '15d'),
  out_of_order_time_window: duration('out_of_order_time_window', '0s'),
});

/** The validated config: durations in milliseconds. */
export type MemoryStorageConfig = v.InferOutput<typeof memoryStorageConfigSchema>;
