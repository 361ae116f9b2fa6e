/**
 * Gorilla-style float chunks, as Prometheus's XOR encoding: timestamps as delta-of-delta in
 * variable-width buckets, values as the XOR with the previous value's bits, keeping only the
 * meaningful bits. Values are written from their bit patterns, so the stale marker
 * (`0x7ff0000000000002`) and any NaN payload survive a round trip exactly.
 *
 * Layout: a 16-bit big-endian sample count, then sample 0 as a raw 64-bit timestamp and raw
 * 64-bit value, then for each further sample a timestamp field (the delta for sample 1, the
 * delta of deltas after) and a value field.
 * @module
 */
import { STALE_NAN_HI, STALE_NAN_LO } from '../../model/stale.ts';
import { BitWriter } from './bit_writer.ts';
import { floatBits } from './float_bits.ts';
import { writeDod, writeInt64 } from './timestamp_bits.ts';
import { XorIterator } from './xor_iterator.ts';
import { decodeXorInto } from './xor_decode.ts';

/** Prometheus's target number of samples per chunk. */
export const SAMPLES_PER_CHUNK = 120;

/** The most samples one chunk can count in its 16-bit header. */
export const MAX_CHUNK_SAMPLES = 0xffff;

/** Columns a chunk decodes into; `stale` is created on the first stale marker. */
export interface DecodeTarget {
  t: Float64Array;
  v: Float64Array;
  stale: Uint8Array | undefined;
}

/** A compressed chunk of one series' samples in increasing time order; open until `close()`. */
export class XorChunk {
  #w: BitWriter | undefined;
  #bytes: Uint8Array | undefined;
  /** Number of samples. */
  count = 0;
  /** First and last timestamp (ms); meaningless while `count` is 0. */
  minT = 0;
  maxT = 0;
  #delta = 0;
  #hi = 0;
  #lo = 0;
  #leading = -1;
  #trailing = 0;

  constructor(initialBytes = 32) {
    this.#w = new BitWriter(initialBytes);
    this.#w.write(0, 16);
  }

  /** Whether the chunk still accepts samples. */
  get open(): boolean {
    return this.#w !== undefined;
  }

  /** Appends a float sample; `t` must be greater than `maxT`. */
  append(t: number, v: number): void {
    floatBits(v);
    this.appendBits(t, floatBits.hi, floatBits.lo);
  }

  /** Appends a stale marker at `t`. */
  appendStale(t: number): void {
    this.appendBits(t, STALE_NAN_HI, STALE_NAN_LO);
  }

  /** Appends a sample given as the value's high and low 32-bit words. */
  appendBits(t: number, hi: number, lo: number): void {
    const w = this.#w;
    if (w === undefined) throw new Error('append to a closed chunk');
    if (this.count === MAX_CHUNK_SAMPLES) throw new RangeError('chunk is full');
    const n = this.count;
    if (n === 0) {
      writeInt64(w, t);
      w.write(hi, 32);
      w.write(lo, 32);
      this.minT = t;
    } else {
      const delta = t - this.maxT;
      writeDod(w, n === 1 ? delta : delta - this.#delta);
      this.#delta = delta;
      this.#writeValue(w, hi, lo);
    }
    this.maxT = t;
    this.#hi = hi;
    this.#lo = lo;
    this.count = n + 1;
  }

  #writeValue(w: BitWriter, hi: number, lo: number): void {
    const xhi = (hi ^ this.#hi) >>> 0, xlo = (lo ^ this.#lo) >>> 0;
    if (xhi === 0 && xlo === 0) {
      w.bit(false);
      return;
    }
    w.bit(true);
    let leading = xhi !== 0 ? Math.clz32(xhi) : 32 + Math.clz32(xlo);
    const trailing = xlo !== 0 ? ctz(xlo) : 32 + ctz(xhi);
    // Five bits hold the leading count; a longer run just costs a few meaningful bits.
    if (leading > 31) leading = 31;
    if (this.#leading >= 0 && leading >= this.#leading && trailing >= this.#trailing) {
      w.bit(false);
      writeShifted(w, xhi, xlo, this.#trailing, 64 - this.#leading - this.#trailing);
      return;
    }
    const sig = 64 - leading - trailing;
    w.bit(true);
    w.write(leading, 5);
    w.write(sig & 63, 6);
    writeShifted(w, xhi, xlo, trailing, sig);
    this.#leading = leading;
    this.#trailing = trailing;
  }

  /** Stops appending and releases spare capacity. */
  close(): void {
    if (this.#w === undefined) return;
    this.#w.trim();
    this.#bytes = this.bytes();
    this.#w = undefined;
  }

  /** The encoded bytes (header count included); a view while the chunk is open. */
  bytes(): Uint8Array {
    if (this.#bytes !== undefined) return this.#bytes;
    const b = this.#w!.bytes();
    b[0] = this.count >>> 8;
    b[1] = this.count & 0xff;
    return b;
  }

  /** Encoded size in bytes. */
  get size(): number {
    return this.#bytes !== undefined ? this.#bytes.length : (this.#w!.bitLength + 7) >>> 3;
  }

  /** An iterator over the samples. */
  iterator(): XorIterator {
    return new XorIterator(this.bytes());
  }

  /**
   * Decodes the samples within [mint, maxt] into `out` from index `at`; returns the index
   * after the last one written. `out` must have room for `count` more samples.
   */
  decodeInto(out: DecodeTarget, at: number, mint: number, maxt: number): number {
    if (this.count === 0 || this.maxT < mint || this.minT > maxt) return at;
    return decodeXorInto(this.bytes(), out, at, mint, maxt);
  }
}

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

// Writes the `n` bits of the 64-bit (hi, lo) that start `shift` bits from the low end.
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift >= 32) {
    lo = hi >>> (shift - 32);
    hi = 0;
  } else if (shift > 0) {
    lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    hi = hi >>> shift;
  }
  w.write64(hi, lo, n);
}
