/**
 * The memory head: the series catalog, each series' chunks, append validation, retention and
 * the counters. Appenders and queriers work on it.
 * @module
 */
import type { Registry } from '../../../core/metrics/mod.ts';
import type { Labels } from '../../../core/model/mod.ts';
import {
  type CommittedSamples,
  DuplicateSampleError,
  HeadSeriesLimit,
  InvalidSampleError,
  OutOfOrderSampleError,
  SeriesCatalog,
  TooOldSampleError,
} from '../../../core/storage/mod.ts';
import { HeadMetrics } from './self_metrics.ts';
import { MemSeries } from './mem_series.ts';

/** Options of the memory head, in milliseconds. */
export interface HeadOptions {
  /** Samples older than the newest sample minus this are dropped; 0 keeps everything. */
  retentionMs: number;
  /** How far behind the newest sample an out-of-order sample may be; 0 disables. */
  outOfOrderWindowMs: number;
  /** Most series; new series beyond it are refused. 0 or absent: no limit. */
  maxSeries?: number;
  /** Where the self metrics go; none when absent. */
  registry?: Registry;
}

/** How an appender's check of a sample came out. */
export type Verdict = 0 | 1 | 2;
/** A sample newer than the series' newest. */
export const IN_ORDER: Verdict = 0;
/** A sample inside the out-of-order window. */
export const OUT_OF_ORDER: Verdict = 1;
/** A repeat of the newest sample: dropped quietly. */
export const SKIP: Verdict = 2;

/** The in-memory head shared by the appenders and queriers of one storage. */
export class Head {
  readonly catalog = new SeriesCatalog();
  readonly series: (MemSeries | undefined)[] = [undefined];
  readonly metrics: HeadMetrics;
  readonly retentionMs: number;
  readonly oooWindowMs: number;
  /** Newest committed timestamp over all series. */
  maxT = -Infinity;
  /** Called after each commit with what it appended (the remote-write sender's feed). */
  readonly commitListeners = new Set<(samples: CommittedSamples) => void>();
  #chunks = 0;
  #limit: HeadSeriesLimit | undefined;
  #retentionCutoff = -Infinity;
  #nextAppender = 1;

  constructor(opts: HeadOptions) {
    this.retentionMs = opts.retentionMs;
    this.oooWindowMs = opts.outOfOrderWindowMs;
    if (opts.maxSeries) this.#limit = new HeadSeriesLimit(opts.maxSeries, opts.registry);
    this.metrics = new HeadMetrics(opts.registry, {
      series: () => this.catalog.size,
      chunks: () => this.#chunks,
    });
  }

  /** A fresh appender id (never 0). */
  nextAppenderId(): number {
    return this.#nextAppender++;
  }

  /** The series for `ref`, else for `labels` (created when new). */
  resolve(ref: number, labels: Labels): MemSeries {
    if (ref > 0) {
      const s = this.series[ref];
      if (s !== undefined) return s;
    }
    if (labels.size === 0) throw new InvalidSampleError('empty label set');
    if (this.#limit?.full(this.catalog.size) && this.catalog.ref(labels) === 0) {
      this.#limit.reject(labels);
    }
    const r = this.catalog.getOrCreate(labels);
    let s = this.series[r];
    if (s === undefined) s = this.series[r] = new MemSeries(r, this.catalog.labels(r)!);
    return s;
  }

  /** The oldest timestamp still accepted at all. */
  get minValidTime(): number {
    return this.retentionMs > 0 ? this.maxT - this.retentionMs : -Infinity;
  }

  /**
   * Checks a sample against the series' newest one (`maxT`, `hi`, `lo`); throws and counts
   * the storage errors. `SKIP` is a repeat of the newest sample, which is dropped quietly.
   */
  check(t: number, hi: number, lo: number, maxT: number, lastHi: number, lastLo: number): Verdict {
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
    if (this.oooWindowMs > 0) {
      // The window trails the newest sample anywhere, staged ones of this series included.
      if (t >= (this.maxT > maxT ? this.maxT : maxT) - this.oooWindowMs) return OUT_OF_ORDER;
      this.metrics.tooOld.inc();
      throw new TooOldSampleError();
    }
    this.metrics.oooRejected.inc();
    throw new OutOfOrderSampleError();
  }

  /** Stores one checked-at-append sample, re-checking it against committed state. */
  commitSample(s: MemSeries, t: number, hi: number, lo: number): boolean {
    if (s.removed) s = this.resolve(0, s.labels);
    let verdict: Verdict;
    try {
      verdict = this.check(t, hi, lo, s.maxT, s.lastHi, s.lastLo);
    } catch {
      return false;
    }
    if (verdict === SKIP) return false;
    if (verdict === IN_ORDER) {
      this.#chunks += s.appendInOrder(t, hi, lo);
    } else {
      const r = s.insertOoo(t, hi, lo, () => this.#chunks++);
      if (r === 'duplicate') this.metrics.duplicates.inc();
      if (r !== 'added') return false;
      this.metrics.oooAppended.inc();
    }
    if (t > this.maxT) this.maxT = t;
    return true;
  }

  /** Removes a series from the catalog and the head. */
  remove(s: MemSeries): void {
    if (s.removed) return;
    s.removed = true;
    this.#chunks -= s.chunkCount;
    this.series[s.ref] = undefined;
    this.catalog.delete(s.ref);
  }

  /** Adjusts the chunk count after a series was rebuilt. */
  chunksChanged(delta: number): void {
    this.#chunks += delta;
  }

  /** Number of chunks in the head. */
  get chunkCount(): number {
    return this.#chunks;
  }

  /** Runs retention when the cutoff moved by at least a minute (or the whole period). */
  maybeApplyRetention(): void {
    if (this.retentionMs <= 0) return;
    const cutoff = this.maxT - this.retentionMs;
    if (cutoff - this.#retentionCutoff >= Math.min(60_000, this.retentionMs)) {
      this.applyRetention();
    }
  }

  /**
   * Drops chunks that end before the newest sample minus the retention (as Prometheus
   * measures retention from its newest data), and series left empty. Returns chunks dropped.
   */
  applyRetention(): number {
    if (this.retentionMs <= 0 || this.maxT === -Infinity) return 0;
    const cutoff = this.maxT - this.retentionMs;
    this.#retentionCutoff = cutoff;
    let dropped = 0;
    for (const s of this.series) {
      if (s === undefined) continue;
      const n = s.dropBefore(cutoff);
      dropped += n;
      this.#chunks -= n;
      if (s.sampleCount === 0 && s.pendingOwner === 0) this.remove(s);
    }
    return dropped;
  }
}
