/**
 * Field schemas for plugin config blocks that the runtime fills from flags: durations and sizes
 * given in Prometheus's text form or as plain numbers, coming out as milliseconds or bytes.
 * @module
 */
import * as v from 'valibot';
import { parseDurationMs } from './duration.ts';
import { parseSize } from './size.ts';

/**
 * A duration field of a plugin block: a Prometheus duration, or a number of seconds; the
 * output is milliseconds.
 */
export function pluginDuration(key: string, fallback: string) {
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

/** A byte-size field of a plugin block (`512MB`, or a number of bytes); output in bytes. */
export function pluginSize(key: string, fallback: string) {
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
