/**
 * The stale marker: a NaN with the bit pattern `0x7ff0000000000002` that ends a series at a
 * point in time.
 *
 * JavaScript engines do not keep NaN payloads in ordinary numbers (JavaScriptCore, and so Bun,
 * canonicalises every NaN it boxes), so the marker cannot travel as a `number`. In JS APIs a
 * stale sample is a flag beside its value; only bytes (WAL, chunks, remote-write payloads) carry
 * the bit pattern, written and read with the helpers here.
 * @module
 */

/** High and low 32-bit words of the stale marker. */
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

/** The ordinary NaN Prometheus writes, as high and low words. */
export const NORMAL_NAN_HI = 0x7ff80000;
export const NORMAL_NAN_LO = 0x00000001;

/** Writes the stale marker as a float64 at `offset`. */
export function writeStaleNaN(view: DataView, offset: number, littleEndian = false): void {
  if (littleEndian) {
    view.setUint32(offset, STALE_NAN_LO, true);
    view.setUint32(offset + 4, STALE_NAN_HI, true);
  } else {
    view.setUint32(offset, STALE_NAN_HI, false);
    view.setUint32(offset + 4, STALE_NAN_LO, false);
  }
}

/** Whether the float64 at `offset` has the stale marker's bit pattern. */
export function isStaleNaNAt(view: DataView, offset: number, littleEndian = false): boolean {
  const hi = view.getUint32(littleEndian ? offset + 4 : offset, littleEndian);
  const lo = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
  return hi === STALE_NAN_HI && lo === STALE_NAN_LO;
}
