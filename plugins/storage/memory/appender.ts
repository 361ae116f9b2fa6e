/**
 * Stages samples for the memory head and applies them on commit.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';
import { STALE_NAN_HI, STALE_NAN_LO } from '../../../core/model/mod.ts';
import { type Appender, floatBits, type SeriesRef } from '../../../core/storage/mod.ts';
import { type Head, SKIP } from './head.ts';
import type { MemSeries } from './mem_series.ts';

/** An appender on the memory head: checks at `append`, stores at `commit`. */
export class MemAppender implements Appender {
  readonly #head: Head;
  readonly #id: number;
  #series: MemSeries[] = [];
  #t: number[] = [];
  #hi: number[] = [];
  #lo: number[] = [];
  #created: MemSeries[] = [];
  #done = false;

  constructor(head: Head) {
    this.#head = head;
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
    const before = head.catalog.size;
    const s = head.resolve(ref, labels);
    if (head.catalog.size !== before) this.#created.push(s);
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
    const head = this.#head;
    const series = this.#series, ts = this.#t, his = this.#hi, los = this.#lo;
    this.#release();
    let appended = 0;
    const listen = head.commitListeners.size > 0;
    const kept = listen ? new Uint8Array(series.length) : undefined;
    for (let i = 0; i < series.length; i++) {
      if (head.commitSample(series[i], ts[i], his[i], los[i])) {
        appended++;
        if (kept) kept[i] = 1;
      }
    }
    if (appended > 0) head.metrics.samplesAppended.inc(appended);
    if (kept && appended > 0) notifyCommit(head, series, ts, his, los, kept, appended);
    for (const s of this.#created) if (s.sampleCount === 0 && s.pendingOwner === 0) head.remove(s);
    head.maybeApplyRetention();
    return Promise.resolve();
  }

  rollback(): void {
    if (this.#done) return;
    this.#release();
    for (const s of this.#created) {
      if (s.sampleCount === 0 && s.pendingOwner === 0) this.#head.remove(s);
    }
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

// Hands the appended samples (not the repeats commit skipped) to the commit listeners.
function notifyCommit(
  head: Head,
  series: readonly MemSeries[],
  ts: readonly number[],
  his: readonly number[],
  los: readonly number[],
  kept: Uint8Array,
  n: number,
): void {
  const labels = new Array<Labels>(n), t = new Array<number>(n);
  const hi = new Array<number>(n), lo = new Array<number>(n);
  for (let i = 0, k = 0; i < series.length; i++) {
    if (kept[i] === 0) continue;
    labels[k] = series[i].labels;
    t[k] = ts[i];
    hi[k] = his[i];
    lo[k++] = los[i];
  }
  const batch = { count: n, labels, t, hi, lo };
  for (const l of head.commitListeners) l(batch);
}
