/**
 * One series in the memory head: closed XOR chunks, the open chunk being appended, and
 * out-of-order samples (a small sorted buffer, then closed chunks of their own).
 * @module
 */
import {
  type DecodeTarget,
  EMPTY_COLUMNS,
  type SampleColumns,
  SAMPLES_PER_CHUNK,
  XorChunk,
} from '../../../core/storage/mod.ts';
import type { Labels } from '../../../core/model/mod.ts';

/** Out-of-order samples are buffered uncompressed up to this many, then cut into a chunk. */
export const OOO_CAPACITY = 32;

/** What inserting an out-of-order sample did. */
export type OooInsert = 'added' | 'same' | 'duplicate';

/** A series' samples and append state. */
export class MemSeries {
  readonly ref: number;
  readonly labels: Labels;
  /** Closed in-order chunks, oldest first, not overlapping. */
  chunks: XorChunk[] = [];
  /** The open in-order chunk. */
  head: XorChunk | undefined;
  /** Closed out-of-order chunks; each is sorted, they may overlap anything. */
  ooo: XorChunk[] = [];
  #oooT: Float64Array | undefined;
  #oooHi: Uint32Array | undefined;
  #oooLo: Uint32Array | undefined;
  #oooN = 0;
  /** Newest in-order timestamp and its value's words; -Infinity before the first sample. */
  maxT = -Infinity;
  lastHi = 0;
  lastLo = 0;
  /** Staging state of the appender that last touched the series (0: none). */
  pendingOwner = 0;
  pendingMaxT = -Infinity;
  pendingHi = 0;
  pendingLo = 0;
  /** Set once the series left the catalog (deleted or expired). */
  removed = false;

  constructor(ref: number, labels: Labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** Appends a sample newer than `maxT`; returns the number of chunks created (0 or 1). */
  appendInOrder(t: number, hi: number, lo: number): number {
    let created = 0;
    let h = this.head;
    if (h === undefined || h.count >= SAMPLES_PER_CHUNK) {
      if (h !== undefined) {
        h.close();
        this.chunks.push(h);
      }
      h = this.head = new XorChunk();
      created = 1;
    }
    h.appendBits(t, hi, lo);
    this.maxT = t;
    this.lastHi = hi;
    this.lastLo = lo;
    return created;
  }

  /** Inserts an out-of-order sample; returns the chunks created (0 or 1) via `onCut`. */
  insertOoo(t: number, hi: number, lo: number, onCut: () => void): OooInsert {
    if (this.#oooT === undefined) {
      this.#oooT = new Float64Array(OOO_CAPACITY);
      this.#oooHi = new Uint32Array(OOO_CAPACITY);
      this.#oooLo = new Uint32Array(OOO_CAPACITY);
    }
    const ts = this.#oooT, his = this.#oooHi!, los = this.#oooLo!;
    const n = this.#oooN;
    let i = n;
    while (i > 0 && ts[i - 1] > t) i--;
    if (i > 0 && ts[i - 1] === t) {
      return his[i - 1] === hi && los[i - 1] === lo ? 'same' : 'duplicate';
    }
    ts.copyWithin(i + 1, i, n);
    his.copyWithin(i + 1, i, n);
    los.copyWithin(i + 1, i, n);
    ts[i] = t;
    his[i] = hi;
    los[i] = lo;
    this.#oooN = n + 1;
    if (this.#oooN === OOO_CAPACITY) {
      const c = new XorChunk(64);
      for (let k = 0; k < OOO_CAPACITY; k++) c.appendBits(ts[k], his[k], los[k]);
      c.close();
      this.ooo.push(c);
      this.#oooN = 0;
      onCut();
    }
    return 'added';
  }

  /** Buffered out-of-order samples not yet in a chunk. */
  get oooBuffered(): number {
    return this.#oooN;
  }

  /** Number of chunks (closed, open and out-of-order). */
  get chunkCount(): number {
    return this.chunks.length + (this.head ? 1 : 0) + this.ooo.length;
  }

  /** Number of stored samples. */
  get sampleCount(): number {
    let n = this.#oooN + (this.head?.count ?? 0);
    for (const c of this.chunks) n += c.count;
    for (const c of this.ooo) n += c.count;
    return n;
  }

  /** Encoded bytes of all chunks. */
  get chunkBytes(): number {
    let n = this.head?.size ?? 0;
    for (const c of this.chunks) n += c.size;
    for (const c of this.ooo) n += c.size;
    return n;
  }

  /** Oldest stored timestamp, or Infinity. */
  get minTime(): number {
    let m = this.chunks.length > 0
      ? this.chunks[0].minT
      : this.head?.count
      ? this.head.minT
      : Infinity;
    for (const c of this.ooo) if (c.minT < m) m = c.minT;
    if (this.#oooN > 0 && this.#oooT![0] < m) m = this.#oooT![0];
    return m;
  }

  /** Newest stored timestamp, or -Infinity. */
  get maxTime(): number {
    let m = this.head?.count ? this.head.maxT : this.chunks.at(-1)?.maxT ?? -Infinity;
    for (const c of this.ooo) if (c.maxT > m) m = c.maxT;
    if (this.#oooN > 0 && this.#oooT![this.#oooN - 1] > m) m = this.#oooT![this.#oooN - 1];
    return m;
  }

  /** Whether any chunk's span overlaps [mint, maxt]. */
  overlaps(mint: number, maxt: number): boolean {
    return this.sampleCount > 0 && this.minTime <= maxt && this.maxTime >= mint;
  }

  /** The samples in [mint, maxt], time-ordered; in-order data wins over out-of-order on ties. */
  decode(mint: number, maxt: number): SampleColumns {
    const inOrder = this.#decodeList(this.#inOrderChunks(), mint, maxt, false);
    if (this.ooo.length === 0 && this.#oooN === 0) return inOrder;
    const ooo = this.#decodeList(this.ooo, mint, maxt, true);
    if (ooo.t.length === 0) return inOrder;
    return mergeColumns(inOrder, ooo);
  }

  #inOrderChunks(): XorChunk[] {
    return this.head !== undefined ? [...this.chunks, this.head] : this.chunks;
  }

  #decodeList(list: XorChunk[], mint: number, maxt: number, withBuffer: boolean): SampleColumns {
    let cap = withBuffer ? this.#oooN : 0;
    for (const c of list) if (c.count > 0 && c.maxT >= mint && c.minT <= maxt) cap += c.count;
    if (cap === 0) return EMPTY_COLUMNS;
    const out: DecodeTarget = {
      t: new Float64Array(cap),
      v: new Float64Array(cap),
      stale: undefined,
    };
    let n = 0;
    for (const c of list) n = c.decodeInto(out, n, mint, maxt);
    if (withBuffer && this.#oooN > 0) {
      const tmp = new XorChunk(OOO_CAPACITY * 4);
      for (let k = 0; k < this.#oooN; k++) {
        tmp.appendBits(this.#oooT![k], this.#oooHi![k], this.#oooLo![k]);
      }
      n = tmp.decodeInto(out, n, mint, maxt);
    }
    return {
      t: out.t.subarray(0, n),
      v: out.v.subarray(0, n),
      ...(out.stale ? { stale: out.stale.subarray(0, n) } : {}),
    };
  }

  /** Drops whole chunks (and buffered samples) entirely older than `cutoff`; returns chunks dropped. */
  dropBefore(cutoff: number): number {
    const before = this.chunkCount;
    this.chunks = this.chunks.filter((c) => c.maxT >= cutoff);
    if (this.head !== undefined && this.head.count > 0 && this.head.maxT < cutoff) {
      this.head = undefined;
    }
    this.ooo = this.ooo.filter((c) => c.maxT >= cutoff);
    let k = 0;
    while (k < this.#oooN && this.#oooT![k] < cutoff) k++;
    if (k > 0) {
      this.#oooT!.copyWithin(0, k, this.#oooN);
      this.#oooHi!.copyWithin(0, k, this.#oooN);
      this.#oooLo!.copyWithin(0, k, this.#oooN);
      this.#oooN -= k;
    }
    return before - this.chunkCount;
  }

  /** Every sample, merged, as one sorted column set. */
  all(): SampleColumns {
    return this.decode(-Infinity, Infinity);
  }

  /**
   * Replaces the stored samples with `cols` (sorted, unique timestamps), re-encoded as
   * in-order chunks; the append state (`maxT`, last value) is kept. Returns the chunk count.
   */
  rebuild(cols: SampleColumns, keep: (i: number) => boolean): number {
    this.chunks = [];
    this.head = undefined;
    this.ooo = [];
    this.#oooN = 0;
    const { maxT, lastHi, lastLo } = this;
    let h: XorChunk | undefined;
    for (let i = 0; i < cols.t.length; i++) {
      if (!keep(i)) continue;
      if (h === undefined || h.count >= SAMPLES_PER_CHUNK) {
        if (h !== undefined) {
          h.close();
          this.chunks.push(h);
        }
        h = new XorChunk();
      }
      if (cols.stale?.[i]) h.appendStale(cols.t[i]);
      else h.append(cols.t[i], cols.v[i]);
    }
    this.head = h;
    this.maxT = maxT;
    this.lastHi = lastHi;
    this.lastLo = lastLo;
    return this.chunkCount;
  }
}

// Merges two sorted column sets; `a` wins on equal timestamps, and within `b` the first does.
function mergeColumns(a: SampleColumns, b: SampleColumns): SampleColumns {
  // `b` is a concatenation of sorted runs: order it by time, stably.
  const idx = new Uint32Array(b.t.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const bt = b.t;
  const order = Array.from(idx).sort((x, y) => bt[x] - bt[y] || x - y);
  const cap = a.t.length + order.length;
  const t = new Float64Array(cap), v = new Float64Array(cap);
  let stale: Uint8Array | undefined;
  let i = 0, j = 0, n = 0;
  const put = (src: SampleColumns, k: number) => {
    t[n] = src.t[k];
    v[n] = src.v[k];
    if (src.stale?.[k]) (stale ??= new Uint8Array(cap))[n] = 1;
    n++;
  };
  while (i < a.t.length || j < order.length) {
    if (j === order.length) put(a, i++);
    else {
      const k = order[j];
      const tb = bt[k];
      if (n > 0 && t[n - 1] === tb) j++;
      else if (i < a.t.length && a.t[i] <= tb) put(a, i++);
      else {
        put(b, k);
        j++;
      }
    }
  }
  return {
    t: t.subarray(0, n),
    v: v.subarray(0, n),
    ...(stale ? { stale: stale.subarray(0, n) } : {}),
  };
}
