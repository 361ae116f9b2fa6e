/**
 * Where Prometheus's head cuts a series' samples into chunks, so that chunks Beacon streams
 * over remote read hold the same samples as Prometheus's own (tsdb/head_append.go): a chunk
 * never spans a chunk-range boundary (2h windows aligned to the epoch); when a chunk reaches a
 * quarter of 120 samples its end is re-estimated so the rest of the window splits evenly; and
 * a chunk is cut at 240 samples whatever the estimate.
 * @module
 */

const SAMPLES_PER_CHUNK = 120;
/** Prometheus's default chunk range (the head's block range), ms. */
export const CHUNK_RANGE_MS = 2 * 3600_000;

// Go's integer division (truncates toward zero).
const idiv = (a: number, b: number) => Math.trunc(a / b);

function rangeEnd(t: number, width: number): number {
  return idiv(t, width) * width + width;
}

function chunkEndTime(start: number, cur: number, max: number): number {
  const n = idiv(max - start, (cur - start + 1) * 4);
  if (n <= 1) return max;
  return start + idiv(max - start, n);
}

/** The index where each chunk of the sorted timestamps `t[0..n)` starts (first is 0). */
export function chunkStarts(t: ArrayLike<number>, n = t.length, width = CHUNK_RANGE_MS): number[] {
  const starts: number[] = [];
  let first = 0, count = 0, nextAt = 0;
  for (let i = 0; i < n; i++) {
    if (count === SAMPLES_PER_CHUNK / 4) nextAt = chunkEndTime(t[first], t[i - 1], nextAt);
    if (i === 0 || t[i] >= nextAt || count >= SAMPLES_PER_CHUNK * 2) {
      starts.push(i);
      first = i;
      count = 0;
      nextAt = rangeEnd(t[i], width);
    }
    count++;
  }
  return starts;
}
