/**
 * The signed integer buckets of delta-of-delta timestamp encoding, and raw 64-bit integers,
 * over a bit stream. Integers are exact within ±2^53 (JS safe integers).
 * @module
 */
import type { BitReader } from './bit_reader.ts';
import type { BitWriter } from './bit_writer.ts';

const TWO32 = 4294967296;

/** Writes a signed integer as 64 bits, two's complement. */
export function writeInt64(w: BitWriter, x: number): void {
  const hi = Math.floor(x / TWO32);
  w.write(hi >>> 0, 32);
  w.write((x - hi * TWO32) >>> 0, 32);
}

/** Reads a signed 64-bit integer written by {@link writeInt64}. */
export function readInt64(r: BitReader): number {
  const hi = r.read(32) | 0;
  return hi * TWO32 + r.read(32);
}

// Prefix, payload width: `0` for zero, then 14, 17 and 20 bit fields, else 64 bits.
const WIDTHS = [14, 17, 20] as const;

/** Writes a (delta-of-)delta with the smallest bucket that holds it. */
export function writeDod(w: BitWriter, d: number): void {
  if (d === 0) {
    w.bit(false);
    return;
  }
  for (let i = 0; i < WIDTHS.length; i++) {
    const n = WIDTHS[i];
    const half = 1 << (n - 1);
    if (d >= 1 - half && d <= half) {
      // Prefix of i+1 ones and a zero: 10, 110, 1110.
      w.write((1 << (i + 2)) - 2, i + 2);
      w.write(d < 0 ? d + (1 << n) : d, n);
      return;
    }
  }
  w.write(0b1111, 4);
  writeInt64(w, d);
}

/** Reads a value written by {@link writeDod}. */
export function readDod(r: BitReader): number {
  let ones = 0;
  while (ones < 4 && r.bit() === 1) ones++;
  if (ones === 0) return 0;
  if (ones === 4) return readInt64(r);
  const n = WIDTHS[ones - 1];
  const bits = r.read(n);
  return bits > 1 << (n - 1) ? bits - (1 << n) : bits;
}
