/**
 * Experimental `anchored` and `smoothed` range selectors: the window also sees the samples
 * one lookback delta before (and, smoothed, after) it, and its ends are pinned to the nearest
 * sample (anchored) or interpolated (smoothed), so results do not depend on where samples fall.
 * @module
 */
import { execError } from './errors.ts';

const ANCHORED_FUNCS = ['changes', 'delta', 'increase', 'rate', 'resets'];
const SMOOTHED_FUNCS = ['delta', 'increase', 'rate'];

/** Rejects a function the modifier does not apply to, with Prometheus's message. */
export function checkExtendedUse(fn: string, anchored: boolean, smoothed: boolean): void {
  const [mod, allowed] = anchored ? ['anchored', ANCHORED_FUNCS] : ['smoothed', SMOOTHED_FUNCS];
  if (!anchored && !smoothed) return;
  if (!allowed.includes(fn)) {
    throw execError(
      `${mod} modifier can only be used with: ${allowed.join(', ')} - not with ${fn}`,
    );
  }
}

/** Index of the first of `t[0..n)` greater than `x` (Go's `sort.Search` over `t[i] > x`). */
function searchAfter(t: Float64Array, lo: number, n: number, x: number): number {
  let a = lo, b = n;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (t[m] > x) b = m;
    else a = m + 1;
  }
  return a;
}

function searchAtOrAfter(t: Float64Array, lo: number, n: number, x: number): number {
  let a = lo, b = n;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (t[m] >= x) b = m;
    else a = m + 1;
  }
  return a;
}

function interpolate(
  t1: number,
  v1: number,
  t2: number,
  v2: number,
  t: number,
  counter: boolean,
): number {
  const y1 = counter && v2 < v1 ? 0 : v1;
  return y1 + (v2 - y1) * (t - t1) / (t2 - t1);
}

/**
 * `rate`/`increase`/`delta` over the points `[lo, hi)` (the window widened by the lookback)
 * with anchored or smoothed ends; undefined when the window holds nothing.
 */
export function extendedRate(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  smoothed: boolean,
  isCounter: boolean,
  rangeSeconds: number | undefined,
): number | undefined {
  if (hi <= lo) return undefined;
  let last = hi - 1;
  let first = Math.max(lo, searchAfter(t, lo, last, rangeStart) - 1);
  if (smoothed) last = searchAtOrAfter(t, lo, last, rangeEnd);
  if (t[last] <= rangeStart) return undefined;
  if (smoothed && t[first] > rangeEnd) return undefined;
  const left = smoothed && t[first] < rangeStart
    ? interpolate(t[first], v[first], t[first + 1], v[first + 1], rangeStart, isCounter)
    : v[first];
  const right = smoothed && last > lo && t[last] > rangeEnd
    ? interpolate(t[last - 1], v[last - 1], t[last], v[last], rangeEnd, isCounter)
    : v[last];
  let result = right - left;
  if (isCounter) {
    if (t[first] <= rangeStart) first++;
    if (t[last] >= rangeEnd) last--;
    let prev = left;
    for (let i = first; i <= last; i++) {
      if (v[i] < prev) result += prev;
      prev = v[i];
    }
    if (right < prev) result += prev;
  }
  return rangeSeconds === undefined ? result : result / rangeSeconds;
}

/**
 * The points `[lo, hi)` trimmed to `[rangeStart, rangeEnd]` with a synthetic point at each end
 * (for `changes`/`resets` and for showing the range vector); empty when nothing is in range.
 */
export function extendPoints(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  smoothed: boolean,
): { t: Float64Array; v: Float64Array } {
  const none = { t: new Float64Array(0), v: new Float64Array(0) };
  if (hi <= lo) return none;
  let last = hi - 1;
  let first = Math.max(lo, searchAfter(t, lo, last, rangeStart) - 1);
  if (smoothed) last = searchAtOrAfter(t, lo, last, rangeEnd);
  if (t[last] <= rangeStart) return none;
  const left = smoothed && t[first] < rangeStart
    ? interpolate(t[first], v[first], t[first + 1], v[first + 1], rangeStart, false)
    : v[first];
  const right = smoothed && last > lo && t[last] > rangeEnd
    ? interpolate(t[last - 1], v[last - 1], t[last], v[last], rangeEnd, false)
    : v[last];
  if (t[first] <= rangeStart) first++;
  if (t[last] >= rangeEnd) last--;
  const n = Math.max(last - first + 1, 0);
  const ot = new Float64Array(n + 2), ov = new Float64Array(n + 2);
  ot[0] = rangeStart;
  ov[0] = left;
  for (let k = 0; k < n; k++) {
    ot[k + 1] = t[first + k];
    ov[k + 1] = v[first + k];
  }
  ot[n + 1] = rangeEnd;
  ov[n + 1] = right;
  return { t: ot, v: ov };
}
