/**
 * Float64 ⇄ two 32-bit words, through typed-array views so NaN payloads (the stale marker)
 * survive; a JS number never carries them.
 * @module
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/**
 * Splits `v` into its high and low words, read back from `floatBits.hi` and `floatBits.lo`
 * (module state, so the hot path allocates nothing).
 */
export function floatBits(v: number): void {
  f64[0] = v;
  floatBits.hi = u32[HI];
  floatBits.lo = u32[LO];
}
/** High word of the last split. */
floatBits.hi = 0;
/** Low word of the last split. */
floatBits.lo = 0;

/** The float with the given words (a NaN payload is not kept by the returned number). */
export function joinFloat(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}
