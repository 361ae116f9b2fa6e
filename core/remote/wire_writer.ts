/**
 * A protobuf wire-format writer into a growing buffer. Nested messages are written in place
 * and their length prefix is fixed up afterwards, so the output is canonical (minimal
 * varints) without a sizing pass.
 * @module
 */
import { STALE_NAN_HI, STALE_NAN_LO } from '../model/mod.ts';
import { utf8Length, writeUtf8 } from './utf8.ts';

const TWO_32 = 4294967296;
const RESERVE = 5; // room for a length prefix of up to 2^35 − 1 bytes

/** Appends protobuf fields to an internal buffer; {@link bytes} returns the result. */
export class WireWriter {
  buf: Uint8Array<ArrayBuffer>;
  view: DataView;
  pos = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Writes a varint: non-negative integers as is, negative ones as 64-bit two's complement. */
  varint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    if (v >= 0 && v < 0x80000000) {
      while (v >= 0x80) {
        b[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[p++] = v;
      this.pos = p;
      return;
    }
    let hi = Math.floor(v / TWO_32);
    let lo = v - hi * TWO_32;
    hi >>>= 0;
    lo >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  /** Writes a field tag. */
  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** Writes a float64 field (wire type 1). */
  double(field: number, v: number): void {
    this.tag(field, 1);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Writes a float64 field holding the stale-marker NaN, bit for bit. */
  staleMarker(field: number): void {
    this.tag(field, 1);
    this.ensure(8);
    this.view.setUint32(this.pos, STALE_NAN_LO, true);
    this.view.setUint32(this.pos + 4, STALE_NAN_HI, true);
    this.pos += 8;
  }

  /** Writes a string field (always, even when empty). */
  string(field: number, s: string): void {
    this.tag(field, 2);
    // Short strings: at most 3 bytes per UTF-16 unit, so a one-byte prefix is certain.
    if (s.length <= 42) {
      this.ensure(1 + 3 * s.length);
      const start = this.pos + 1;
      const end = writeUtf8(s, this.buf, start);
      this.buf[this.pos] = end - start;
      this.pos = end;
      return;
    }
    const n = utf8Length(s);
    this.varint(n);
    this.ensure(n);
    this.pos = writeUtf8(s, this.buf, this.pos);
  }

  /** Writes a bytes field. */
  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Starts a nested message in `field`; pass the result to {@link end}. */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(RESERVE);
    this.pos += RESERVE;
    return this.pos;
  }

  /** Ends the nested message started at `start`, writing its length prefix. */
  end(start: number): void {
    const len = this.pos - start;
    const width = len < 0x80 ? 1 : len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
    const at = start - RESERVE;
    if (width !== RESERVE) this.buf.copyWithin(at + width, start, this.pos);
    let p = at, v = len;
    while (v >= 0x80) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
    this.pos = at + width + len;
  }

  /** A copy of what was written. */
  result(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.pos);
  }
}
