/**
 * The bulk decoder of XOR chunks behind `XorChunk.decodeInto`: the same format as
 * {@link XorIterator}, written as one loop over local state with bit fields read from a 40-bit
 * window, because decoding is most of the time of a query over many series.
 * @module
 */
import { STALE_NAN_HI, STALE_NAN_LO } from '../../model/stale.ts';
import type { DecodeTarget } from './xor_chunk.ts';

const TWO32 = 4294967296;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

// `n` (1..32) bits at bit position `p`, most significant first. Reads past the end are zeros.
function bits(buf: Uint8Array, p: number, n: number): number {
  const i = p >>> 3;
  const off = p & 7;
  const len = buf.length;
  const w = ((i < len ? buf[i] << 24 : 0) | (i + 1 < len ? buf[i + 1] << 16 : 0) |
    (i + 2 < len ? buf[i + 2] << 8 : 0) | (i + 3 < len ? buf[i + 3] : 0)) >>> 0;
  if (off + n <= 32) return (w << off) >>> (32 - n);
  const b4 = i + 4 < len ? buf[i + 4] : 0;
  return (((w << off) | (b4 >>> (8 - off))) >>> (32 - n)) >>> 0;
}

/**
 * Decodes the samples of the chunk `bytes` within [mint, maxt] into `out` from index `at`;
 * returns the index after the last one written. `out` must have room for them.
 */
export function decodeXorInto(
  bytes: Uint8Array,
  out: DecodeTarget,
  at: number,
  mint: number,
  maxt: number,
): number {
  if (bytes.length < 2) return at;
  const count = (bytes[0] << 8) | bytes[1];
  if (count === 0) return at;
  const ot = out.t, ov = out.v;
  let p = 16;
  let t = (bits(bytes, p, 32) | 0) * TWO32 + bits(bytes, p + 32, 32);
  let hi = bits(bytes, p + 64, 32), lo = bits(bytes, p + 96, 32);
  p += 128;
  let delta = 0, leading = 0, trailing = 0;
  for (let i = 0;;) {
    if (t > maxt) break;
    if (t >= mint) {
      ot[at] = t;
      u32[HI] = hi;
      u32[LO] = lo;
      ov[at] = f64[0];
      if (hi === STALE_NAN_HI && lo === STALE_NAN_LO) {
        (out.stale ??= new Uint8Array(ot.length))[at] = 1;
      }
      at++;
    }
    if (++i >= count) break;
    // Timestamp: a unary bucket prefix (0, 10, 110, 1110, 1111) and its field.
    const prefix = bits(bytes, p, 4);
    let d: number;
    if (prefix < 8) {
      d = 0;
      p += 1;
    } else if (prefix < 12) {
      const x = bits(bytes, p + 2, 14);
      d = x > 8192 ? x - 16384 : x;
      p += 16;
    } else if (prefix < 14) {
      const x = bits(bytes, p + 3, 17);
      d = x > 65536 ? x - 131072 : x;
      p += 20;
    } else if (prefix < 15) {
      const x = bits(bytes, p + 4, 20);
      d = x > 524288 ? x - 1048576 : x;
      p += 24;
    } else {
      d = (bits(bytes, p + 4, 32) | 0) * TWO32 + bits(bytes, p + 36, 32);
      p += 68;
    }
    delta = i === 1 ? d : delta + d;
    t += delta;
    // Value: 0 repeats; 10 reuses the window; 11 gives a new window (5 + 6 bits).
    const ctl = bits(bytes, p, 2);
    if (ctl < 2) {
      p += 1;
      continue;
    }
    p += 2;
    if (ctl === 3) {
      leading = bits(bytes, p, 5);
      let sig = bits(bytes, p + 5, 6);
      p += 11;
      if (sig === 0) sig = 64;
      trailing = 64 - leading - sig;
    }
    const sig = 64 - leading - trailing;
    let xhi = 0, xlo: number;
    if (sig > 32) {
      xhi = bits(bytes, p, sig - 32);
      xlo = bits(bytes, p + sig - 32, 32);
    } else xlo = bits(bytes, p, sig);
    p += sig;
    if (trailing >= 32) {
      xhi = xlo << (trailing - 32);
      xlo = 0;
    } else if (trailing > 0) {
      xhi = (xhi << trailing) | (xlo >>> (32 - trailing));
      xlo = xlo << trailing;
    }
    hi = (hi ^ xhi) >>> 0;
    lo = (lo ^ xlo) >>> 0;
  }
  return at;
}
