/**
 * The receiver's series cache: the encoded label bytes of a series → its validated label set
 * and storage ref. A sender writes the same series every few seconds, so a steady stream
 * costs one hash and one byte comparison per series instead of UTF-8 decoding, validation,
 * sorting and an index lookup (the idea of Prometheus's scrape cache, applied to remote write).
 * @module
 */
import type { Labels } from '../model/mod.ts';
import type { TimeSeriesView } from './series_view.ts';

/** A cached series. `ref` is the storage ref last returned for it (0 until appended). */
export interface CachedSeries {
  readonly key: Uint8Array;
  readonly labels: Labels;
  ref: number;
  next: CachedSeries | undefined;
}

/**
 * Two generations of entries: lookups promote from the old one, and when the young one is
 * full the old one is dropped — an LRU's effect without per-hit bookkeeping.
 */
export class SeriesCache {
  #young = new Map<number, CachedSeries>();
  #old = new Map<number, CachedSeries>();
  #youngSize = 0;
  readonly #generation: number;

  /** At most `capacity` entries are kept: two generations of `capacity / 2`. */
  constructor(capacity = 1_000_000) {
    this.#generation = Math.max(1, capacity >> 1);
  }

  /** Number of entries in both generations. */
  get size(): number {
    return this.#youngSize + countChains(this.#old);
  }

  /** The entry whose key equals `buf[start, end)`, if any. */
  get(buf: Uint8Array, start: number, end: number, hash: number): CachedSeries | undefined {
    for (let e = this.#young.get(hash); e !== undefined; e = e.next) {
      if (sameBytes(e.key, buf, start, end)) return e;
    }
    for (let e = this.#old.get(hash); e !== undefined; e = e.next) {
      if (sameBytes(e.key, buf, start, end)) {
        const fresh = this.add(buf, start, end, hash, e.labels);
        fresh.ref = e.ref;
        return fresh;
      }
    }
    return undefined;
  }

  /** Adds an entry keyed by a copy of `buf[start, end)`. */
  add(buf: Uint8Array, start: number, end: number, hash: number, labels: Labels): CachedSeries {
    if (this.#youngSize >= this.#generation) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngSize = 0;
    }
    const entry: CachedSeries = {
      key: buf.slice(start, end),
      labels,
      ref: 0,
      next: this.#young.get(hash),
    };
    this.#young.set(hash, entry);
    this.#youngSize++;
    return entry;
  }

  /** Drops every entry (after series deletion, say). */
  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
    this.#youngSize = 0;
  }
}

/**
 * The cache key of a series whose label fields are not contiguous (remote write 2.0, where
 * labels are symbol references): each name and value as a 4-byte length and its bytes.
 */
export function labelRangesKey(v: TimeSeriesView): Uint8Array {
  let n = 0;
  for (let i = 0; i < v.labelCount; i++) n += 8 + v.labelNameLength(i) + v.labelValueLength(i);
  const key = new Uint8Array(n);
  const b = v.labelBounds, buf = v.buf;
  let p = 0;
  for (let k = 0; k < 2 * v.labelCount; k++) {
    const start = b[2 * k], end = b[2 * k + 1], len = end - start;
    key[p] = len;
    key[p + 1] = len >>> 8;
    key[p + 2] = len >>> 16;
    key[p + 3] = len >>> 24;
    p += 4;
    // A byte loop: label strings are short, and a subarray per string costs more in V8.
    for (let i = start; i < end; i++) key[p++] = buf[i];
  }
  return key;
}

/** A 30-bit FNV-1a-style hash of `buf[start, end)`, four bytes per step. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const w = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    h = Math.imul(h ^ w, 0x01000193);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  // 30 bits: V8 keeps such numbers as small integers, which Map hashes fastest.
  return (h ^ (h >>> 13)) >>> 2;
}

function sameBytes(key: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== buf[start + i]) return false;
  return true;
}

function countChains(m: Map<number, CachedSeries>): number {
  let n = 0;
  for (const head of m.values()) {
    for (let e: CachedSeries | undefined = head; e !== undefined; e = e.next) n++;
  }
  return n;
}
