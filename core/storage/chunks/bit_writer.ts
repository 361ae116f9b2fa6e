/**
 * An append-only bit stream over a growable Uint8Array, most significant bit first.
 * @module
 */

/** Writes bit fields of up to 32 bits. */
export class BitWriter {
  #buf: Uint8Array;
  #bits = 0;

  constructor(initialBytes = 64) {
    this.#buf = new Uint8Array(initialBytes);
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.#bits;
  }

  /** The written bytes (the last one may be partly used); a view, not a copy. */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, (this.#bits + 7) >>> 3);
  }

  /** Writes the low `n` bits of `value` (0 ≤ n ≤ 32), high bit first. */
  write(value: number, n: number): void {
    if (n === 0) return;
    this.#ensure(n);
    const buf = this.#buf;
    let bits = this.#bits;
    while (n > 0) {
      const free = 8 - (bits & 7);
      const take = free < n ? free : n;
      // The next `take` bits of value, counted from its high end.
      const part = (value >>> (n - take)) & ((1 << take) - 1);
      buf[bits >>> 3] |= part << (free - take);
      bits += take;
      n -= take;
    }
    this.#bits = bits;
  }

  /** Writes one bit. */
  bit(on: boolean): void {
    this.#ensure(1);
    if (on) this.#buf[this.#bits >>> 3] |= 0x80 >>> (this.#bits & 7);
    this.#bits++;
  }

  /** Writes a 64-bit field given as high and low 32-bit words, `n` ≤ 64 low bits of it. */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.write(hi, n - 32);
      this.write(lo, 32);
    } else this.write(lo, n);
  }

  #ensure(n: number): void {
    const need = (this.#bits + n + 7) >>> 3;
    if (need <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(need, this.#buf.length * 2));
    next.set(this.#buf);
    this.#buf = next;
  }

  /** Drops spare capacity; call once no more bits will be written. */
  trim(): void {
    this.#buf = this.#buf.slice(0, (this.#bits + 7) >>> 3);
  }
}
