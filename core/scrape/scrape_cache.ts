/**
 * The per-target scrape cache: exposed series text → storage ref and final labels, so that a
 * steady target costs one map lookup per sample; the series seen in this and the previous
 * scrape, for stale markers; and the HELP/TYPE/UNIT metadata the target exposes.
 * @module
 */
import type { Labels } from '../model/mod.ts';
import type { SeriesRef } from '../storage/mod.ts';
import type { MetricType } from '../exposition/mod.ts';

/** A cached series: its storage ref and its labels after target labels and relabelling. */
export interface CacheEntry {
  ref: SeriesRef;
  readonly labels: Labels;
  readonly hash: number;
  lastIter: number;
}

/** One metric's metadata, as `/api/v1/targets/metadata` reports it. */
export interface MetricMetadata {
  metric: string;
  type: MetricType;
  help: string;
  unit: string;
}

/** Read access to a target's metadata. */
export interface MetadataStore {
  listMetadata(): MetricMetadata[];
  getMetadata(metric: string): MetricMetadata | undefined;
}

interface MetaEntry {
  type: MetricType;
  help: string;
  unit: string;
  lastIter: number;
}

/** Metadata entries unseen for this many successful scrapes are forgotten. */
const METADATA_KEEP_ITERS = 10;

/** See the module doc. Not shared between targets. */
export class ScrapeCache implements MetadataStore {
  #iter = 0;
  readonly #series = new Map<string, CacheEntry>();
  readonly #dropped = new Map<string, number>();
  #cur = new Map<number, Labels>();
  #prev = new Map<number, Labels>();
  readonly #meta = new Map<string, MetaEntry>();
  #successfulCount = 0;

  /** The cached series for exposed text `key`, marking it seen in this scrape. */
  get(key: string): CacheEntry | undefined {
    const e = this.#series.get(key);
    if (e !== undefined) e.lastIter = this.#iter;
    return e;
  }

  /** Caches a series; `key` must be a long-lived copy (the parser's `seriesKey()`). */
  addRef(key: string, ref: SeriesRef, labels: Labels, hash: number): CacheEntry {
    const e: CacheEntry = { ref, labels, hash, lastIter: this.#iter };
    this.#series.set(key, e);
    return e;
  }

  /** Remembers that relabelling dropped the series exposed as `key`. */
  addDropped(key: string): void {
    this.#dropped.set(key, this.#iter);
  }

  /** Whether `key` was dropped by relabelling (marks it seen). */
  isDropped(key: string): boolean {
    if (!this.#dropped.has(key)) return false;
    this.#dropped.set(key, this.#iter);
    return true;
  }

  /** Records that the series was present in this scrape. */
  trackStaleness(hash: number, labels: Labels): void {
    this.#cur.set(hash, labels);
  }

  /** Forgets what this scrape has seen so far (a failed scrape counts as empty). */
  resetCurrent(): void {
    this.#cur.clear();
  }

  /**
   * Takes over the series `old` saw last, so that a new cache (after a config change that
   * invalidates the old one) still marks them stale when they are gone.
   */
  inheritStaleness(old: ScrapeCache): void {
    for (const [h, l] of old.#prev) this.#prev.set(h, l);
  }

  /** Calls `fn` for each series of the previous scrape that is absent from this one. */
  forEachStale(fn: (labels: Labels) => boolean): void {
    for (const [h, l] of this.#prev) {
      if (!this.#cur.has(h) && !fn(l)) return;
    }
  }

  /**
   * Ends a scrape. After a successful, non-empty scrape (`flush`), entries unseen in it are
   * dropped; the caches are also flushed when they grew past twice their size after the last
   * flush plus 1000, so failing scrapes with churning series cannot grow them for ever.
   */
  iterDone(flush: boolean): void {
    const count = this.#series.size + this.#dropped.size + this.#meta.size;
    if (flush) this.#successfulCount = count;
    else if (count > this.#successfulCount * 2 + 1000) flush = true;
    if (flush) {
      const it = this.#iter;
      for (const [k, e] of this.#series) if (e.lastIter !== it) this.#series.delete(k);
      for (const [k, i] of this.#dropped) if (i !== it) this.#dropped.delete(k);
      for (const [k, e] of this.#meta) {
        if (it - e.lastIter > METADATA_KEEP_ITERS) this.#meta.delete(k);
      }
    }
    const t = this.#prev;
    this.#prev = this.#cur;
    this.#cur = t;
    this.#cur.clear();
    this.#iter++;
  }

  /** Number of cached series (for tests and stats). */
  get size(): number {
    return this.#series.size;
  }

  #metaEntry(metric: string): MetaEntry {
    let e = this.#meta.get(metric);
    if (!e) {
      e = { type: 'unknown', help: '', unit: '', lastIter: this.#iter };
      this.#meta.set(metric, e);
    }
    e.lastIter = this.#iter;
    return e;
  }

  /** Records a TYPE line. */
  setType(metric: string, type: MetricType): void {
    this.#metaEntry(metric).type = type;
  }

  /** Records a HELP line. */
  setHelp(metric: string, help: string): void {
    this.#metaEntry(metric).help = help;
  }

  /** Records a UNIT line. */
  setUnit(metric: string, unit: string): void {
    this.#metaEntry(metric).unit = unit;
  }

  listMetadata(): MetricMetadata[] {
    const out: MetricMetadata[] = [];
    for (const [metric, e] of this.#meta) {
      out.push({ metric, type: e.type, help: e.help, unit: e.unit });
    }
    return out;
  }

  getMetadata(metric: string): MetricMetadata | undefined {
    const e = this.#meta.get(metric);
    return e && { metric, type: e.type, help: e.help, unit: e.unit };
  }
}
