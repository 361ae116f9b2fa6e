/**
 * Decoding Prometheus's XOR chunk wire format (the chunks of a streamed remote-read answer;
 * `xor_wire.ts` holds the encoder). Unlike Beacon's in-memory chunk, the first timestamp is a
 * zigzag varint and the first delta an unsigned varint.
 * @module
 */
import { STALE_NAN_HI, STALE_NAN_LO } from '../../model/mod.ts';
import { BitReader, joinFloat } from '../../storage/mod.ts';
import { RemoteCodecError } from '../errors.ts';

/** Columns being filled: the decoder appends to them. */
export interface ColumnSink {
  t: number[];
  v: number[];
  /** Indexes (into `t`) of stale markers. */
  stale: number[];
}

/**
 * Appends the samples of one XOR chunk to `out`.
 * @throws {RemoteCodecError} a chunk shorter than its sample count says.
 */
export function decodePrometheusXorChunk(data: Uint8Array, out: ColumnSink): void {
  if (data.length < 2) throw new RemoteCodecError('XOR chunk shorter than its header');
  const r = new BitReader(data);
  const bits = data.length * 8;
  const n = r.read(16);
  const uvarint = () => {
    let x = 0, mul = 1, b: number;
    do {
      need(8);
      b = r.read(8);
      x += (b & 0x7f) * mul;
      mul *= 128;
    } while (b >= 0x80);
    return x;
  };
  const need = (k: number) => {
    if (r.position + k > bits) throw new RemoteCodecError('XOR chunk truncated');
  };
  let t = 0, delta = 0, hi = 0, lo = 0, lead = 0, sig = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0) {
      const z = uvarint();
      t = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      need(64);
      hi = r.read(32) >>> 0;
      lo = r.read(32) >>> 0;
    } else {
      if (i === 1) delta = uvarint();
      else delta += readDod(r, need);
      t += delta;
      need(1);
      if (r.bit() === 1) {
        need(1);
        if (r.bit() === 1) {
          need(11);
          lead = r.read(5);
          sig = r.read(6) || 64;
        }
        need(sig);
        const [xh, xl] = readWord(r, sig, 64 - lead - sig);
        hi = (hi ^ xh) >>> 0;
        lo = (lo ^ xl) >>> 0;
      }
    }
    out.t.push(t);
    if (hi === STALE_NAN_HI && lo === STALE_NAN_LO) {
      out.stale.push(out.t.length - 1);
      out.v.push(NaN);
    } else out.v.push(joinFloat(hi, lo));
  }
}

// Delta of deltas: 0, or 14/17/20-bit two's complement fields behind 10/110/1110, else 64 bits.
function readDod(r: BitReader, need: (k: number) => void): number {
  let ones = 0;
  while (ones < 4) {
    need(1);
    if (r.bit() !== 1) break;
    ones++;
  }
  if (ones === 0) return 0;
  if (ones === 4) {
    need(64);
    return (r.read(32) | 0) * 2 ** 32 + r.read(32);
  }
  const w = [14, 17, 20][ones - 1];
  need(w);
  const b = r.read(w);
  return b > 2 ** (w - 1) ? b - 2 ** w : b;
}

// Reads `n` bits as the low end of a 64-bit word, then shifts it left by `shift`.
function readWord(r: BitReader, n: number, shift: number): [number, number] {
  let hi = 0, lo = 0;
  if (n > 32) {
    hi = r.read(n - 32);
    lo = r.read(32);
  } else lo = r.read(n);
  if (shift >= 32) {
    hi = lo * 2 ** (shift - 32);
    lo = 0;
  } else if (shift > 0) {
    hi = ((hi << shift) | (lo >>> (32 - shift))) >>> 0;
    lo = (lo << shift) >>> 0;
  }
  return [hi >>> 0, lo >>> 0];
}
