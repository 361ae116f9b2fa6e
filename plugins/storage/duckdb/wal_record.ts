/**
 * The WAL's record payloads: series (id + labels) for new series, samples (id, timestamp,
 * value bits, so stale markers keep their exact NaN) and deletions (id + time range).
 * Integers are LEB128 varints (up to 2^53), timestamps deltas from a base as zig-zag varints.
 * A frame's payload holds one or more records back to back.
 * @module
 */
import { Labels } from '../../../core/model/mod.ts';

/** Record type bytes. */
export const REC_SERIES = 1, REC_SAMPLES = 2, REC_DELETE = 3;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A growable byte buffer with the writers the records need. */
export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(cap = 256) {
    this.buf = new Uint8Array(cap);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  byte(x: number): void {
    this.ensure(1);
    this.buf[this.pos++] = x;
  }

  /** An unsigned integer below 2^53 as LEB128. */
  uvarint(x: number): void {
    this.ensure(8);
    while (x >= 0x80) {
      this.buf[this.pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.pos++] = x;
  }

  /** A signed integer (|x| < 2^52) zig-zag encoded. */
  varint(x: number): void {
    this.uvarint(x < 0 ? -2 * x - 1 : 2 * x);
  }

  u32(x: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, x);
    this.pos += 4;
  }

  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, x);
    this.pos += 8;
  }

  str(s: string): void {
    const b = encoder.encode(s);
    this.uvarint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The bytes written so far (a view). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }
}

/** Reads what {@link ByteWriter} wrote; throws RangeError past the end. */
export class ByteReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  #need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('record truncated');
  }

  byte(): number {
    this.#need(1);
    return this.buf[this.pos++];
  }

  uvarint(): number {
    let x = 0, mul = 1;
    for (;;) {
      const b = this.byte();
      x += (b & 0x7f) * mul;
      if (b < 0x80) return x;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new RangeError('varint too long');
    }
  }

  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  u32(): number {
    this.#need(4);
    const x = this.view.getUint32(this.pos);
    this.pos += 4;
    return x;
  }

  f64(): number {
    this.#need(8);
    const x = this.view.getFloat64(this.pos);
    this.pos += 8;
    return x;
  }

  str(): string {
    const n = this.uvarint();
    this.#need(n);
    const s = decoder.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}

/** Appends a series record for `ids[i]` ↦ `labels[i]`. */
export function encodeSeries(
  w: ByteWriter,
  ids: readonly number[],
  labels: readonly Labels[],
): void {
  w.byte(REC_SERIES);
  w.uvarint(ids.length);
  for (let i = 0; i < ids.length; i++) {
    w.uvarint(ids[i]);
    const flat = labels[i].flat;
    w.uvarint(flat.length / 2);
    for (const s of flat) w.str(s);
  }
}

/** Appends a samples record: series ids, timestamps and value words, `n` of them. */
export function encodeSamples(
  w: ByteWriter,
  n: number,
  ids: ArrayLike<number>,
  ts: ArrayLike<number>,
  his: ArrayLike<number>,
  los: ArrayLike<number>,
): void {
  w.byte(REC_SAMPLES);
  w.uvarint(n);
  const base = n > 0 ? ts[0] : 0;
  w.f64(base);
  for (let i = 0; i < n; i++) {
    w.uvarint(ids[i]);
    w.varint(ts[i] - base);
    w.u32(his[i]);
    w.u32(los[i]);
  }
}

/** Appends a deletion record: samples of `ids[i]` in [mints[i], maxts[i]] are gone. */
export function encodeDelete(
  w: ByteWriter,
  ids: readonly number[],
  mints: readonly number[],
  maxts: readonly number[],
): void {
  w.byte(REC_DELETE);
  w.uvarint(ids.length);
  for (let i = 0; i < ids.length; i++) {
    w.uvarint(ids[i]);
    w.f64(mints[i]);
    w.f64(maxts[i]);
  }
}

/** What replay does with each decoded record. */
export interface RecordVisitor {
  series(id: number, labels: Labels): void;
  sample(id: number, t: number, hi: number, lo: number): void;
  deletion(id: number, mint: number, maxt: number): void;
}

/** Decodes a frame's payload (one or more records) into `v`; throws on malformed input. */
export function decodeRecords(payload: Uint8Array, v: RecordVisitor): void {
  const r = new ByteReader(payload);
  while (r.pos < payload.length) decodeOne(r, v);
}

function decodeOne(r: ByteReader, v: RecordVisitor): void {
  const type = r.byte();
  const n = r.uvarint();
  if (type === REC_SERIES) {
    for (let i = 0; i < n; i++) {
      const id = r.uvarint();
      const pairs = r.uvarint();
      const flat: string[] = new Array(pairs * 2);
      for (let k = 0; k < flat.length; k++) flat[k] = r.str();
      v.series(id, Labels.fromSortedFlat(flat));
    }
  } else if (type === REC_SAMPLES) {
    const base = r.f64();
    for (let i = 0; i < n; i++) {
      const id = r.uvarint();
      const t = base + r.varint();
      const hi = r.u32();
      v.sample(id, t, hi, r.u32());
    }
  } else if (type === REC_DELETE) {
    for (let i = 0; i < n; i++) {
      const id = r.uvarint();
      const mint = r.f64();
      v.deletion(id, mint, r.f64());
    }
  } else {
    throw new RangeError(`unknown WAL record type ${type}`);
  }
}
