/**
 * The config block the runtime hands every storage engine. It is built from the command line
 * (`--storage.tsdb.path`, `--storage.tsdb.retention.time`, `--storage.tsdb.retention.size`) and
 * the config's `storage.tsdb` section, in Prometheus's text forms, and validated by the engine's
 * own schema — so an engine's schema must accept these four keys.
 * @module
 */
import * as v from 'valibot';
import { parseDurationMs } from '../config/duration.ts';
import { parseSize } from '../config/size.ts';

/** What every storage engine is configured with. */
export interface StorageEngineBlock {
  /** Data directory; engines without a disk ignore it. */
  path: string;
  /** Prometheus duration, e.g. `15d`. */
  retention_time: string;
  /** Byte size, e.g. `512MB`; `0` for no size limit. */
  retention_size: string;
  /** Prometheus duration; `0s` disables out-of-order ingestion. */
  out_of_order_time_window: string;
}

/**
 * A duration field of an engine block: a Prometheus duration, or a number of seconds; the
 * output is milliseconds.
 */
export function engineDuration(key: string, fallback: string) {
  return v.optional(
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
}

/** A byte-size field of an engine block (`512MB`, or a number of bytes); output in bytes. */
export function engineSize(key: string, fallback: string) {
  return v.optional(
    v.pipe(
      v.union(
        [v.string(), v.pipe(v.number(), v.integer(), v.minValue(0))],
        `${key}: expected a byte size`,
      ),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        if (typeof dataset.value === 'number') return dataset.value;
        const b = parseSize(dataset.value.trim());
        if (b === undefined) {
          addIssue({ message: `${key}: invalid size ${JSON.stringify(dataset.value)}` });
          return NEVER;
        }
        return b;
      }),
    ),
    fallback,
  );
}
