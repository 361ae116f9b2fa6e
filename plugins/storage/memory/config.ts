/**
 * The memory engine's config block.
 * @module
 */
import * as v from 'valibot';
import { pluginDuration as duration } from '../../../core/config/mod.ts';

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
  /** Most series (`--storage.tsdb.max-series`); 0: no limit. */
  max_series: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

/** The validated config: durations in milliseconds. */
export type MemoryStorageConfig = v.InferOutput<typeof memoryStorageConfigSchema>;
