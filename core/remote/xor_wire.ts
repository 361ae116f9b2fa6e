/**
 * Prometheus's XOR chunk wire format, as remote read's streamed responses carry it.
 * @module
 */
import { STALE_NAN_HI, STALE_NAN_LO } from '../model/mod.ts';
import { BitWriter, floatBits, type SampleColumns } from '../storage/mod.ts';
import type { ChunkMessage } from './read_types.ts';

/**
 * Encodes samples `[from, to)` as a chunk in Prometheus's XOR wire format (which differs
 * from Beacon's in-memory chunk: the first timestamp is a zigzag varint and the first delta
 * an unsigned varint, where Beacon's chunk stores raw 64-bit fields).
 */
export function encodePrometheusXorChunk(
  cols: SampleColumns,
  from: number,
  to: number,
): ChunkMessage {
  const w = new BitWriter(16 + (to - from) * 4);
  w.write(to - from, 16);
  let prevT = 0, delta = 0, hi = 0, lo = 0, leading = -1, trailing = 0;
  // Prometheus's bit stream leaves an empty byte behind a whole-byte write that starts on a
  // byte boundary; when a chunk ends with such a write, its bytes end with that zero too.
  let lastBits = 0, lastAligned = false;
  const value = (xh: number, xl: number, shift: number, n: number) => {
    lastAligned = w.bitLength % 8 === 0;
    lastBits = n;
    writeBits(w, xh, xl, shift, n);
  };
  for (let i = from; i < to; i++) {
    const t = cols.t[i];
    let vh: number, vl: number;
    if (cols.stale?.[i] === 1) vh = STALE_NAN_HI, vl = STALE_NAN_LO;
    else floatBits(cols.v[i]), vh = floatBits.hi, vl = floatBits.lo;
    if (i === from) {
      writeUvarint(w, t >= 0 ? 2 * t : -2 * t - 1);
      value(vh, vl, 0, 64);
    } else {
      const d = t - prevT;
      if (i === from + 1) writeUvarint(w, d);
      else writeDod(w, d - delta);
      delta = d;
      const xh = (vh ^ hi) >>> 0, xl = (vl ^ lo) >>> 0;
      lastBits = 0;
      if (xh === 0 && xl === 0) w.bit(false);
      else {
        w.bit(true);
        let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
        const trail = xl !== 0 ? ctz(xl) : 32 + ctz(xh);
        if (lead > 31) lead = 31;
        if (leading >= 0 && lead >= leading && trail >= trailing) {
          w.bit(false);
          value(xh, xl, trailing, 64 - leading - trailing);
        } else {
          const sig = 64 - lead - trail;
          w.bit(true);
          w.write(lead, 5);
          w.write(sig & 63, 6);
          value(xh, xl, trail, sig);
          leading = lead;
          trailing = trail;
        }
      }
    }
    prevT = t;
    hi = vh;
    lo = vl;
  }
  return {
    minTimeMs: cols.t[from],
    maxTimeMs: cols.t[to - 1],
    type: 1, // XOR
    data: lastBits > 0 && lastBits % 8 === 0 && lastAligned
      ? concatZero(w.bytes())
      : w.bytes().slice(),
  };
}

function concatZero(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

function writeUvarint(w: BitWriter, x: number): void {
  while (x >= 0x80) {
    w.write((x % 128) | 0x80, 8);
    x = Math.floor(x / 128);
  }
  w.write(x, 8);
}

// Delta-of-delta buckets: 0; then 14, 17, 20-bit fields behind 10, 110, 1110; else 64 bits.
function writeDod(w: BitWriter, d: number): void {
  if (d === 0) return w.bit(false);
  const widths = [14, 17, 20];
  for (let i = 0; i < 3; i++) {
    const n = widths[i], half = 2 ** (n - 1);
    if (d >= 1 - half && d <= half) {
      w.write((1 << (i + 2)) - 2, i + 2);
      w.write(d < 0 ? d + 2 ** n : d, n);
      return;
    }
  }
  w.write(0b1111, 4);
  const h = Math.floor(d / 4294967296);
  w.write64(h >>> 0, (d - h * 4294967296) >>> 0, 64);
}

// Writes the `n` bits of the 64-bit word (hi, lo) starting `shift` bits from its low end.
function writeBits(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift >= 32) {
    lo = hi >>> (shift - 32);
    hi = 0;
  } else if (shift > 0) {
    lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    hi = hi >>> shift;
  }
  w.write64(hi, lo, n);
}

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}
