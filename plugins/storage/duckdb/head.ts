/**
 * The DuckDB engine's head: the series catalog of every series (head and blocks), the head
 * series with their chunks, append validation, and the mapping between catalog refs (this
 * process's) and persistent series ids (the WAL's and the blocks').
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';
import {
  DuplicateSampleError,
  type HeadSeriesLimit,
  InvalidSampleError,
  OutOfOrderSampleError,
  SeriesCatalog,
  TooOldSampleError,
} from '../../../core/storage/mod.ts';
import { HeadSeries } from './head_series.ts';
import type { TsdbMetrics } from './self_metrics.ts';

/** A sample newer than the series' newest. */
export const IN_ORDER = 0;
/** A sample inside the out-of-order window. */
export const OUT_OF_ORDER = 1;
/** A repeat of the newest sample: dropped quietly. */
export const SKIP = 2;

/** The head shared by appenders, queriers and compaction. */
export class Head {
  readonly catalog = new SeriesCatalog();
  /** Head series by catalog ref; undefined for series that only live in blocks. */
  readonly series: (HeadSeries | undefined)[] = [undefined];
  /** Persistent id by catalog ref. */
  readonly idOf: number[] = [0];
  /** Catalog ref by persistent id. */
  readonly refOf = new Map<number, number>();
  readonly blockRange: number;
  readonly oooWindow: number;
  readonly metrics: TsdbMetrics;
  /** Newest committed timestamp over all series. */
  maxT = -Infinity;
  /** End of the newest compacted window: older in-order samples are refused. */
  compactedUpTo = -Infinity;
  /** Oldest timestamp retention keeps. */
  retentionMs: number;
  /** `--storage.tsdb.max-series`, checked by appenders (WAL replay is exempt). */
  seriesLimit: HeadSeriesLimit | undefined;
  #nextId = 1;
  #nextAppender = 1;
  #headSeries = 0;

  constructor(blockRange: number, oooWindow: number, retentionMs: number, metrics: TsdbMetrics) {
    this.blockRange = blockRange;
    this.oooWindow = oooWindow;
    this.retentionMs = retentionMs;
    this.metrics = metrics;
  }

  /** A fresh appender id (never 0). */
  nextAppenderId(): number {
    return this.#nextAppender++;
  }

  /** Number of series with head data. */
  get headSeriesCount(): number {
    return this.#headSeries;
  }

  /** Window start of `t`. */
  windowOf(t: number): number {
    return Math.floor(t / this.blockRange) * this.blockRange;
  }

  /** Registers a known series (from the series table or a WAL series record). */
  known(id: number, labels: Labels): number {
    let ref = this.refOf.get(id);
    if (ref !== undefined) return ref;
    ref = this.catalog.getOrCreate(labels);
    const old = this.idOf[ref];
    if (old !== undefined && old !== 0 && old !== id) {
      // The same labels under a second id (a series recreated after deletion): keep the newer.
      this.refOf.delete(old);
    }
    this.idOf[ref] = id;
    this.refOf.set(id, ref);
    if (id >= this.#nextId) this.#nextId = id + 1;
    return ref;
  }

  /** Whether `ref` or `labels` names a series that has head data already. */
  inHead(ref: number, labels: Labels): boolean {
    if (ref > 0 && this.series[ref] !== undefined && !this.series[ref]!.removed) return true;
    const r = this.catalog.ref(labels);
    return r > 0 && this.series[r] !== undefined;
  }

  /** The head series of `ref` (creating it, and the series, when needed); `created` tells. */
  resolve(ref: number, labels: Labels): { s: HeadSeries; created: boolean } {
    if (ref > 0) {
      const s = this.series[ref];
      if (s !== undefined && !s.removed) return { s, created: false };
    }
    if (labels.size === 0) throw new InvalidSampleError('empty label set');
    const r = this.catalog.getOrCreate(labels);
    let s = this.series[r];
    if (s !== undefined) return { s, created: false };
    let id = this.idOf[r];
    if (id === undefined || id === 0) {
      id = this.#nextId++;
      this.idOf[r] = id;
      this.refOf.set(id, r);
    }
    s = this.series[r] = new HeadSeries(r, id, this.catalog.labels(r)!);
    this.#headSeries++;
    return { s, created: true };
  }

  /** The oldest timestamp still accepted at all. */
  get minValidTime(): number {
    const ret = this.retentionMs > 0 ? this.maxT - this.retentionMs : -Infinity;
    return this.oooWindow > 0 ? ret : Math.max(ret, this.compactedUpTo);
  }

  /** Checks a sample against the series' newest one; throws and counts rejections. */
  check(t: number, hi: number, lo: number, maxT: number, lastHi: number, lastLo: number): number {
    if (!Number.isSafeInteger(t)) {
      throw new InvalidSampleError(`timestamp ${t} is not an integer number of milliseconds`);
    }
    if (t < this.minValidTime) {
      this.metrics.tooOld.inc();
      throw new TooOldSampleError();
    }
    if (t > maxT) return IN_ORDER;
    if (t === maxT) {
      if (hi === lastHi && lo === lastLo) return SKIP;
      this.metrics.duplicates.inc();
      throw new DuplicateSampleError();
    }
    if (this.oooWindow > 0) {
      if (t >= (this.maxT > maxT ? this.maxT : maxT) - this.oooWindow) return OUT_OF_ORDER;
      this.metrics.tooOld.inc();
      throw new TooOldSampleError();
    }
    this.metrics.oooRejected.inc();
    throw new OutOfOrderSampleError();
  }

  /** Stores a sample checked at append time, re-checking it against committed state. */
  commitSample(s: HeadSeries, t: number, hi: number, lo: number): boolean {
    if (s.removed) s = this.resolve(0, s.labels).s;
    let verdict: number;
    try {
      verdict = this.check(t, hi, lo, s.maxT, s.lastHi, s.lastLo);
    } catch {
      return false;
    }
    return this.#store(s, t, hi, lo, verdict);
  }

  /** Stores a replayed sample: it was accepted once, so only repeats are dropped. */
  replaySample(id: number, t: number, hi: number, lo: number): void {
    const ref = this.refOf.get(id);
    if (ref === undefined) return;
    if (this.oooWindow === 0 && t < this.compactedUpTo) return; // already in a block
    const { s } = this.resolve(ref, this.catalog.labels(ref)!);
    const verdict = t > s.maxT ? IN_ORDER : t === s.maxT ? SKIP : OUT_OF_ORDER;
    this.#store(s, t, hi, lo, verdict);
  }

  #store(s: HeadSeries, t: number, hi: number, lo: number, verdict: number): boolean {
    if (verdict === SKIP) return false;
    if (verdict === IN_ORDER) s.appendInOrder(t, hi, lo, this.windowOf(t));
    else {
      const r = s.insertOoo(t, hi, lo);
      if (r === 'duplicate') this.metrics.duplicates.inc();
      if (r !== 'added') return false;
      this.metrics.oooAppended.inc();
    }
    if (t > this.maxT) this.maxT = t;
    return true;
  }

  /** Drops a head series (its catalog entry stays while blocks hold data of it). */
  dropHeadSeries(s: HeadSeries): void {
    if (s.removed) return;
    s.removed = true;
    this.series[s.ref] = undefined;
    this.#headSeries--;
  }

  /** Forgets a series everywhere in memory. */
  forget(ref: number): void {
    const s = this.series[ref];
    if (s !== undefined) this.dropHeadSeries(s);
    const id = this.idOf[ref];
    if (id) this.refOf.delete(id);
    this.idOf[ref] = 0;
    this.catalog.delete(ref);
  }

  /** Oldest head sample, or Infinity. */
  minTime(): number {
    let m = Infinity;
    for (const s of this.series) {
      if (s !== undefined && s.sampleCount > 0) m = Math.min(m, s.minTime);
    }
    return m;
  }
}
