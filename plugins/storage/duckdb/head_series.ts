/**
 * One series in the DuckDB engine's head: in-order XOR chunks, each inside one block window
 * (so compaction hands over whole chunks), and a sorted buffer of out-of-order samples.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';
import {
  type DecodeTarget,
  joinFloat,
  type SampleColumns,
  SAMPLES_PER_CHUNK,
  XorChunk,
} from '../../../core/storage/mod.ts';
import { STALE_NAN_HI, STALE_NAN_LO } from '../../../core/model/mod.ts';

/** Raw samples as value words, the head's exchange format with the WAL and compaction. */
export interface RawSamples {
  t: number[];
  hi: number[];
  lo: number[];
}

/** A head series. */
export class HeadSeries {
  readonly ref: number;
  readonly id: number;
  readonly labels: Labels;
  /** In-order chunks, oldest first; the last may be open. */
  chunks: XorChunk[] = [];
  /** Window start of each chunk. */
  windows: number[] = [];
  /** Out-of-order samples, sorted by time, unique. */
  ooo: RawSamples = { t: [], hi: [], lo: [] };
  maxT = -Infinity;
  lastHi = 0;
  lastLo = 0;
  pendingOwner = 0;
  pendingMaxT = -Infinity;
  pendingHi = 0;
  pendingLo = 0;
  removed = false;

  constructor(ref: number, id: number, labels: Labels) {
    this.ref = ref;
    this.id = id;
    this.labels = labels;
  }

  /** Appends a sample newer than `maxT`, cutting a chunk at window boundaries. */
  appendInOrder(t: number, hi: number, lo: number, window: number): void {
    let c = this.chunks.at(-1);
    if (
      c === undefined || !c.open || c.count >= SAMPLES_PER_CHUNK || this.windows.at(-1) !== window
    ) {
      c?.close();
      c = new XorChunk();
      this.chunks.push(c);
      this.windows.push(window);
    }
    c.appendBits(t, hi, lo);
    this.maxT = t;
    this.lastHi = hi;
    this.lastLo = lo;
  }

  /** Inserts an out-of-order sample; false when its timestamp is already there. */
  insertOoo(t: number, hi: number, lo: number): 'added' | 'same' | 'duplicate' {
    const o = this.ooo;
    let i = o.t.length;
    while (i > 0 && o.t[i - 1] > t) i--;
    if (i > 0 && o.t[i - 1] === t) {
      return o.hi[i - 1] === hi && o.lo[i - 1] === lo ? 'same' : 'duplicate';
    }
    o.t.splice(i, 0, t);
    o.hi.splice(i, 0, hi);
    o.lo.splice(i, 0, lo);
    return 'added';
  }

  /** Number of samples held. */
  get sampleCount(): number {
    let n = this.ooo.t.length;
    for (const c of this.chunks) n += c.count;
    return n;
  }

  get minTime(): number {
    const a = this.chunks.length > 0 ? this.chunks[0].minT : Infinity;
    const b = this.ooo.t.length > 0 ? this.ooo.t[0] : Infinity;
    return Math.min(a, b);
  }

  get maxTime(): number {
    const a = this.chunks.length > 0 ? this.chunks.at(-1)!.maxT : -Infinity;
    const b = this.ooo.t.length > 0 ? this.ooo.t.at(-1)! : -Infinity;
    return Math.max(a, b);
  }

  /** Samples in [mint, maxt], sorted; in-order data wins over out-of-order on ties. */
  decode(mint: number, maxt: number, chunks: readonly XorChunk[] = this.chunks): SampleColumns {
    let cap = 0;
    for (const c of chunks) if (c.maxT >= mint && c.minT <= maxt) cap += c.count;
    const o = this.ooo;
    cap += o.t.length;
    const out: DecodeTarget = {
      t: new Float64Array(cap),
      v: new Float64Array(cap),
      stale: undefined,
    };
    let n = 0;
    for (const c of chunks) n = c.decodeInto(out, n, mint, maxt);
    if (o.t.length === 0) return trim(out, n);
    // Merge the out-of-order buffer in.
    const inN = n;
    const t = new Float64Array(cap), v = new Float64Array(cap);
    let stale: Uint8Array | undefined;
    let i = 0, j = 0, k = 0;
    while (j < o.t.length && o.t[j] < mint) j++;
    while (i < inN || (j < o.t.length && o.t[j] <= maxt)) {
      const useOoo = j < o.t.length && o.t[j] <= maxt && (i >= inN || o.t[j] < out.t[i]);
      if (useOoo) {
        t[k] = o.t[j];
        v[k] = joinFloat(o.hi[j], o.lo[j]);
        if (o.hi[j] === STALE_NAN_HI && o.lo[j] === STALE_NAN_LO) {
          (stale ??= new Uint8Array(cap))[k] = 1;
        }
        j++;
      } else {
        if (j < o.t.length && o.t[j] === out.t[i]) j++;
        t[k] = out.t[i];
        v[k] = out.v[i];
        if (out.stale?.[i]) (stale ??= new Uint8Array(cap))[k] = 1;
        i++;
      }
      k++;
    }
    return trim({ t, v, stale }, k);
  }
}

function trim(out: DecodeTarget, n: number): SampleColumns {
  return {
    t: out.t.subarray(0, n),
    v: out.v.subarray(0, n),
    ...(out.stale ? { stale: out.stale.subarray(0, n) } : {}),
  };
}
