/**
 * Decodes an XOR chunk one sample at a time, without allocating per sample.
 * @module
 */
import { STALE_NAN_HI, STALE_NAN_LO } from '../../model/stale.ts';
import { BitReader } from './bit_reader.ts';
import { joinFloat } from './float_bits.ts';
import { readDod, readInt64 } from './timestamp_bits.ts';

/** Walks a chunk's samples: call `next()`, then read `t`, `v`, `stale` (and the raw words). */
export class XorIterator {
  readonly #r: BitReader;
  readonly #count: number;
  #i = 0;
  #delta = 0;
  #leading = 0;
  #trailing = 0;
  /** Timestamp of the current sample, ms. */
  t = 0;
  /** Value of the current sample (NaN for a stale marker). */
  v = 0;
  /** High and low 32-bit words of the current value. */
  hi = 0;
  lo = 0;

  constructor(bytes: Uint8Array) {
    this.#count = bytes.length < 2 ? 0 : (bytes[0] << 8) | bytes[1];
    this.#r = new BitReader(bytes, 16);
  }

  /** Number of samples in the chunk. */
  get count(): number {
    return this.#count;
  }

  /** Whether the current sample is a stale marker (checked on its bits). */
  get stale(): boolean {
    return this.hi === STALE_NAN_HI && this.lo === STALE_NAN_LO;
  }

  /** Advances to the next sample; false at the end. */
  next(): boolean {
    const i = this.#i;
    if (i >= this.#count) return false;
    const r = this.#r;
    if (i === 0) {
      this.t = readInt64(r);
      this.hi = r.read(32);
      this.lo = r.read(32);
    } else {
      const d = readDod(r);
      this.#delta = i === 1 ? d : this.#delta + d;
      this.t += this.#delta;
      this.#readValue(r);
    }
    this.v = joinFloat(this.hi, this.lo);
    this.#i = i + 1;
    return true;
  }

  /** Advances to the first sample at or after `t`; false when there is none. */
  seek(t: number): boolean {
    if (this.#i > 0 && this.t >= t) return true;
    while (this.next()) if (this.t >= t) return true;
    return false;
  }

  #readValue(r: BitReader): void {
    if (r.bit() === 0) return;
    if (r.bit() === 1) {
      this.#leading = r.read(5);
      let sig = r.read(6);
      if (sig === 0) sig = 64;
      this.#trailing = 64 - this.#leading - sig;
    }
    const sig = 64 - this.#leading - this.#trailing;
    let xhi = 0, xlo: number;
    if (sig > 32) {
      xhi = r.read(sig - 32);
      xlo = r.read(32);
    } else xlo = r.read(sig);
    const s = this.#trailing;
    if (s >= 32) {
      xhi = xlo << (s - 32);
      xlo = 0;
    } else if (s > 0) {
      xhi = (xhi << s) | (xlo >>> (32 - s));
      xlo = xlo << s;
    }
    this.hi = (this.hi ^ xhi) >>> 0;
    this.lo = (this.lo ^ xlo) >>> 0;
  }
}
