/**
 * Histogram bucket layouts.
 * @module
 */

/** The default buckets of prom-client and client_golang, tuned for request latencies. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
]);

/** `count` buckets `start, start + width, …`. */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!(count >= 1) || !Number.isInteger(count)) throw new RangeError('count must be >= 1');
  if (!(width > 0)) throw new RangeError('width must be > 0');
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * width);
  return out;
}

/** `count` buckets `start, start * factor, …`. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(count >= 1) || !Number.isInteger(count)) throw new RangeError('count must be >= 1');
  if (!(start > 0)) throw new RangeError('start must be > 0');
  if (!(factor > 1)) throw new RangeError('factor must be > 1');
  const out: number[] = [];
  let b = start;
  for (let i = 0; i < count; i++) {
    out.push(b);
    b *= factor;
  }
  return out;
}
