/**
 * Reads a bit stream written by {@link BitWriter}, most significant bit first.
 * @module
 */

/** Reads bit fields of up to 32 bits. */
export class BitReader {
  readonly #buf: Uint8Array;
  #pos: number;

  constructor(buf: Uint8Array, startBit = 0) {
    this.#buf = buf;
    this.#pos = startBit;
  }

  /** The current bit position. */
  get position(): number {
    return this.#pos;
  }

  /** Reads one bit. */
  bit(): number {
    const p = this.#pos++;
    return (this.#buf[p >>> 3] >>> (7 - (p & 7))) & 1;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number. */
  read(n: number): number {
    const buf = this.#buf;
    let pos = this.#pos;
    let out = 0;
    while (n > 0) {
      const avail = 8 - (pos & 7);
      const take = avail < n ? avail : n;
      const part = (buf[pos >>> 3] >>> (avail - take)) & ((1 << take) - 1);
      // Multiplication instead of `<<` keeps 32-bit results unsigned.
      out = out * (1 << take) + part;
      pos += take;
      n -= take;
    }
    this.#pos = pos;
    return out;
  }
}
