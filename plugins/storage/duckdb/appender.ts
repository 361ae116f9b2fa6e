/**
 * Stages samples for the head; `commit` writes one WAL record (new series, then samples),
 * applies it to the head, and resolves once the record is durable.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';
import { STALE_NAN_HI, STALE_NAN_LO } from '../../../core/model/mod.ts';
import { type Appender, floatBits, type SeriesRef } from '../../../core/storage/mod.ts';
import { type Head, SKIP } from './head.ts';
import type { HeadSeries } from './head_series.ts';

/** Where a commit's record goes; implemented by the storage (WAL + compaction trigger). */
export interface CommitSink {
  /** Writes the record built by `encode` and applies it with `apply`; resolves when durable. */
  commit(
    created: readonly HeadSeries[],
    series: readonly HeadSeries[],
    t: readonly number[],
    hi: readonly number[],
    lo: readonly number[],
  ): Promise<void>;
  /** Drops series created by an appender that wrote nothing. */
  discard(created: readonly HeadSeries[]): void;
}

/** An appender on the head: checks at `append`, logs and stores at `commit`. */
export class HeadAppender implements Appender {
  readonly #head: Head;
  readonly #sink: CommitSink;
  readonly #id: number;
  #series: HeadSeries[] = [];
  #t: number[] = [];
  #hi: number[] = [];
  #lo: number[] = [];
  #created: HeadSeries[] = [];
  #done = false;

  constructor(head: Head, sink: CommitSink) {
    this.#head = head;
    this.#sink = sink;
    this.#id = head.nextAppenderId();
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    floatBits(v);
    return this.#stage(ref, labels, t, floatBits.hi, floatBits.lo);
  }

  appendStale(ref: SeriesRef, labels: Labels, t: number): SeriesRef {
    return this.#stage(ref, labels, t, STALE_NAN_HI, STALE_NAN_LO);
  }

  #stage(ref: SeriesRef, labels: Labels, t: number, hi: number, lo: number): SeriesRef {
    if (this.#done) throw new Error('appender already committed or rolled back');
    const head = this.#head;
    const limit = head.seriesLimit;
    if (limit?.full(head.headSeriesCount) && !head.inHead(ref, labels)) limit.reject(labels);
    const { s, created } = head.resolve(ref, labels);
    if (created) this.#created.push(s);
    const mine = s.pendingOwner === this.#id;
    const verdict = head.check(
      t,
      hi,
      lo,
      mine ? s.pendingMaxT : s.maxT,
      mine ? s.pendingHi : s.lastHi,
      mine ? s.pendingLo : s.lastLo,
    );
    if (verdict === SKIP) return s.ref;
    if (!mine) {
      s.pendingOwner = this.#id;
      s.pendingMaxT = s.maxT;
      s.pendingHi = s.lastHi;
      s.pendingLo = s.lastLo;
    }
    if (t > s.pendingMaxT) {
      s.pendingMaxT = t;
      s.pendingHi = hi;
      s.pendingLo = lo;
    }
    this.#series.push(s);
    this.#t.push(t);
    this.#hi.push(hi);
    this.#lo.push(lo);
    return s.ref;
  }

  commit(): Promise<void> {
    if (this.#done) return Promise.resolve();
    const series = this.#series, t = this.#t, hi = this.#hi, lo = this.#lo;
    const created = this.#created;
    this.#release();
    if (series.length === 0) {
      this.#sink.discard(created);
      return Promise.resolve();
    }
    return this.#sink.commit(created, series, t, hi, lo);
  }

  rollback(): void {
    if (this.#done) return;
    this.#release();
    this.#sink.discard(this.#created);
  }

  #release(): void {
    this.#done = true;
    for (const s of this.#series) if (s.pendingOwner === this.#id) s.pendingOwner = 0;
    this.#series = [];
    this.#t = [];
    this.#hi = [];
    this.#lo = [];
  }
}
