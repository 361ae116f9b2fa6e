/**
 * A protobuf wire-format reader over one byte array: varints, fixed64 doubles read through a
 * DataView (so NaN payloads such as the stale marker stay visible), and length-delimited
 * fields. Hand-written because the remote-write receiver runs it once per sample.
 * @module
 */
import { RemoteCodecError } from './errors.ts';

/** Protobuf wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;
const SAFE_HI = 0x200000; // 2^53 / 2^32

/** Reads protobuf fields from `buf`; `pos` moves forward, `end` bounds the current message. */
export class WireReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  end: number;
  /** Set by {@link int64} when the last value did not fit a safe JS integer. */
  unsafe = false;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.end = buf.length;
  }

  /** Reads a varint as an unsigned value that must fit 32 bits (tags, lengths, enums). */
  uint32(): number {
    const b = this.buf;
    const p = this.pos;
    if (p < this.end && b[p] < 0x80) {
      this.pos = p + 1;
      return b[p];
    }
    const v = this.int64();
    if (this.unsafe || v < 0 || v > 0xffffffff) {
      throw new RemoteCodecError(`varint at offset ${p} does not fit 32 bits`);
    }
    return v;
  }

  /**
   * Reads a varint as a signed 64-bit integer (two's complement, as `int64` fields are sent).
   * Values beyond ±(2^53 − 1) come back approximate with {@link unsafe} set.
   */
  int64(): number {
    const b = this.buf, end = this.end;
    let p = this.pos;
    let lo = 0, hi = 0, byte = 0;
    this.unsafe = false;
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= end) throw this.#truncated('varint');
      byte = b[p++];
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return lo >>> 0;
      }
    }
    if (p >= end) throw this.#truncated('varint');
    byte = b[p++];
    lo |= (byte & 0x7f) << 28;
    hi = (byte & 0x7f) >>> 4;
    if (byte >= 0x80) {
      for (let shift = 3;; shift += 7) {
        if (p >= end) throw this.#truncated('varint');
        byte = b[p++];
        if (shift === 31 && byte > 1) {
          throw new RemoteCodecError(`varint at offset ${this.pos} overflows 64 bits`);
        }
        hi |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
        if (shift === 31) throw new RemoteCodecError(`varint at offset ${this.pos} is too long`);
      }
    }
    this.pos = p;
    lo >>>= 0;
    hi >>>= 0;
    if (hi < SAFE_HI) return hi * TWO_32 + lo;
    if (hi >= 0x80000000) {
      const nhi = ~hi >>> 0, nlo = ~lo >>> 0;
      if (nhi >= SAFE_HI) this.unsafe = true;
      return -(nhi * TWO_32 + nlo + 1);
    }
    this.unsafe = true;
    return hi * TWO_32 + lo;
  }

  /** Reads a `sint32`/`sint64` (zig-zag) varint. */
  sint64(): number {
    const v = this.int64();
    // Zig-zag on the unsigned value: even → v/2, odd → −(v+1)/2; exact within the safe range.
    if (v < 0) {
      this.unsafe = true;
      return 0;
    }
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** Reads a little-endian float64 (wire type 1). */
  double(): number {
    const p = this.pos;
    if (p + 8 > this.end) throw this.#truncated('fixed64');
    this.pos = p + 8;
    return this.view.getFloat64(p, true);
  }

  /** Reads a length prefix and returns the end offset of the field it announces. */
  delimited(): number {
    const len = this.uint32();
    const e = this.pos + len;
    if (e > this.end) {
      throw new RemoteCodecError(
        `length-delimited field at offset ${this.pos} runs past its message (${len} bytes)`,
      );
    }
    return e;
  }

  /** Skips one field of wire type `wt`, checking bounds. */
  skip(wt: number, field: number): void {
    switch (wt) {
      case WIRE_VARINT:
        this.int64();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) throw this.#truncated('fixed64');
        this.pos += 8;
        return;
      case WIRE_BYTES:
        this.pos = this.delimited();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) throw this.#truncated('fixed32');
        this.pos += 4;
        return;
      default:
        throw new RemoteCodecError(
          `field ${field} at offset ${this.pos} has unsupported wire type ${wt}`,
        );
    }
  }

  /** Throws unless a field of `name` arrived with the wire type `want`. */
  expect(wt: number, want: number, name: string): void {
    if (wt !== want) {
      throw new RemoteCodecError(
        `field ${name} at offset ${this.pos} has wire type ${wt}, want ${want}`,
      );
    }
  }

  #truncated(what: string): RemoteCodecError {
    return new RemoteCodecError(`truncated ${what} at offset ${this.pos}`);
  }
}

/** Whether the float64 at `pos` in `view` (little-endian) is the stale-marker NaN. */
export function isStaleMarkerLE(view: DataView, pos: number): boolean {
  return view.getUint32(pos, true) === 0x00000002 && view.getUint32(pos + 4, true) === 0x7ff00000;
}
